import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ScriptedTidbServer } from '../scenarios/import/scripted-tidb-server.ts'
import { listServerBinaries } from '../server/discovery.ts'

// The `test-rig` command as a process, as a person or a script runs it: exit codes, output, and no
// password in any of it. The server is the one a run would use here (the local provider).

const tidbHere = (await listServerBinaries({ engine: 'tidb' })).length > 0
const bin = fileURLToPath(new URL('../../bin/test-rig.js', import.meta.url))
const secret = 'pw-never-printed-7f3a'
let cwd: string

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'rig-cli-process-'))
})
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true })
})

interface Ran {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs the command (through `script` for a pseudo-terminal when `typed` is given) and collects what it printed. */
function testRig(args: readonly string[], options: { readonly env?: Record<string, string>; readonly typed?: string } = {}): Promise<Ran> {
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && !key.startsWith('TIDB_') && key !== 'DATABASE_URL')), NO_COLOR: '1', ...options.env }
  const quoted = [process.execPath, bin, ...args].map((part) => `'${part.replace(/'/g, "'\\''")}'`).join(' ')
  const child = options.typed === undefined
    ? spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn('script', ['-qec', quoted, '/dev/null'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] })
  if (options.typed !== undefined) setTimeout(() => child.stdin?.write(`${options.typed}\r`), 1_500)
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk) => (stdout += chunk))
  child.stderr?.on('data', (chunk) => (stderr += chunk))
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })))
}

describe('test-rig run', () => {
  test('basic: the machine completes, the trace is printed, exit 0', async () => {
    const { code, stdout } = await testRig(['run', 'basic'])
    expect(stdout).toMatch(/basic-connection: completed/)
    expect(stdout).toContain('SELECT VERSION() AS version')
    expect(stdout).toMatch(/basic: completed$/m)
    expect(code).toBe(0)
  })

  test('multi-connection: the sessions meet, with the Mermaid diagram and JSON on request', async () => {
    const { code, stdout } = await testRig(['run', 'multi-connection', '--connections', '3', '--test-rows', '4', '--mermaid', '--format', 'json'])
    const result = JSON.parse(stdout) as { completed: boolean; sessions: { data: { inserted: number } }[]; mermaid: string }
    expect(result.completed).toBe(true)
    expect(result.sessions).toHaveLength(3)
    expect(result.sessions.every((session) => session.data.inserted === 4)).toBe(true)
    expect(result.mermaid).toContain('sequenceDiagram')
    expect(code).toBe(0)
  })

  test('an unknown scenario is a usage error (exit 2) naming the known ones', async () => {
    const { code, stderr } = await testRig(['run', 'nope'])
    expect(stderr).toContain('no scenario "nope"; known: basic, multi-connection')
    expect(code).toBe(2)
  })

  test('a server that cannot be reached fails (exit 1) with the fix, and the password given is printed nowhere', async () => {
    const { code, stdout, stderr } = await testRig(['run', 'basic', '-H', '127.0.0.1:1', '-u', 'app', '--password', secret, '--log-level', 'debug'])
    expect(stderr).toContain('cannot reach the external server at 127.0.0.1:1')
    expect(stdout + stderr).not.toContain(secret)
    expect(code).toBe(1)
  })

  test('--password without a value is asked for on a terminal without echo, and never printed', async () => {
    const { code, stdout } = await testRig(['config', 'show', '--password', '--provider', 'local'], { typed: secret })
    expect(stdout).toContain('Password:')
    expect(stdout).toContain('database.password: command-line flag --password')
    expect(stdout).not.toContain(secret)
    expect(code).toBe(0)
  })

  test('--password without a value and no terminal (or --no-password-prompt) is a usage error', async () => {
    for (const args of [['run', 'basic', '--password'], ['run', 'basic', '--password', '--no-password-prompt']]) {
      const { code, stderr } = await testRig(args)
      expect(stderr).toContain('--password has no value and there is no terminal to ask on')
      expect(code).toBe(2)
    }
  })

  test('--log-file writes the log lines to a file, and the flags win over the environment', async () => {
    const { code } = await testRig(['run', 'basic', '--log-file', join(cwd, 'rig.log'), '--log-level', 'info'], { env: { TEST_RIG_LOGGING_LEVEL: 'error' } })
    expect(code).toBe(0)
    const { readFile } = await import('node:fs/promises')
    expect(await readFile(join(cwd, 'rig.log'), 'utf8')).toMatch(/via the local provider, ready in \d+ ms/)
  })
})

