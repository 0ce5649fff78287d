import { spawnSync } from 'node:child_process'
import { access, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RowDataPacket } from 'mysql2/promise'
import { describe, expect, test } from 'vitest'
import { openConnection } from '../src/server/connect.ts'
import { databaseName, newRunId } from '../src/server/database-names.ts'
import { scratchRoot } from '../src/server/local/data-template.ts'
import { LocalServer } from '../src/server/local/local-server.ts'
import { snapshotKey } from '../src/server/schema-template.ts'
import { RunRegistry } from '../src/server/run-registry.ts'
import type { ServerEndpoint } from '../src/server/types.ts'
import { nodeFits } from '../src/config/node-version.ts'
import { eventually, isAlive, NestedProject } from './test-support/nested-project.ts'

// These run the preset as a user does — `vitest run` in a project of its own — against the real
// local server, and look at the processes and files it leaves (or must not leave) behind.

const reportServer = `
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
async function serverFacts(rig) {
  const cmdline = (await readFile('/proc/' + rig.server.pid + '/cmdline', 'utf8')).split('\\0')
  const dataDir = cmdline.find((arg) => arg.startsWith('--datadir='))?.slice('--datadir='.length)
  return { pid: rig.server.pid, dataDir }
}
export async function report(name, rig, extra = {}) {
  await writeFile(join(process.env.REPORT_DIR, name), JSON.stringify({ ...(await serverFacts(rig)), ...extra }))
}
`

/** Removes the data directories kept for `keys` (see DataSnapshot). */
async function removeKept(keys: ReadonlySet<string>): Promise<void> {
  const templates = join(await scratchRoot(true), 'test-rig-templates')
  for (const entry of await readdir(templates).catch(() => [])) {
    if ([...keys].some((key) => key !== '' && entry.endsWith(`+schema-${key}`))) await rm(join(templates, entry), { recursive: true, force: true })
  }
}

/**
 * The databases of a run (`rig_<run id>_…`) left on a server. Only what outlives runs on purpose
 * may stay: the template and the run registry, which are not named after a run.
 */
async function runDatabasesLeft(endpoint: ServerEndpoint): Promise<string[]> {
  const admin = await openConnection(endpoint)
  try {
    const [left] = await admin.query<RowDataPacket[]>("SHOW DATABASES LIKE 'rig\\_%'")
    return left.map((row) => String(Object.values(row)[0])).filter((name) => /^rig_[0-9a-z]{10}_/.test(name))
  } finally {
    admin.destroy()
  }
}

async function gone(path: string): Promise<boolean> {
  return access(path).then(() => false, () => true)
}

/** Pids of processes whose command line contains `text`. */
async function processesNaming(text: string): Promise<Array<{ pid: number; cmdline: string }>> {
  const found: Array<{ pid: number; cmdline: string }> = []
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue
    const cmdline = await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '')
    if (cmdline.includes(text) && !cmdline.startsWith('/bin/sh')) found.push({ pid: Number(name), cmdline })
  }
  return found
}

/** Polls (as fast as /proc can be read) for the first process whose command line contains `text`. */
async function firstProcessNaming(text: string, timeoutMs: number): Promise<{ pid: number; cmdline: string }> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const [first] = await processesNaming(text)
    if (first) return first
  }
  throw new Error(`no process naming ${text} appeared within ${timeoutMs} ms`)
}

async function waitForFile(project: NestedProject, name: string): Promise<Record<string, unknown>> {
  const found = await eventually(async () => !(await gone(join(project.dir, name))), 30_000)
  if (!found) throw new Error(`the nested run never wrote ${name}`)
  return JSON.parse(await project.read(name)) as Record<string, unknown>
}

