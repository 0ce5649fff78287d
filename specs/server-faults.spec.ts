import type { Connection, RowDataPacket } from 'mysql2/promise'
import { inject } from 'vitest'
import { describe, expect, test } from 'test-rig'
import { ServerFaultsUnavailableError } from 'test-rig/faults'
import { ResilientConnection, resilient } from 'test-rig/resilience'

// Faults inside TiDB itself, made by its failpoints (faults.server): each named fault reaches the
// next statement with the documented error, counts what it reached, and is gone — the server
// healed — for the statement after it and for the next test. Tests tagged server-faults run on a
// tidb-server of their worker's own; the run's server (and every other worker) never sees them.

const run = inject('test-rig')
const onLocalTidb = run.server.engine === 'tidb' && run.server.provider === 'local'
const quick = { retryInitialDelayMs: 5, retryMaxDelayMs: 50, noBreaker: true } as const

async function seed(conn: Connection): Promise<void> {
  await conn.query('CREATE TABLE stock (id INT PRIMARY KEY, qty INT)')
  await conn.query('INSERT INTO stock VALUES (1, 10), (2, 20)')
}

async function qty(conn: Connection, id = 1): Promise<number> {
  const [rows] = await conn.query<RowDataPacket[]>('SELECT qty FROM stock WHERE id = ?', [id])
  return Number(rows[0]?.qty)
}