describe('test-rig imports watch', () => {
  test('on an engine without import jobs says so by name and version (exit 1)', async () => {
    const { code, stderr } = await testRig(['imports', 'watch', '--engine', 'mariadb'])
    expect(stderr).toMatch(/import jobs are not supported by MariaDB \d+\.\d+\.\d+/)
    expect(code).toBe(1)
  })

  test('against the scripted TiDB double: follows a job to its end, one plain line per event', async () => {
    await using tidb = await ScriptedTidbServer.start()
    tidb.addJob([
      { Status: 'running', Phase: 'importing', Imported_Rows: 10 },
      { Status: 'running', Phase: 'add-index', Imported_Rows: 20 },
      { Status: 'finished', End_Time: '2026-11-23 10:00:00.000000', Imported_Rows: 20 },
    ])
    const { code, stdout } = await testRig(['imports', 'watch', '1', '-H', `127.0.0.1:${tidb.port}`, '--update-interval', '1', '--monitor-duration', '30'], { env: { CI: 'true' } })
    expect(stdout).toMatch(/job 1: seen \(running\/importing, 10 rows\)/)
    expect(stdout).toMatch(/job 1: finished/)
    expect(stdout).toMatch(/monitor completed: 1 job\(s\) watched/)
    expect(code).toBe(0)
  }, 60_000)

  test('a bad --import-config names the file, the field and the expected form (exit 2)', async () => {
    await writeFile(join(cwd, 'import.json'), JSON.stringify({ table: 'orders' }))
    const { code, stderr } = await testRig(['imports', 'watch', '--import-config', 'import.json'])
    expect(stderr).toMatch(/--import-config .*import\.json: source: .*expected \{ "table": "orders", "source"/)
    expect(code).toBe(2)
  })

  test.skipIf(!tidbHere)('against TiDB (local, unistore): no active job, the monitor completes', async () => {
    const { code, stdout } = await testRig(['imports', 'watch', '--engine', 'tidb', '--provider', 'local', '--format', 'json'])
    expect(JSON.parse(stdout)).toMatchObject({ status: 'completed', jobs: [] })
    expect(code).toBe(0)
  }, 60_000)
})

describe('test-rig isolation', () => {
  test('takes the seed\'s options: one level, the contention check with sessions and rows, JSON', async () => {
    const { code, stdout } = await testRig(['isolation', '--isolation-level', 'read_committed', '--concurrent-connections', '3', '--test-rows', '10', '--format', 'json'])
    const result = JSON.parse(stdout) as { levels: string[]; contention: { sessions: number; rows: number; levels: { level: string; committed: number; lost: number }[] } }
    expect(result.levels).toEqual(['READ COMMITTED'])
    expect(result.contention).toMatchObject({ sessions: 3, rows: 10 })
    const [outcome] = result.contention.levels
    expect(outcome?.level).toBe('READ COMMITTED')
    expect((outcome?.committed ?? 0) + 0).toBeGreaterThan(0)
    expect(outcome?.lost).toBeGreaterThanOrEqual(0)
    expect(code).toBe(0)
  }, 60_000)

  test('an unknown level is a usage error listing the spellings', async () => {
    const { code, stderr } = await testRig(['isolation', '--isolation-level', 'snapshot'])
    expect(stderr).toMatch(/unknown isolation level "snapshot"; known: READ UNCOMMITTED/)
    expect(code).toBe(2)
  })
})

describe('test-rig doctor', () => {
  test('tries the external server a run would use, and reports what a run would (closed port, wrong password)', async () => {
    const closed = await testRig(['doctor', '-H', '127.0.0.1:1', '--password', secret])
    expect(closed.stdout).toMatch(/no {3}external server: cannot reach the external server at 127\.0\.0\.1:1: connection refused/)
    expect(closed.stdout + closed.stderr).not.toContain(secret)
    expect(closed.code).toBe(1)
  })
})

describe('help', () => {
  test.each([['run'], ['imports', 'watch'], ['isolation'], ['config', 'init'], ['doctor']])('%s --help shows the common options and an example', async (...command) => {
    const { code, stdout } = await testRig([...command, '--help'])
    expect(stdout).toContain('-H, --host <host:port>')
    expect(stdout).toContain('--password [password]')
    expect(stdout).toMatch(/Example:\n {2}\$ test-rig /)
    expect(code).toBe(0)
  })
})