describe('the preset, run as a user runs it', () => {
  test('drops the database after a failing and a timed-out test, and the server is gone after the run', async () => {
    await using project = await NestedProject.create({
      'specs/report.ts': reportServer,
      'specs/cleanup.spec.ts': `
        import { expect, test } from 'test-rig'
        import { report } from './report.ts'
        const names = []
        test('fails on purpose', async ({ rig, conn }) => {
          names.push(rig.databaseName)
          await conn.query('CREATE TABLE t (id INT)')
          expect('this test').toBe('failing')
        })
        test('times out on purpose', { timeout: 300 }, async ({ rig, conn }) => {
          names.push(rig.databaseName)
          await conn.query('CREATE TABLE t (id INT)')
          await new Promise((resolve) => setTimeout(resolve, 1500))
        })
        test('sees neither database any more', async ({ rig, conn }) => {
          // Drops run in the background after each test: wait (bounded) for them.
          let existing = []
          for (let i = 0; i < 100; i++) {
            const [rows] = await conn.query('SHOW DATABASES')
            existing = rows.map((row) => row.Database)
            if (!names.some((name) => existing.includes(name))) break
            await new Promise((resolve) => setTimeout(resolve, 50))
          }
          expect(existing).toContain(rig.databaseName)
          for (const name of names) expect(existing).not.toContain(name)
          await report('server.json', rig, { checked: names })
        })
      `,
    })
    const { code, output } = await project.run()
    expect(code).toBe(1)
    expect(output).toMatch(/2 failed \| 1 passed/)
    const server = JSON.parse(await project.read('server.json')) as { pid: number; dataDir: string; checked: string[] }
    expect(server.checked).toHaveLength(2)
    expect(await isAlive(server.pid)).toBe(false)
    expect(await gone(server.dataDir)).toBe(true)
  })

  test('tests in parallel workers never see each other’s tables', async () => {
    const spec = (me: string, other: string) => `
      import { access, writeFile } from 'node:fs/promises'
      import { join } from 'node:path'
      import { expect, test } from 'test-rig'
      test('${me} sees only its own rows', async ({ conn }) => {
        await conn.query('CREATE TABLE shared (who VARCHAR(10))')
        await conn.query('INSERT INTO shared VALUES (?)', ['${me}'])
        await writeFile(join(process.env.REPORT_DIR, '${me}.ready'), '')
        // Wait until the other worker has written its row too, so both tables exist at once.
        for (let i = 0; i < 200; i++) {
          if (await access(join(process.env.REPORT_DIR, '${other}.ready')).then(() => true, () => false)) break
          await new Promise((resolve) => setTimeout(resolve, 50))
        }
        const [rows] = await conn.query('SELECT who FROM shared')
        expect(rows).toEqual([{ who: '${me}' }])
      })
    `
    await using project = await NestedProject.create({ 'specs/a.spec.ts': spec('a', 'b'), 'specs/b.spec.ts': spec('b', 'a') })
    const { code, output } = await project.run(['--maxWorkers=2', '--fileParallelism'])
    expect(output).toMatch(/2 passed/)
    expect(code).toBe(0)
    expect(await readFile(join(project.dir, 'a.ready'), 'utf8')).toBe('')
  })

  test('connections the test left open are killed, with a warning naming the test: at once when they hold the drop, else at the file\'s end', async () => {
    await using project = await NestedProject.create({
      'specs/leak.spec.ts': `
        import mysql from 'mysql2/promise'
        import { test } from 'test-rig'
        test('leaves a transaction open', async ({ rig, conn }) => {
          await conn.query('CREATE TABLE t (id INT)')
          const own = await mysql.createConnection(rig.url)
          await own.query('BEGIN')
          await own.query('INSERT INTO t VALUES (1)') // holds a lock that DROP DATABASE would wait for
        })
        test('leaves a connection open', async ({ rig }) => {
          await mysql.createConnection(rig.url) // holds nothing: the drop goes through
        })
      `,
    })
    const startedAt = performance.now()
    const { code, output } = await project.run()
    expect(output).toMatch(/warn: after "leaves a transaction open": 1 connection\(s\) to rig_\w+ were still open \(opened by the test itself, not through the rig\) and held its drop; they were killed/)
    expect(output).toMatch(/warn: after "leaves a connection open": 1 connection\(s\) to rig_\w+ were still open after the test \(opened by the test itself, not through the rig\); they were killed/)
    expect(output.match(/were still open/g)).toHaveLength(2)
    expect(output).toMatch(/2 passed/)
    expect(code).toBe(0)
    expect(performance.now() - startedAt).toBeLessThan(9_000) // no lock-wait timeout (10 s) in the teardown
  })

  test("with pool: 'threads' every worker names its databases apart", async () => {
    // Threads share one process id; the names once collided ("database exists").
    const spec = (file: number) => `
      import { expect, test } from 'test-rig'
      for (let i = 0; i < 5; i++) test('file ${file} test ' + i, async ({ rig, conn }) => {
        await conn.query('CREATE TABLE t (id INT)')
        expect(rig.databaseName).toMatch(/_w[0-9a-z]+t[0-9a-z]+_t\\d+$/)
      })
    `
    await using project = await NestedProject.create(Object.fromEntries([1, 2, 3, 4].map((n) => [`specs/t${n}.spec.ts`, spec(n)])))
    const { code, output } = await project.run(['--pool=threads', '--maxWorkers=4', '--fileParallelism'])
    expect(output).toMatch(/20 passed/)
    expect(code).toBe(0)
  })

  test('with databaseScope "file" the tests of a file share one database, dropped after the file', async () => {
    await using project = await NestedProject.create({
      'specs/shared.spec.ts': `
        import { writeFile } from 'node:fs/promises'
        import { join } from 'node:path'
        import { expect, test } from 'test-rig'
        let first
        test('creates a table', async ({ rig, conn }) => {
          first = rig.databaseName
          await conn.query('CREATE TABLE kept (id INT)')
        })
        test('still sees it', async ({ rig, conn }) => {
          expect(rig.databaseName).toBe(first)
          const [rows] = await conn.query('SHOW TABLES')
          expect(rows).toHaveLength(1)
          await writeFile(join(process.env.REPORT_DIR, 'file-db.json'), JSON.stringify(first))
        })
      `,
      'specs/later.spec.ts': `
        import { readFile } from 'node:fs/promises'
        import { join } from 'node:path'
        import { expect, test } from 'test-rig'
        const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
        test('the other file’s database goes when that file ends', { timeout: 20_000 }, async ({ conn }) => {
          let name
          while (!name) name = await readFile(join(process.env.REPORT_DIR, 'file-db.json'), 'utf8').then(JSON.parse, () => sleep(50))
          let rows = [1]
          for (let i = 0; i < 200 && rows.length > 0; i++) {
            ;[rows] = await conn.query('SHOW DATABASES LIKE ?', [name])
            if (rows.length > 0) await sleep(50)
          }
          expect(rows).toEqual([])
        })
      `,
    }, { test: { databaseScope: 'file' } })
    const { code, output } = await project.run(['--maxWorkers=2', '--fileParallelism'])
    expect(output).toMatch(/3 passed/)
    expect(code).toBe(0)
  })

  test.each(['SIGKILL', 'SIGINT'] as const)('the server and its files are gone after %s of the runner', async (signal) => {
    await using project = await NestedProject.create({
      'specs/report.ts': reportServer,
      'specs/hang.spec.ts': `
        import { test } from 'test-rig'
        import { report } from './report.ts'
        test('waits to be killed', { timeout: 120_000 }, async ({ rig, conn }) => {
          await conn.query('SELECT 1')
          await report('server.json', rig)
          await new Promise((resolve) => setTimeout(resolve, 100_000))
        })
      `,
    })
    const runner = project.start()
    const server = (await waitForFile(project, 'server.json')) as { pid: number; dataDir: string }
    expect(await isAlive(server.pid)).toBe(true)
    runner.kill(signal)
    expect(await eventually(async () => !(await isAlive(server.pid)), 15_000)).toBe(true)
    expect(await eventually(() => gone(server.dataDir), 15_000)).toBe(true)
  })

  test('a SIGKILL of the runner the instant its server process appears leaves no process, port or folder once the next run starts', async () => {
    await using project = await NestedProject.create({ 'specs/x.spec.ts': "import { test } from 'test-rig'\ntest('x', async ({ conn }) => { await conn.query('SELECT 1') })\n" })
    const runner = project.start()
    const server = await firstProcessNaming(`test-rig-run-${runner.pid}-`, 30_000)
    runner.kill('SIGKILL')
    const folder = /(\/[^\0]*test-rig-run-\d+-[A-Za-z0-9]{6})/.exec(server.cmdline)?.[1] as string
    expect(folder).toBeDefined()
    const { code } = await project.run()
    expect(code).toBe(0)
    expect(await eventually(async () => !(await isAlive(server.pid)), 15_000)).toBe(true)
    expect(await gone(folder)).toBe(true)
    expect(await processesNaming(folder)).toEqual([])
  })

  const oldNode = ['/usr/bin/node', '/usr/local/bin/node'].find((path) => {
    const version = spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout?.trim().replace(/^v/, '')
    return version !== undefined && version !== '' && !nodeFits(version)
  })
  test.skipIf(!oldNode)(`on a Node too old for vitest 5 (${oldNode ?? 'none found here'}) the run stops first with what to do`, async () => {
    await using project = await NestedProject.create({ 'specs/x.spec.ts': "import { test } from 'test-rig'\ntest('x', () => {})\n" })
    const { code, output } = await project.run([], {}, oldNode)
    expect(code).not.toBe(0)
    expect(output).toMatch(/test-rig: Node 2\d\.\d+\.\d+ is too old: vitest 5 and testcontainers 12 need Node 22\.22 or later/)
    expect(output).not.toContain("Cannot read properties of undefined (reading 'bind')")
  })

  test('its workers run with Node\'s compile cache on, unless NODE_DISABLE_COMPILE_CACHE turns it off', async () => {
    const spec = "import module from 'node:module'\nimport { test } from 'test-rig'\ntest('x', () => { console.log('CACHE=' + String(module.getCompileCacheDir())) })\n"
    await using project = await NestedProject.create({ 'specs/x.spec.ts': spec })
    const on = await project.run([], { NODE_COMPILE_CACHE: '' })
    expect(on.code).toBe(0)
    expect(on.output).toContain(`CACHE=${join(tmpdir(), 'node-compile-cache')}`)
    const off = await project.run([], { NODE_COMPILE_CACHE: '', NODE_DISABLE_COMPILE_CACHE: '1' })
    expect(off.code).toBe(0)
    expect(off.output).toContain('CACHE=undefined')
  })

  test('a config error ends the run with one message naming the field and its source', async () => {
    await using project = await NestedProject.create({ 'specs/x.spec.ts': "import { test } from 'test-rig'\ntest('x', () => {})\n" })
    const { code, output } = await project.run([], { TIDB_HOST: 'db:notaport' })
    expect(code).toBe(1)
    expect(output).toContain('database.port = "notaport" (from environment variable TIDB_HOST)')
    expect(output).not.toMatch(/at .*src\/config\/load\.ts/)
    expect(output).not.toContain('No test files found') // the rig's message comes alone
  })

  test('against a shared external server a run keeps look-alike databases, sweeps a dead run and leaves nothing of its own', async () => {
    await using server = await new LocalServer().start()
    const admin = await openConnection(server.endpoint)
    try {
      // A run that died (SIGKILL) on this machine: registered, with a database, its process gone.
      const registry = await RunRegistry.open(admin, 'rig')
      const deadRun = newRunId()
      await registry.register(deadRun, spawnSync('true').pid as number)
      // Every shape a run makes: what a runner and its janitor killed together leave behind.
      const orphans = ['w1_t1', 'w2_f3', 'spares', 'kept1', 'isolation'].map((scope) => databaseName({ prefix: 'rig', runId: deadRun }, scope))
      const users = ['rig_production_data', 'rig_2024backup_orders', `rig_${deadRun}_notes`]
      for (const name of [...orphans, ...users]) await admin.query(`CREATE DATABASE \`${name}\``)
      await using project = await NestedProject.create({ 'specs/x.spec.ts': "import { expect, test } from 'test-rig'\ntest('x', async ({ conn }) => { await conn.query('CREATE TABLE t (id INT)') })\n" })
      const { code, output } = await project.run([], { DATABASE_URL: `mysql://root@127.0.0.1:${server.endpoint.port}/` })
      expect(output).toMatch(/1 passed/)
      expect(code).toBe(0)
      expect(output).toContain('dropped 5 databases of earlier runs that are no longer alive')
      const [rows] = await admin.query<RowDataPacket[]>('SHOW DATABASES LIKE ?', ['rig%'])
      expect(rows.map((row) => String(Object.values(row)[0])).sort()).toEqual([...users, 'rig__test_rig'].sort())
      expect(await registry.runs()).toEqual([])
    } finally {
      admin.destroy()
    }
  })

  test('ten pairs of runs, each pair needing the same new schema template on one shared server: all pass, each pair builds it once, the other run waits and uses it', { timeout: 600_000 }, async () => {
    await using server = await new LocalServer().start()
    const spec = "import { expect, test } from 'test-rig'\ntest('has the tables', async ({ conn }) => { const [rows] = await conn.query('SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()'); expect(rows).toEqual([{ n: 60 }]) })\n"
    const schemaOf = (pair: number) => Array.from({ length: 60 }, (_, i) => `CREATE TABLE p${pair}_t${i} (id INT PRIMARY KEY, note VARCHAR(40), KEY (note));`).join('\n')
    const env = { DATABASE_URL: `mysql://root@127.0.0.1:${server.endpoint.port}/` }
    await using a = await NestedProject.create({ 'specs/x.spec.ts': spec, 'fixtures/race.sql': schemaOf(0) }, { schema: { files: ['race.sql'] } })
    await using b = await NestedProject.create({ 'specs/x.spec.ts': spec, 'fixtures/race.sql': schemaOf(0) }, { schema: { files: ['race.sql'] } })
    const templates = new Set<string>()
    for (let pair = 0; pair < 10; pair++) {
      if (pair > 0) await Promise.all([a.write('fixtures/race.sql', schemaOf(pair)), b.write('fixtures/race.sql', schemaOf(pair))])
      const runs = await Promise.all([a.run([], env), b.run([], env)])
      for (const { code, output } of runs) {
        expect(output).toMatch(/1 passed/)
        expect(code).toBe(0)
      }
      const lines = runs.map(({ output }) => /schema template (rig_tpl_\w+) (built|is up to date)/.exec(output))
      expect(lines.map((line) => line?.[2]).sort(), `pair ${pair}`).toEqual(['built', 'is up to date'])
      expect(lines[0]?.[1]).toBe(lines[1]?.[1])
      templates.add(String(lines[0]?.[1]))
    }
    expect(templates.size).toBe(10)
    expect(await runDatabasesLeft(server.endpoint)).toEqual([])
  })

  test('a statement still running when its test times out is killed before the next test starts, never commits, and the failure names it', async () => {
    await using server = await new LocalServer().start()
    const url = `mysql://root@127.0.0.1:${server.endpoint.port}/`
    const spec = `import mysql from 'mysql2/promise'
import { expect, test } from 'test-rig'
const shared = { holder: undefined }
test('waits for a row lock past its timeout', { timeout: 1500 }, async ({ conn, rig }) => {
  const holder = await mysql.createConnection(process.env.DATABASE_URL)
  shared.holder = holder
  await holder.query('CREATE DATABASE IF NOT EXISTS ledger')
  await holder.query('CREATE TABLE IF NOT EXISTS ledger.acc (id INT PRIMARY KEY, n INT)')
  await holder.query('INSERT INTO ledger.acc VALUES (1, 0)')
  await holder.query('BEGIN')
  await holder.query('SELECT * FROM ledger.acc WHERE id = 1 FOR UPDATE')
  const other = await rig.connect()
  void other.query('UPDATE ledger.acc SET n = 7 WHERE id = 1').catch(() => {})
  await conn.query('UPDATE ledger.acc SET n = 42 WHERE id = 1')
})
test('the next test', async ({ conn }) => {
  const [running] = await conn.query("SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE 'UPDATE ledger.acc%'")
  expect(running).toEqual([{ n: 0 }])
  await shared.holder.query('COMMIT')
  await shared.holder.end()
  await new Promise((resolve) => setTimeout(resolve, 300))
  const [rows] = await conn.query('SELECT n FROM ledger.acc WHERE id = 1')
  expect(rows).toEqual([{ n: 0 }])
})
`
    await using project = await NestedProject.create({ 'specs/x.spec.ts': spec })
    const { code, output } = await project.run(['--no-file-parallelism'], { DATABASE_URL: url })
    expect(output).toMatch(/1 failed \| 1 passed/)
    expect(code).toBe(1)
    expect(output).toContain('Test timed out in 1500ms')
    expect(output).toContain('statements were still running on the server; they were killed')
    expect(output).toMatch(/conn \(server thread \d+\): UPDATE ledger\.acc SET n = 42 WHERE id = 1/)
    expect(output).toMatch(/a connection from rig\.connect\(\) \/ rig\.mysql \(server thread \d+\): UPDATE ledger\.acc SET n = 7 WHERE id = 1/)
    expect(await runDatabasesLeft(server.endpoint)).toEqual([])
  })

  test.each(['a single project', 'test.projects'] as const)('watch mode, %s: an edit of a schema file reruns the specs, and the rerun sees the new schema', async (shape) => {
    const spec = `import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, test } from 'test-rig'
test('lists its tables', async ({ conn }) => {
  const [rows] = await conn.query("SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY name")
  const names = rows.map((row) => row.name).join(',')
  await writeFile(join(process.env.REPORT_DIR, 'tables-' + names + '.txt'), names)
  expect(names.length).toBeGreaterThan(0)
})
`
    await using project = await NestedProject.create({ 'specs/x.spec.ts': spec, 'fixtures/schema.sql': 'CREATE TABLE first_table (id INT PRIMARY KEY);\n' }, { schema: { files: ['schema.sql'] } })
    if (shape === 'test.projects') {
      const config = await project.read('vitest.config.ts')
      await project.write('vitest.config.ts', config.replace(/plugins: \[(testRig\([^)]*\))\],\n  test: \{ include: \['specs\/\*\*\/\*\.spec\.ts'\] \},/, "test: { projects: [{ extends: true, plugins: [$1], test: { name: 'db', include: ['specs/**/*.spec.ts'] } }] },"))
      expect(await project.read('vitest.config.ts')).toContain('projects: [{ extends: true')
    }
    const watching = project.watch()
    expect(await eventually(async () => !(await gone(join(project.dir, 'tables-first_table.txt'))), 60_000), watching.output()).toBe(true)
    // Vitest's watcher needs a moment after the first run before it reports changes.
    await new Promise((resolve) => setTimeout(resolve, 500))
    await project.write('fixtures/schema.sql', 'CREATE TABLE first_table (id INT PRIMARY KEY);\nCREATE TABLE second_table (id INT PRIMARY KEY);\n')
    expect(await eventually(async () => !(await gone(join(project.dir, 'tables-first_table,second_table.txt'))), 60_000), watching.output()).toBe(true)
    expect(watching.output()).toMatch(/the schema changed: template rig_tpl_\w+ built in \d+ ms for the rerun/)
  })

  test('a failed test shows what its database saw under the error — its last statements, the failing one marked, the fault that fired — and no password', async () => {
    await using server = await new LocalServer().start()
    const admin = await openConnection(server.endpoint)
    await admin.query("CREATE USER 'app'@'%' IDENTIFIED BY 'sekret-pass-1'")
    await admin.query("CREATE USER 'app'@'localhost' IDENTIFIED BY 'sekret-pass-1'")
    await admin.query("GRANT ALL ON *.* TO 'app'@'%'")
    await admin.query("GRANT ALL ON *.* TO 'app'@'localhost'")
    admin.destroy()
    const spec = `import mysql from 'mysql2/promise'
import { expect, mysqlErrors, test } from 'test-rig'
test('reads a column that is not there', async ({ conn, faults, rig }) => {
  await conn.query('CREATE TABLE orders (id INT PRIMARY KEY, total INT)')
  await conn.query('INSERT INTO orders VALUES (1, 10)')
  faults.failNext('query', mysqlErrors.deadlock(), { when: 'total = 20' })
  await conn.query('UPDATE orders SET total = 20 WHERE id = 1').catch(() => {})
  const app = mysql.createPool(rig.url)
  await app.query('SELECT COUNT(*) FROM orders')
  await app.end()
  await conn.query('SELECT price FROM orders')
})
test('passes and shows nothing', async ({ conn }) => {
  await conn.query('SELECT 1')
})
`
    await using project = await NestedProject.create({ 'specs/x.spec.ts': spec })
    const { code, output } = await project.run([], { DATABASE_URL: `mysql://app:sekret-pass-1@127.0.0.1:${server.endpoint.port}/` })
    expect(output).toMatch(/1 failed \| 1 passed/)
    expect(code).toBe(1)
    expect(output).toMatch(/test-rig: what the database saw\s+↳ database rig_\w+ on mariadb 10\.[\d.]+ at 127\.0\.0\.1:\d+: 5 statements, 1 fault fired/)
    expect(output).toMatch(/ {5}1 +[\d.]+ ms \[thread \d+\] {2}CREATE TABLE orders \(id INT PRIMARY KEY, total INT\) → ok/)
    expect(output).toMatch(/UPDATE orders SET total = 20 WHERE id = 1 → ✗ ER_LOCK_DEADLOCK 1213: Deadlock found when trying to get lock; try restarting transaction \(injected: query \(once, when total = 20\)\)/)
    expect(output).toMatch(/SELECT COUNT\(\*\) FROM orders → 1 row/)
    expect(output).toMatch(/→ +5 +[\d.]+ ms \[thread \d+\] {2}SELECT price FROM orders → ✗ ER_BAD_FIELD_ERROR 1054: Unknown column 'price' in 'SELECT'/)
    expect(output.match(/what the database saw/g)).toHaveLength(1)
    // The database itself, dumped and attached, with the command that replays it (no password).
    const dumped = /test-rig: database dump\s+↳ 1 table, 1 row, written to (\S+\.sql); replay it into an empty database: mysql -h 127\.0\.0\.1 -P \d+ -u app <database> < \S+\.sql/.exec(output)?.[1]
    expect(dumped, output).toMatch(/^\.vitest\/attachments\/test-rig\/rig_\w+\.sql$/)
    const dump = await readFile(join(project.dir, dumped as string), 'utf8')
    expect(dump).toMatch(/CREATE TABLE `orders`[\s\S]*INSERT INTO `orders` VALUES \(1, 10\);;/)
    expect(output).not.toContain('sekret')
    expect(dump).not.toContain('sekret')
  })

  test('the statements of ORMs\' own pools (Kysely, Knex, Drizzle) are logged for the right test while tests run at once, in two workers and concurrently within each', async () => {
    const spec = (file: string) => `
import { drizzle } from 'drizzle-orm/mysql2'
import { sql as drizzleSql } from 'drizzle-orm'
import knex from 'knex'
import { Kysely, MysqlDialect, sql } from 'kysely'
import mysql from 'mysql2'
import mysqlPromise from 'mysql2/promise'
import { expect, test } from 'test-rig'
const pause = () => new Promise((resolve) => setTimeout(resolve, 15))
const own = (rig, tag) => {
  const statements = rig.statements.map((statement) => statement.sql)
  // Its own six (Knex asks the version when it connects), none of another test's.
  expect(statements.filter((sql) => sql.includes(tag))).toHaveLength(6)
  expect(statements.filter((sql) => /'[ab]-(kysely|knex|drizzle)'/.test(sql) && !sql.includes(tag))).toEqual([])
}
test.concurrent('kysely ${file}', async ({ rig }) => {
  const db = new Kysely({ dialect: new MysqlDialect({ pool: mysql.createPool(rig.url) }) })
  for (let i = 0; i < 6; i++) { await sql\`SELECT \${'${file}-kysely'} AS who\`.execute(db); await pause() }
  await db.destroy()
  own(rig, '${file}-kysely')
})
test.concurrent('knex ${file}', async ({ rig }) => {
  const db = knex({ client: 'mysql2', connection: rig.url, pool: { min: 0, max: 2 } })
  for (let i = 0; i < 6; i++) { await db.raw("SELECT '${file}-knex' AS who"); await pause() }
  await db.destroy()
  own(rig, '${file}-knex')
})
test.concurrent('drizzle ${file}', async ({ rig }) => {
  const pool = mysqlPromise.createPool(rig.url)
  const db = drizzle({ client: pool })
  for (let i = 0; i < 6; i++) { await db.execute(drizzleSql\`SELECT \${'${file}-drizzle'} AS who\`); await pause() }
  await pool.end()
  own(rig, '${file}-drizzle')
})
`
    await using project = await NestedProject.create({ 'specs/a.spec.ts': spec('a'), 'specs/b.spec.ts': spec('b') })
    const { code, output } = await project.run(['--maxWorkers=2', '--fileParallelism'])
    expect(output, output).toMatch(/6 passed/)
    expect(code).toBe(0)
  })

  test('on a shared server a failed test\'s database can be kept, capped in number, with the line that connects to it and no password; the oldest go first', async () => {
    await using server = await new LocalServer().start()
    const url = `mysql://root@127.0.0.1:${server.endpoint.port}/`
    const spec = (count: number) => `import { expect, test } from 'test-rig'
for (let i = 0; i < ${count}; i++) test('fails ' + i, async ({ conn }) => {
  await conn.query('CREATE TABLE evidence (id INT PRIMARY KEY)')
  await conn.query('INSERT INTO evidence VALUES (' + (i + 1) + ')')
  expect(i).toBe(-1)
})
`
    const kept = async () => {
      const admin = await openConnection(server.endpoint)
      try {
        const [rows] = await admin.query<RowDataPacket[]>("SHOW DATABASES LIKE 'rig\\_failed\\_%'")
        return rows.map((row) => String(Object.values(row)[0]))
      } finally {
        admin.destroy()
      }
    }
    await using first = await NestedProject.create({ 'specs/x.spec.ts': spec(3) }, { forensics: { keepFailedDatabases: 2 } })
    const { output } = await first.run(['--maxWorkers=1'], { DATABASE_URL: url })
    expect(output).toMatch(/3 failed/)
    expect(output).toMatch(/test-rig: database kept\s+↳ kept as rig_failed_\w+ on 127\.0\.0\.1:\d+ \(the 2 newest are kept\): mysql -h 127\.0\.0\.1 -P \d+ -u root rig_failed_\w+/)
    const afterFirst = await kept()
    expect(afterFirst).toHaveLength(2)
    const admin = await openConnection(server.endpoint)
    try {
      const [rows] = await admin.query<RowDataPacket[]>(`SELECT id FROM \`${afterFirst[0]}\`.evidence`)
      expect(rows).toHaveLength(1)
    } finally {
      admin.destroy()
    }
    // A later run keeps its own failure and lets the oldest go; the run's sweep never drops a kept one.
    await using second = await NestedProject.create({ 'specs/x.spec.ts': spec(1) }, { forensics: { keepFailedDatabases: 2 } })
    await second.run([], { DATABASE_URL: url })
    const afterSecond = await kept()
    expect(afterSecond).toHaveLength(2)
    expect(afterSecond.filter((name) => afterFirst.includes(name))).toHaveLength(1)
    // A run with a smaller cap sweeps the kept ones beyond it at its start, even with no failure of its own.
    await using third = await NestedProject.create({ 'specs/x.spec.ts': "import { test } from 'test-rig'\ntest('passes', async ({ conn }) => { await conn.query('SELECT 1') })\n" }, { forensics: { keepFailedDatabases: 1 } })
    const passing = await third.run([], { DATABASE_URL: url })
    expect(passing.output).toContain('dropped 1 kept databases of failed tests beyond forensics.keepFailedDatabases (1)')
    expect(await kept()).toHaveLength(1)
  })

  test('a schema template is built once and kept on a shared server: an unchanged schema is not rebuilt, a changed file is', async () => {
    await using server = await new LocalServer().start()
    const spec = "import { expect, test } from 'test-rig'\ntest('has the table', async ({ conn }) => { const [rows] = await conn.query('SELECT COUNT(*) AS n FROM things'); expect(rows).toEqual([{ n: 1 }]) })\n"
    await using project = await NestedProject.create({ 'specs/x.spec.ts': spec, 'fixtures/things.sql': 'CREATE TABLE things (id INT PRIMARY KEY);\nINSERT INTO things VALUES (1);\n' }, { schema: { files: ['things.sql'] } })
    const env = { DATABASE_URL: `mysql://root@127.0.0.1:${server.endpoint.port}/` }
    const runs: string[] = []
    for (const change of [undefined, undefined, 'CREATE TABLE things (id INT PRIMARY KEY, label VARCHAR(10));\nINSERT INTO things VALUES (1, "a");\n']) {
      if (change) await project.write('fixtures/things.sql', change)
      const { code, output } = await project.run([], env)
      expect(output).toMatch(/1 passed/)
      expect(code).toBe(0)
      runs.push(/schema template (rig_tpl_\w+) (built|is up to date)/.exec(output)?.slice(1).join(' ') ?? 'no template line')
    }
    expect(runs[0]).toMatch(/ built$/)
    expect(runs[1]).toBe(runs[0]?.replace(/ built$/, ' is up to date'))
    expect(runs[2]).toMatch(/ built$/)
    expect(runs[2]?.split(' ')[0]).not.toBe(runs[0]?.split(' ')[0]) // a new key
  })

  test('on the local provider the template is kept with the data directory: an unchanged schema starts built, a changed file is built again, and no test\'s writes are kept', async () => {
    // Each test writes a row to its copy: had a kept copy (or the template) taken it, a later run would see 2.
    const spec = "import { expect, test } from 'test-rig'\nfor (let i = 0; i < 3; i++) test('pristine ' + i, async ({ conn }) => { const [rows] = await conn.query('SELECT COUNT(*) AS n FROM things'); expect(rows).toEqual([{ n: 1 }]); await conn.query('INSERT INTO things (id) VALUES (2)') })\n"
    // A key of this test's own: the schema names a table no other project has.
    const table = `things_${newRunId()}`
    await using project = await NestedProject.create({ 'specs/x.spec.ts': spec.replaceAll('things', table), 'fixtures/things.sql': `CREATE TABLE ${table} (id INT PRIMARY KEY);\nINSERT INTO ${table} VALUES (1);\n` }, { server: { provider: 'local' }, schema: { files: ['things.sql'], keep: true } })
    const runs: string[] = []
    const keys = new Set<string>()
    // The kept directories of this test's keys go with it (they would push a project's own out).
    await using _cleanup = { [Symbol.asyncDispose]: () => removeKept(keys) }
    for (const change of [undefined, undefined, `CREATE TABLE ${table} (id INT PRIMARY KEY, label VARCHAR(10));\nINSERT INTO ${table} VALUES (1, 'a');\n`]) {
      if (change) await project.write('fixtures/things.sql', change)
      keys.add(await snapshotKey({ files: ['things.sql'] }, join(project.dir, 'fixtures'), 'rig') ?? '')
      const { code, output } = await project.run([])
      expect(output).toMatch(/3 passed/)
      expect(code).toBe(0)
      const line = /schema template (rig_tpl_\w+) (built|is up to date \(same key, kept with the local data directory\))/.exec(output)?.slice(1).join(' ') ?? 'no template line'
      runs.push(/kept the data directory with the schema template/.test(output) ? `${line}; kept` : line)
    }
    expect(runs[0]).toMatch(/ built; kept$/)
    expect(runs[1]).toBe(runs[0]?.replace(/ built; kept$/, ' is up to date (same key, kept with the local data directory)'))
    expect(runs[2]).toMatch(/ built; kept$/)
    expect(runs[2]?.split(' ')[0]).not.toBe(runs[0]?.split(' ')[0])
  })

  test('rollback mode: a file database whose test committed DDL is never handed to a later file, even with no connection opened meanwhile', async () => {
    // Each file checks that its database has only the template's columns, then adds one of its own
    // (DDL commits the test's transaction). Whichever file runs second would see the first's column
    // had its committed copy been reset the quick way and handed on.
    const spec = (column: string) => `
      import { expect, test } from 'test-rig'
      test('starts with the columns of the template only, then commits DDL', async ({ conn }) => {
        const [columns] = await conn.query('SHOW COLUMNS FROM things')
        expect(columns.map((c) => c.Field)).toEqual(['id'])
        await conn.query('ALTER TABLE things ADD COLUMN ${column} INT')
      })
    `
    await using project = await NestedProject.create({ 'specs/a.spec.ts': spec('from_a'), 'specs/b.spec.ts': spec('from_b'), 'specs/c.spec.ts': spec('from_c'), 'fixtures/things.sql': 'CREATE TABLE things (id INT PRIMARY KEY);\n' }, { schema: { files: ['things.sql'] }, test: { databaseScope: 'rollback' } })
    const { code, output } = await project.run(['--maxWorkers=1'])
    expect(output).toMatch(/3 passed/)
    expect(code).toBe(0)
  })

  test('a later file takes the pristine copies an earlier file left instead of cloning again, and the run leaves none behind', async () => {
    await using server = await new LocalServer().start()
    const spec = (file: string) => `
      import { appendFile } from 'node:fs/promises'
      import { join } from 'node:path'
      import { expect, test } from 'test-rig'
      for (let i = 0; i < 3; i++) test('${file} ' + i, async ({ rig, conn }) => {
        const [rows] = await conn.query('SELECT COUNT(*) AS n FROM things')
        expect(rows).toEqual([{ n: 1 }])
        await conn.query('INSERT INTO things VALUES (' + (10 + i) + ')')
        await appendFile(join(process.env.REPORT_DIR, '${file}.txt'), rig.databaseName + '\\n')
      })
    `
    await using project = await NestedProject.create({ 'specs/a.spec.ts': spec('a'), 'specs/b.spec.ts': spec('b'), 'fixtures/things.sql': 'CREATE TABLE things (id INT PRIMARY KEY);\nINSERT INTO things VALUES (1);\n' }, { schema: { files: ['things.sql'] } })
    const { code, output } = await project.run(['--maxWorkers=1', '--no-file-parallelism'], { DATABASE_URL: `mysql://root@127.0.0.1:${server.endpoint.port}/` })
    expect(output).toMatch(/6 passed/)
    expect(code).toBe(0)
    const [first, second] = await Promise.all(['a', 'b'].map(async (file) => (await project.read(`${file}.txt`)).trim().split('\n')))
    const [earlier, later] = output.indexOf('specs/a.spec.ts') < output.indexOf('specs/b.spec.ts') ? [first, second] : [second, first]
    expect(later?.some((name) => earlier?.includes(name))).toBe(true)
    expect(await runDatabasesLeft(server.endpoint)).toEqual([])
  })

  test('with --no-isolate one worker runs every file on the connections it opened once, each test still in a database of its own, and the run leaves none behind', async () => {
    await using server = await new LocalServer().start()
    const spec = (file: string) => `
      import { appendFile } from 'node:fs/promises'
      import { join } from 'node:path'
      import { expect, test } from 'test-rig'
      for (let i = 0; i < 3; i++) test('${file} ' + i, async ({ rig, conn }) => {
        const [tables] = await conn.query('SHOW TABLES')
        expect(tables).toEqual([])
        await conn.query('CREATE TABLE mine (id INT)')
        await conn.query('INSERT INTO mine VALUES (' + i + ')')
        await appendFile(join(process.env.REPORT_DIR, 'seen.txt'), [process.pid, conn.threadId, rig.databaseName].join(' ') + '\\n')
      })
    `
    await using project = await NestedProject.create({ 'specs/a.spec.ts': spec('a'), 'specs/b.spec.ts': spec('b'), 'specs/c.spec.ts': spec('c') })
    const { code, output } = await project.run(['--no-isolate', '--maxWorkers=1'], { DATABASE_URL: `mysql://root@127.0.0.1:${server.endpoint.port}/` })
    expect(output).toMatch(/9 passed/)
    expect(code).toBe(0)
    const seen = (await project.read('seen.txt')).trim().split('\n').map((line) => line.split(' '))
    expect(seen).toHaveLength(9)
    // One worker process for the three files, and the same pooled connections from file to file.
    expect(new Set(seen.map(([pid]) => pid)).size).toBe(1)
    expect(new Set(seen.map(([, thread]) => thread)).size).toBeLessThanOrEqual(2)
    // Every test made a table, so no database went to a second test.
    expect(new Set(seen.map(([, , database]) => database)).size).toBe(9)
    expect(await runDatabasesLeft(server.endpoint)).toEqual([])
  })

  test.each(['SIGINT', 'SIGTERM'] as const)('after %s of the runner against a shared server, the databases of the tests in flight are dropped', async (signal) => {
    await using server = await new LocalServer().start()
    const admin = await openConnection(server.endpoint)
    try {
      await using project = await NestedProject.create({
        'specs/hang.spec.ts': `
          import { writeFile } from 'node:fs/promises'
          import { join } from 'node:path'
          import { test } from 'test-rig'
          test('waits to be stopped', { timeout: 120_000 }, async ({ rig, conn }) => {
            await conn.query('CREATE TABLE t (id INT)')
            await writeFile(join(process.env.REPORT_DIR, 'db.json'), JSON.stringify(rig.databaseName))
            await new Promise((resolve) => setTimeout(resolve, 100_000))
          })
        `,
      })
      const runner = project.start([], { DATABASE_URL: `mysql://root@127.0.0.1:${server.endpoint.port}/` })
      const name = (await waitForFile(project, 'db.json')) as unknown as string
      const exists = async () => ((await admin.query<RowDataPacket[]>('SHOW DATABASES LIKE ?', [name]))[0]).length > 0
      expect(await exists()).toBe(true)
      runner.kill(signal)
      // Vitest exits at once; the run's janitor then drops the databases and only after that forgets the run.
      const registered = async () => ((await admin.query<RowDataPacket[]>('SELECT run_id FROM rig__test_rig.runs'))[0]).length
      expect(await eventually(async () => !(await exists()) && (await registered()) === 0, 15_000)).toBe(true)
    } finally {
      admin.destroy()
    }
  })

  test('after SIGKILL of the runner and its janitor together (a CI container killed), the next run on the shared server drops every database of the dead run, its spares list too', async () => {
    await using server = await new LocalServer().start()
    const admin = await openConnection(server.endpoint)
    const url = `mysql://root@127.0.0.1:${server.endpoint.port}/`
    try {
      await using project = await NestedProject.create({
        'specs/a.spec.ts': `
          import { writeFile } from 'node:fs/promises'
          import { join } from 'node:path'
          import { test } from 'test-rig'
          test('waits to be killed', { timeout: 120_000 }, async ({ rig, conn }) => {
            await conn.query('CREATE TABLE t (id INT)')
            await writeFile(join(process.env.REPORT_DIR, 'db.json'), JSON.stringify(rig.databaseName))
            await new Promise((resolve) => setTimeout(resolve, 100_000))
          })
        `,
      })
      const runner = project.start([], { DATABASE_URL: url })
      const name = (await waitForFile(project, 'db.json')) as unknown as string
      const runId = /^rig_([0-9a-z]{10})_/.exec(name)?.[1] as string
      // The dead run's spares list, as a worker that ended before would have left it.
      await admin.query(`CREATE DATABASE IF NOT EXISTS \`rig_${runId}_spares\``)
      // This run's janitor (its parent is the runner; other runs may be going on beside this test).
      const parentOf = async (pid: number) => Number((await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')).replace(/^.*\) /s, '').split(' ')[1])
      const janitors = []
      for (const candidate of await processesNaming('run-janitor')) if ((await parentOf(candidate.pid)) === runner.pid) janitors.push(candidate)
      expect(janitors).toHaveLength(1)
      for (const { pid } of janitors) process.kill(pid, 'SIGKILL')
      process.kill(-(runner.pid as number), 'SIGKILL')
      await new Promise((resolve) => runner.once('close', resolve))
      const left = async () => ((await admin.query<RowDataPacket[]>('SHOW DATABASES LIKE ?', [`rig\\_${runId}\\_%`]))[0]).map((row) => String(Object.values(row)[0]))
      // The test's database, those its worker made ahead, and the spares list.
      const dead = await left()
      expect(dead).toEqual(expect.arrayContaining([name, `rig_${runId}_spares`]))
      await using next = await NestedProject.create({ 'specs/x.spec.ts': "import { test } from 'test-rig'\ntest('x', async ({ conn }) => { await conn.query('SELECT 1') })\n" })
      const { code, output } = await next.run([], { DATABASE_URL: url })
      expect(code).toBe(0)
      expect(output).toContain(`dropped ${dead.length} databases of earlier runs that are no longer alive`)
      expect(await left()).toEqual([])
    } finally {
      admin.destroy()
    }
  })

  test('an unreachable external server ends the run with the fix and no password, on the terminal and in the log file', async () => {
    await using project = await NestedProject.create({ 'specs/x.spec.ts': "import { test } from 'test-rig'\ntest('x', () => {})\n" })
    const logFile = join(project.dir, 'rig.log')
    // The password typed into the host too: printed nowhere.
    const { code, output } = await project.run([], { DATABASE_URL: 'mysql://app:topsecret@127.0.0.1:1/shop', TIDB_PASSWORD: 'topsecret', TEST_RIG_LOGGING_FILE: logFile })
    expect(code).toBe(1)
    expect(output).toContain('cannot reach the external server at 127.0.0.1:1: connection refused')
    expect(output).not.toContain('No test files found')
    expect(output).toContain('the host comes from environment variable DATABASE_URL')
    expect(output).not.toContain('topsecret')
    const logged = await readFile(logFile, 'utf8')
    expect(logged).toContain('cannot reach the external server at 127.0.0.1:1: connection refused')
    expect(logged).not.toContain('topsecret')
  })
})
