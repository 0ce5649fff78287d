import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { loadConfig } from '../config/load.ts'
import type { CliOutput } from './cli-output.ts'
import { runCli } from './main.ts'

let cwd: string
let out: string[]
let err: string[]
const output: CliOutput = { out: (text) => out.push(text), err: (text) => err.push(text) }

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'rig-cli-'))
  out = []
  err = []
})
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true })
})

describe('test-rig config init', () => {
  test('writes a TOML sample that loads back with the --host given', async () => {
    expect(await runCli(['config', 'init', '--host', 'tidb.local:4000'], cwd, output)).toBe(0)
    const text = await readFile(join(cwd, 'test-rig.config.toml'), 'utf8')
    expect(text).toContain('# Where the server comes from')
    const { config } = await loadConfig({ cwd, env: {} })
    expect(config.database).toMatchObject({ host: 'tidb.local', port: 4000 })
  })

  test('writes the defaults commented out: loaded back, only the values given come from the file', async () => {
    expect(await runCli(['config', 'init', '--host', 'tidb.local:4000', '--test-rows', '50'], cwd, output)).toBe(0)
    const text = await readFile(join(cwd, 'test-rig.config.toml'), 'utf8')
    expect(text).toMatch(/^# provider = "auto"$/m)
    const { config, origins } = await loadConfig({ cwd, env: {} })
    expect(config.test.rows).toBe(50)
    expect([...origins].filter(([, origin]) => origin.startsWith('file')).map(([field]) => field).sort()).toEqual(['database.host', 'database.port', 'test.rows'])
  })

  test('refuses a --set of a field the schema does not have (exit 2), naming the known ones', async () => {
    expect(await runCli(['config', 'init', '--set', 'test.rowz=5'], cwd, output)).toBe(2)
    expect(err.join('')).toMatch(/test\.rowz: no such config field; known: server\.provider/)
  })

  test('writes JSON with --format json and refuses to overwrite without --force', async () => {
    expect(await runCli(['config', 'init', '--format', 'json'], cwd, output)).toBe(0)
    expect(await runCli(['config', 'init', '--format', 'json'], cwd, output)).toBe(2)
    expect(err.join('')).toMatch(/exists; pass --force/)
    expect(await runCli(['config', 'init', '--format', 'json', '--force'], cwd, output)).toBe(0)
  })

  test('rejects an unknown format, naming the choices', async () => {
    expect(await runCli(['config', 'init', '--format', 'yaml'], cwd, output)).not.toBe(0)
    expect(err.join('')).toMatch(/Allowed choices are toml, json/)
  })
})

describe('test-rig config show', () => {
  test('prints the resolved config with the password redacted and the origin of each value', async () => {
    const previous = process.env.TIDB_PASSWORD
    process.env.TIDB_PASSWORD = 'pw-not-to-print'
    try {
      expect(await runCli(['config', 'show', '--user', 'alice'], cwd, output)).toBe(0)
    } finally {
      if (previous === undefined) delete process.env.TIDB_PASSWORD
      else process.env.TIDB_PASSWORD = previous
    }
    const text = out.join('\n')
    expect(text).toContain('"password": "***"')
    expect(text).not.toContain('pw-not-to-print')
    expect(text).toContain('database.username: command-line flag --user')
  })
})

describe('test-rig doctor', () => {
  test('finds the local server binary of this machine and names the provider a run would use', async () => {
    const code = await runCli(['doctor'], cwd, output)
    const text = out.join('\n')
    expect(text).toMatch(/ok {3}Node \d+/)
    expect(text).toMatch(/local provider: (MariaDB|MySQL|TiDB) \d+\.\d+\.\d+/)
    expect(text).toMatch(/A run would use the (local|external) provider/)
    expect(code).toBe(0)
  })

  test('explains a missing binary', async () => {
    await runCli(['doctor', '--binary', '/nope/mysqld', '--provider', 'local'], cwd, output)
    expect(out.join('\n')).toMatch(/no   local provider: no tidb-server, mariadbd or mysqld found/)
  })
})
