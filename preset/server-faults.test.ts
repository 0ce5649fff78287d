import { readFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { describe, expect, test } from 'vitest'
import { listServerBinaries } from '../src/server/discovery.ts'
import { eventually, isAlive, NestedProject } from './test-support/nested-project.ts'

// The tidb-server a worker starts for tests tagged server-faults is released like the run's own:
// after the run, and after a SIGKILL of the runner (no process, folder or failpoint port left).

const [tidb] = await listServerBinaries({ engine: 'tidb' })

/** Writes the worker's own server's pid, data path and failpoint address for the test to read. */
const reportOwnServer = `
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
export async function reportOwn(rig) {
  const pid = rig.server.pid
  const cmdline = (await readFile('/proc/' + pid + '/cmdline', 'utf8')).split('\\0')
  const environ = (await readFile('/proc/' + pid + '/environ', 'utf8')).split('\\0')
  const path = cmdline.find((arg) => arg.startsWith('-path='))?.slice('-path='.length)
  const failpoints = environ.find((entry) => entry.startsWith('GO_FAILPOINTS_HTTP='))?.slice('GO_FAILPOINTS_HTTP='.length)
  await writeFile(join(process.env.REPORT_DIR, 'own.json'), JSON.stringify({ pid, path, failpoints }))
}
`

function answers(address: string): Promise<boolean> {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))]
  return new Promise((resolve) => {
    const socket = connect({ host, port }, () => { socket.destroy(); resolve(true) })
    socket.on('error', () => resolve(false))
  })
}

async function waitForOwn(project: NestedProject): Promise<{ pid: number; path: string; failpoints: string }> {
  for (let i = 0; i < 1200; i++) {
    const text = await readFile(`${project.dir}/own.json`, 'utf8').catch(() => undefined)
    if (text) return JSON.parse(text) as { pid: number; path: string; failpoints: string }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('the nested run never reported its own server')
}

const gone = (path: string) => readFile(`${path}/.`).then(() => false, (error: NodeJS.ErrnoException) => error.code === 'ENOENT')

describe.skipIf(!tidb)('the worker\'s own TiDB for server faults', () => {
  const options = { server: { provider: 'local', engine: 'tidb', binary: tidb?.path } }

  test('is stopped, its folder and failpoint port gone, after the run, a failing test in it included', async () => {
    await using project = await NestedProject.create({
      'specs/report.ts': reportOwnServer,
      'specs/faulty.spec.ts': `
        import { expect, test } from 'test-rig'
        import { reportOwn } from './report.ts'
        test('fails with a fault armed', { tags: ['server-faults'] }, async ({ rig, conn, faults }) => {
          await reportOwn(rig)
          await faults.server.pdTimeout({ forMs: 60_000 })
          expect(1).toBe(2)
        })
        test('the next test meets a healthy server', { tags: ['server-faults'] }, async ({ conn }) => {
          await conn.query('CREATE TABLE t (id INT PRIMARY KEY)')
          await conn.query('INSERT INTO t VALUES (1)')
        })
      `,
    }, options)
    const { code, output } = await project.run()
    expect(output).toMatch(/1 failed \| 1 passed|1 passed.*1 failed/s)
    expect(code).toBe(1)
    const own = await waitForOwn(project)
    expect(await eventually(async () => !(await isAlive(own.pid)), 15_000)).toBe(true)
    expect(await gone(own.path)).toBe(true)
    expect(await answers(own.failpoints)).toBe(false)
  })

  test('a fault armed in one worker never reaches a test running at the same time in another', async () => {
    const waitFor = `
      import { readFile, writeFile } from 'node:fs/promises'
      import { join } from 'node:path'
      export const mark = (name) => writeFile(join(process.env.REPORT_DIR, name), '1')
      export async function waitFor(name) {
        for (let i = 0; i < 600; i++) {
          if (await readFile(join(process.env.REPORT_DIR, name)).then(() => true, () => false)) return
          await new Promise((resolve) => setTimeout(resolve, 50))
        }
        throw new Error('never saw ' + name)
      }
    `
    await using project = await NestedProject.create({
      'specs/marks.ts': waitFor,
      'specs/a-faulty.spec.ts': `
        import { expect, test } from 'test-rig'
        import { mark, waitFor } from './marks.ts'
        test('arms a fault for as long as the other test runs', { tags: ['server-faults'], timeout: 60_000 }, async ({ rig, conn, faults }) => {
          await conn.query('CREATE TABLE t (id INT PRIMARY KEY)')
          const fault = await faults.server.regionUnavailable({ forMs: 30_000 })
          await expect(conn.query('INSERT INTO t VALUES (1)')).rejects.toMatchObject({ errno: 9005 })
          await mark('armed')
          await waitFor('done')
          await expect(conn.query('INSERT INTO t VALUES (2)')).rejects.toMatchObject({ errno: 9005 })
          expect(fault.firedCount).toBe(2)
        })
      `,
      'specs/b-bystander.spec.ts': `
        import { expect, test } from 'test-rig'
        import { mark, waitFor } from './marks.ts'
        test('writes on its own server meanwhile', { tags: ['server-faults'], timeout: 60_000 }, async ({ conn }) => {
          await conn.query('CREATE TABLE t (id INT PRIMARY KEY)')
          await waitFor('armed')
          for (let i = 0; i < 50; i++) await conn.query('INSERT INTO t VALUES (?)', [i])
          const [rows] = await conn.query('SELECT COUNT(*) AS n FROM t')
          expect(Number(rows[0].n)).toBe(50)
          await mark('done')
        })
      `,
    }, options)
    const { code, output } = await project.run(['--maxWorkers=2', '--fileParallelism'])
    expect(output).toMatch(/2 passed/)
    expect(code).toBe(0)
  })

  test('is stopped, its folder and failpoint port gone, after SIGKILL of the runner', async () => {
    await using project = await NestedProject.create({
      'specs/report.ts': reportOwnServer,
      'specs/hang.spec.ts': `
        import { test } from 'test-rig'
        import { reportOwn } from './report.ts'
        test('waits to be killed with a fault armed', { tags: ['server-faults'], timeout: 120_000 }, async ({ rig, conn, faults }) => {
          await faults.server.pdTimeout({ forMs: 100_000 })
          await reportOwn(rig)
          await new Promise((resolve) => setTimeout(resolve, 100_000))
        })
      `,
    }, options)
    const runner = project.start()
    const own = await waitForOwn(project)
    expect(await isAlive(own.pid)).toBe(true)
    expect(await answers(own.failpoints)).toBe(true)
    runner.kill('SIGKILL')
    expect(await eventually(async () => !(await isAlive(own.pid)), 20_000)).toBe(true)
    expect(await eventually(() => gone(own.path), 15_000)).toBe(true)
    expect(await answers(own.failpoints)).toBe(false)
  })
})
