import mysql from 'mysql2/promise'
import { expect, test } from 'test-rig'
import { monitorImportJobs, ScriptedTidbServer } from 'test-rig/imports'

// TiDB import jobs. The live tests need TiDB 7.2+; elsewhere they are skipped with the reason.

test('imports a CSV fixture and finishes with its rows', { timeout: 120_000 }, async ({ rig, conn, skip }) => {
  skip(!rig.imports.supported, rig.imports.unsupportedReason)
  await conn.query('CREATE TABLE orders (id INT PRIMARY KEY, customer VARCHAR(50), total_cents INT)')
  const job = await rig.imports.start({ table: 'orders', file: 'orders.csv', options: { skip_rows: 1 } })
  const result = await rig.imports.watch({ jobId: job.id, intervalMs: 500 })
  expect(result.jobs[0]).toHaveFinishedImport(3)
})

test('a bad file fails with the job’s message', { timeout: 120_000 }, async ({ rig, conn, skip }) => {
  skip(!rig.imports.supported, rig.imports.unsupportedReason)
  await conn.query('CREATE TABLE orders (id INT PRIMARY KEY, total_cents INT)')
  const failed = await rig.imports.start({ table: 'orders', file: 'orders.csv' }).then(
    (job) => rig.imports.watch({ jobId: job.id, intervalMs: 500 }).then((result) => result.jobs[0]),
    (error: unknown) => error,
  )
  if (failed instanceof Error) expect(failed.message).toMatch(/column|field|value/i)
  else expect(failed).toHaveFailedImport()
})

test('an engine without import jobs says so, by name and version', async ({ rig, skip }) => {
  skip(rig.imports.supported, `${rig.server.engine} ${rig.server.version} has IMPORT INTO`)
  expect(rig.imports.unsupportedReason).toMatch(new RegExp(`IMPORT INTO is not supported by (\\w+|this TiDB) ${rig.server.version.replace(/\./g, '\\.')}`))
  await expect(rig.imports.start({ table: 'orders', file: 'orders.csv' })).rejects.toMatchObject({ code: 'TEST_RIG_IMPORT_NOT_SUPPORTED' })
})

test('on TiDB without a TiKV cluster, IMPORT INTO is refused with the reason, not the server’s puzzle', async ({ rig, skip }) => {
  skip(rig.server.engine !== 'tidb' || rig.server.tidbStorage !== 'embedded', 'needs TiDB on its embedded storage')
  expect(rig.imports.supported).toBe(false)
  expect(rig.imports.unsupportedReason).toMatch(/runs standalone on its embedded storage \(unistore\), and IMPORT INTO needs a TiKV cluster with PD/)
  await expect(rig.imports.start({ table: 'orders', file: 'orders.csv' })).rejects.toMatchObject({ code: 'TEST_RIG_IMPORT_NOT_SUPPORTED' })
})

test('the scripted TiDB double answers SHOW IMPORT JOBS with the real server’s columns and types', async ({ rig, conn, skip }) => {
  skip(rig.server.engine !== 'tidb', 'needs a TiDB to compare with')
  const [realRows, realFields] = await conn.query('SHOW IMPORT JOBS')
  expect(realRows).toEqual([])
  await using tidb = await ScriptedTidbServer.start()
  const connection = await mysql.createConnection({ host: '127.0.0.1', port: tidb.port, user: 'root' })
  try {
    const [, doubleFields] = await connection.query('SHOW IMPORT JOBS')
    const shape = (fields: unknown) => (fields as { name: string; columnType: number }[]).map((field) => `${field.name}:${field.columnType}`)
    expect(shape(doubleFields)).toEqual(shape(realFields))
  } finally {
    connection.destroy()
  }
})

test('your own import dashboard, tested against the scripted TiDB double', async () => {
  // ScriptedTidbServer is a test double that answers SHOW IMPORT JOBS like TiDB, frame by frame.
  await using tidb = await ScriptedTidbServer.start()
  tidb.addJob([
    { Status: 'running', Phase: 'importing', Imported_Rows: 100, Source_File_Size: '2GiB' },
    { Status: 'running', Phase: 'add-index', Imported_Rows: 900 },
    { Status: 'finished', End_Time: '2026-11-22 10:00:00.000000', Imported_Rows: 1000 },
  ])
  const connection = await mysql.createConnection({ host: '127.0.0.1', port: tidb.port, user: 'root' })
  try {
    const phases: string[] = []
    const result = await monitorImportJobs(connection, { durationMs: 5_000, intervalMs: 10, onEvent: (e) => {
      if (e.phase && e.phase !== phases.at(-1)) phases.push(e.phase)
    } })
    expect(phases).toEqual(['importing', 'add-index'])
    expect(result.jobs[0]).toHaveFinishedImport(1000)
  } finally {
    connection.destroy()
  }
})