describe.skipIf(!onLocalTidb)('named server faults on the local TiDB', { tags: ['server-faults'] }, () => {
  test('pdTimeout: the next write fails with 9001 and the one after it commits', async ({ conn, faults }) => {
    await seed(conn)
    const fault = await faults.server.pdTimeout()
    await expect(conn.query('UPDATE stock SET qty = qty - 1 WHERE id = 1')).rejects.toMatchObject({ errno: 9001 })
    await faults.server.settled()
    expect(fault.firedCount).toBe(1)
    expect(fault.active).toBe(false)
    await conn.query('UPDATE stock SET qty = qty - 1 WHERE id = 1')
    expect(await qty(conn)).toBe(9)
    expect(faults.summary()).toMatch(/server: pdTimeout \(once; .*\): reached 1 statement/)
  })

  test('regionUnavailable: scans and writes fail with 9005 until the store is back', async ({ conn, faults }) => {
    await seed(conn)
    const fault = await faults.server.regionUnavailable()
    await expect(conn.query('SELECT * FROM stock')).rejects.toMatchObject({ errno: 9005 })
    // Disarmed after the first, the store is unreachable until the rig restores its liveness.
    await fault.disarm()
    expect(await qty(conn)).toBe(10)
  })

  test('tikvTimeout: a scan fails with 9002', async ({ conn, faults, skip }) => {
    skip(faults.server.build !== 'failpoints', 'needs the failpoint build (bash scripts/build-tidb.sh --failpoints)')
    await seed(conn)
    await faults.server.tikvTimeout()
    await expect(conn.query('SELECT SUM(qty) FROM stock')).rejects.toMatchObject({ errno: 9002 })
    await faults.server.settled()
    const [rows] = await conn.query<RowDataPacket[]>('SELECT SUM(qty) AS total FROM stock')
    expect(Number(rows[0]?.total)).toBe(30)
  })

  test('writeConflict: COMMIT fails with 9007, the transaction is rolled back, and a retry commits', async ({ conn, faults, skip }) => {
    skip(faults.server.build !== 'failpoints', 'needs the failpoint build (bash scripts/build-tidb.sh --failpoints)')
    await seed(conn)
    await faults.server.writeConflict()
    await conn.query('BEGIN')
    await conn.query('UPDATE stock SET qty = qty - 1 WHERE id = 1')
    await expect(conn.query('COMMIT')).rejects.toMatchObject({ errno: 9007 })
    expect(await qty(conn)).toBe(10)
    await faults.server.settled()
    await conn.query('BEGIN')
    await conn.query('UPDATE stock SET qty = qty - 1 WHERE id = 1')
    await conn.query('COMMIT')
    expect(await qty(conn)).toBe(9)
  })

  test('commitFailed: two autocommit writes fail with 1105 and change nothing, the third commits', async ({ conn, faults }) => {
    await seed(conn)
    const fault = await faults.server.commitFailed({ times: 2 })
    for (let i = 0; i < 2; i++) await expect(conn.query('UPDATE stock SET qty = qty - 1 WHERE id = 1')).rejects.toMatchObject({ errno: 1105, message: expect.stringMatching(/injected failure before commit/) })
    expect(fault.firedCount).toBe(2)
    await faults.server.settled()
    await conn.query('UPDATE stock SET qty = qty - 1 WHERE id = 1')
    expect(await qty(conn)).toBe(9)
  })

  test('commitUndetermined: the connection closes after COMMIT was sent, and the commit did happen', async ({ rig, conn, faults, skip }) => {
    skip(faults.server.build !== 'failpoints', 'needs the failpoint build (bash scripts/build-tidb.sh --failpoints)')
    await seed(conn)
    await faults.server.commitUndetermined()
    await conn.query('BEGIN')
    await conn.query('UPDATE stock SET qty = qty - 1 WHERE id = 1')
    await expect(conn.query('COMMIT')).rejects.toMatchObject({ code: 'PROTOCOL_CONNECTION_LOST' })
    await faults.server.settled()
    // The application cannot know from the error; reading again tells (here: committed).
    const fresh = await rig.connect()
    expect(await qty(fresh)).toBe(9)
  })

  test('slowCommit: the next commit takes the delay, the one after it does not', async ({ conn, faults }) => {
    await seed(conn)
    const fault = await faults.server.slowCommit({ ms: 400 })
    let startedAt = performance.now()
    await conn.query('UPDATE stock SET qty = qty - 1 WHERE id = 1')
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(390)
    expect(fault.firedCount).toBe(1)
    startedAt = performance.now()
    await conn.query('UPDATE stock SET qty = qty - 1 WHERE id = 1')
    expect(performance.now() - startedAt).toBeLessThan(300)
  })

  test('slowReads: scans take the delay for a while, point reads do not', async ({ conn, faults, skip }) => {
    skip(faults.server.build !== 'failpoints', 'needs the failpoint build (bash scripts/build-tidb.sh --failpoints)')
    await seed(conn)
    const fault = await faults.server.slowReads({ ms: 300, forMs: 2_000 })
    const startedAt = performance.now()
    await conn.query('SELECT SUM(qty) FROM stock')
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(290)
    expect(fault.firedCount).toBe(1)
    await fault.disarm()
  })

  test('diskFull: writes fail with 1105 "tikv disk full", reads go on', async ({ conn, faults, skip }) => {
    skip(faults.server.build !== 'failpoints', 'needs the failpoint build (bash scripts/build-tidb.sh --failpoints)')
    await seed(conn)
    await faults.server.diskFull({ forMs: 5_000 })
    await expect(conn.query('UPDATE stock SET qty = 0')).rejects.toMatchObject({ errno: 1105, message: expect.stringMatching(/disk full/) })
    expect(await qty(conn)).toBe(10)
  })

  test('a raw failpoint: any term of tikv/client-go or TiDB', async ({ conn, faults }) => {
    await seed(conn)
    await faults.server.failpoint('tikvclient/beforeCommit', '1*return("fail")')
    await expect(conn.query('UPDATE stock SET qty = 0')).rejects.toMatchObject({ errno: 1105 })
    await expect(faults.server.failpoint('tikvclient/beforeCommit', 'return(')).rejects.toThrow(/refused failpoint tikvclient\/beforeCommit=return\(/)
  })

  test('a fault that reaches no statement is reported as unfired', async ({ rig, conn, faults }) => {
    await seed(conn)
    const fault = await faults.server.commitFailed()
    expect(faults.unfired()).toEqual([expect.stringMatching(/^server fault commitFailed \(once; .*\): no statement met it$/)])
    rig.expectWarning(/armed fault\(s\) never fired: server fault commitFailed/)
    expect(fault.active).toBe(true)
  })

  test('the test after a fault meets a healthy server: its first statement succeeds', async ({ conn }) => {
    // The tests above left PD, the store and the commit path failing: all of it was healed.
    await conn.query('CREATE TABLE t (id INT PRIMARY KEY)')
    await conn.query('INSERT INTO t VALUES (1)')
    const [rows] = await conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM t')
    expect(Number(rows[0]?.n)).toBe(1)
  })
})

describe.skipIf(!onLocalTidb)('retries against faults the server raises itself', { tags: ['server-faults'] }, () => {
  test('resilient() retries 9001, 9002 and 9005 to success', async ({ conn, faults }) => {
    await seed(conn)
    const withBuild = faults.server.supports('tikvTimeout')
    const policy = resilient({ ...quick, retryMaxAttempts: 40 })
    await faults.server.pdTimeout({ times: 2 })
    let attempts = 0
    await policy.execute('write', async () => { attempts++; await conn.query('UPDATE stock SET qty = qty - 1 WHERE id = 1') })
    expect(attempts).toBe(3)
    if (withBuild) {
      const timeout = await faults.server.tikvTimeout()
      await expect(policy.execute('scan', () => conn.query('SELECT SUM(qty) FROM stock'))).resolves.toBeDefined()
      expect(timeout.firedCount).toBeGreaterThanOrEqual(1)
    }
    const unavailable = await faults.server.regionUnavailable()
    await expect(policy.execute('write', () => conn.query('UPDATE stock SET qty = qty + 1 WHERE id = 2'))).resolves.toBeDefined()
    expect(unavailable.firedCount).toBeGreaterThanOrEqual(1)
  })

  test('resilient() retries the whole transaction after 9007 to success', async ({ conn, faults, skip }) => {
    skip(faults.server.build !== 'failpoints', 'needs the failpoint build (bash scripts/build-tidb.sh --failpoints)')
    await seed(conn)
    await faults.server.writeConflict({ times: 2 })
    let attempts = 0
    await resilient(quick).execute('take one', async () => {
      attempts++
      await conn.query('BEGIN')
      try {
        await conn.query('UPDATE stock SET qty = qty - 1 WHERE id = 1')
        await conn.query('COMMIT')
      } catch (error) {
        await conn.query('ROLLBACK').catch(() => {})
        throw error
      }
    })
    expect(attempts).toBe(3)
    expect(await qty(conn)).toBe(9)
  })

  test('ResilientConnection reconnects after an undetermined commit', async ({ rig, faults, skip }) => {
    skip(faults.server.build !== 'failpoints', 'needs the failpoint build (bash scripts/build-tidb.sh --failpoints)')
    // The lost commit leaves the store unreachable for about a second: the retries wait that out.
    const connection = new ResilientConnection(() => rig.connect(), resilient({ ...quick, retryMaxAttempts: 60, retryMaxDelayMs: 100 }))
    await connection.query('CREATE TABLE events (id INT PRIMARY KEY)')
    await faults.server.commitUndetermined()
    // An idempotent write: whether the lost COMMIT happened or not, the retry gives one row.
    await connection.query('INSERT INTO events VALUES (1) ON DUPLICATE KEY UPDATE id = id')
    const [rows] = await connection.query('SELECT COUNT(*) AS n FROM events')
    expect(Number((rows as RowDataPacket[])[0]?.n)).toBe(1)
    expect(connection.connections).toBe(2)
    await connection[Symbol.asyncDispose]()
  })
})

describe('faults.server elsewhere', () => {
  test('a test without the tag is told how to get a server of its own', ({ faults }) => {
    expect(() => faults.server).toThrow(ServerFaultsUnavailableError)
    expect(() => faults.server).toThrow(run.server.engine === 'tidb' ? /tagged "server-faults"/ : /needs TiDB/)
  })

  test.skipIf(!onLocalTidb)('the run\'s server is untouched while another test arms a fault', { concurrent: true }, async ({ conn }) => {
    // Runs beside the tagged tests above (concurrently in this file, and in other workers).
    for (let i = 0; i < 20; i++) await conn.query('SELECT 1')
    await conn.query('CREATE TABLE t (id INT PRIMARY KEY)')
    await conn.query('INSERT INTO t VALUES (1)')
  })
})
