import mysql from 'mysql2/promise'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { importIntoSql, startImport } from './import-queries.ts'
import { monitorImportJobs, type ImportEvent } from './monitor.ts'
import { describeJob, progressDisplay } from './progress-display.ts'
import { ScriptedTidbServer } from './scripted-tidb-server.ts'

// The monitor against a scripted server speaking the MySQL protocol (a test double replaying
// TiDB's result sets), since no TiDB runs here.

let server: ScriptedTidbServer
let conn: mysql.Connection
beforeEach(async () => {
  server = await ScriptedTidbServer.start({ extraColumns: ['Last_Update_Time', 'Cur_Step'] })
  conn = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root' })
})
afterEach(async () => {
  conn.destroy()
  await server[Symbol.asyncDispose]()
})

const through = (rows: number, more: object = {}) => ({ Status: 'running', Start_Time: '2026-11-22 10:00:01.000000', Imported_Rows: rows, Source_File_Size: '1.02KiB', ...more })
const phases = [
  { Status: 'pending' },
  through(0, { Phase: 'importing' }),
  through(500, { Phase: 'importing' }),
  through(1000, { Phase: 'validating' }),
  through(1000, { Phase: 'add-index' }),
  through(1000, { Phase: '', Status: 'finished', End_Time: '2026-11-22 10:00:09.000000' }),
]

describe('monitorImportJobs', () => {
  test('follows a job through its phases to the end, one event per change', async () => {
    const id = server.addJob(phases)
    const seen: ImportEvent[] = []
    const result = await monitorImportJobs(conn, { jobId: id, durationMs: 5_000, intervalMs: 10, onEvent: (event) => seen.push(event) })
    expect(result.status).toBe('completed')
    expect(result.polls).toBe(6)
    expect(result.events.map((e) => `${e.kind}:${e.status}/${e.phase}`)).toEqual([
      'seen:pending/', 'status:running/importing', 'phase:running/importing', 'progress:running/importing',
      'phase:running/validating', 'progress:running/validating', 'phase:running/add-index', 'finished:finished/',
    ])
    expect(seen).toEqual(result.events)
    expect(result.jobs[0]).toMatchObject({ status: 'finished', importedRows: 1000, active: false, extra: { Cur_Step: `Cur_Step of job ${id}` } })
    expect(result.run.visited.at(-1)).toBe('done')
  })

  test('reports a failed job with its message', async () => {
    server.addJob([{ Status: 'running', Phase: 'importing' }, { Status: 'failed', Phase: '', End_Time: '2026-11-22 10:00:02.000000', Result_Message: '[Lightning:Restore:ErrEncodeKV]encode kv error in file data.csv:12' }])
    const result = await monitorImportJobs(conn, { durationMs: 5_000, intervalMs: 10 })
    expect(result.status).toBe('completed')
    expect(result.events.at(-1)).toMatchObject({ kind: 'failed', message: expect.stringContaining('encode kv error in file data.csv:12') })
  })

  test('watches the jobs active at the first poll, not finished ones', async () => {
    server.addJob([{ Status: 'finished', End_Time: '2026-11-22 09:00:00.000000', Imported_Rows: 5 }])
    const active = server.addJob(phases)
    const result = await monitorImportJobs(conn, { durationMs: 5_000, intervalMs: 5 })
    expect(result.jobs.map((job) => job.id)).toEqual([active])
  })

  test('never polls faster than the interval', async () => {
    server.addJob([{ Status: 'running', Phase: 'importing' }]) // never ends
    const result = await monitorImportJobs(conn, { durationMs: 400, intervalMs: 80 })
    expect(result.status).toBe('timed-out')
    const times = server.polls.map((poll) => poll.atMs)
    for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(75)
    expect(times.length).toBeLessThanOrEqual(6)
  })

  test('stops cleanly and at once when its signal fires (Ctrl-C)', async () => {
    server.addJob([{ Status: 'running', Phase: 'importing' }])
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    const startedAt = performance.now()
    const result = await monitorImportJobs(conn, { durationMs: 60_000, intervalMs: 10_000, signal: controller.signal })
    expect(result.status).toBe('stopped')
    expect(performance.now() - startedAt).toBeLessThan(1_000)
  })
})

describe('starting imports', () => {
  test('IMPORT INTO quotes the table, the source and the options', () => {
    expect(importIntoSql({ table: 'shop.orders', source: "/data/it's.csv", format: 'csv', options: { skip_rows: 1, thread: 4, disable_precheck: true } }))
      .toBe("IMPORT INTO `shop`.`orders` FROM '/data/it''s.csv' FORMAT 'csv' WITH DETACHED, skip_rows=1, thread=4, disable_precheck")
    expect(() => importIntoSql({ table: 'orders; DROP TABLE x', source: 'x' })).toThrow(/not a table name/)
  })

  test('starts a detached job and follows it', async () => {
    server.onImport(/orders\.csv$/, phases)
    const job = await startImport(conn, { table: 'orders', source: '/fixtures/orders.csv' })
    expect(job).toMatchObject({ status: 'pending', dataSource: '/fixtures/orders.csv', targetTable: '`orders`' })
    const result = await monitorImportJobs(conn, { jobId: job.id, durationMs: 5_000, intervalMs: 5 })
    expect(result.jobs[0]).toMatchObject({ status: 'finished', importedRows: 1000 })
  })

  test('a missing file fails with the server’s message', async () => {
    await expect(startImport(conn, { table: 'orders', source: '/nope.csv' })).rejects.toMatchObject({ errno: 8158 })
  })
})

describe('progress display', () => {
  test('redraws one line per job on a terminal, and says nothing in CI or a pipe', () => {
    const written: string[] = []
    const tty = { isTTY: true, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream
    const job = { id: 3, targetTable: '`t`', status: 'running', phase: 'importing', importedRows: 1500, sourceFileSize: '2GB', dataSource: 's3://b/f.csv', resultMessage: '' } as never
    progressDisplay(tty, true, {}).update([job])
    expect(written.join('')).toContain('import job 3 `t`: running importing 1,500 rows of 2GB from s3://b/f.csv')
    written.length = 0
    progressDisplay(tty, false, { CI: 'true' }).update([job])
    progressDisplay({ isTTY: false, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream).update([job])
    expect(written).toEqual([])
    expect(describeJob(job)).toBe('import job 3 `t`: running importing 1,500 rows of 2GB')
  })
})
