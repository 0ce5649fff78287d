import type { Connection } from 'mysql2/promise'
import { expect, test } from 'test-rig'
import { classifyError } from 'test-rig/resilience'
import { resilient } from 'test-rig/resilience'

// TiDB's own errors, produced live (not injected): what the server sends, how the rig classifies
// it, and `resilient` retrying the retryable ones to success. The errors of a TiKV/PD cluster
// (9001 PD timeout, 9002 TiKV timeout, 9005 region unavailable) are made by TiDB's failpoints in
// server-faults.spec.ts; 8002 (SELECT FOR UPDATE conflict) does not occur on TiDB 8.5, which
// answers that case with 9007.

const quick = { retryInitialDelayMs: 5, retryMaxDelayMs: 50, noBreaker: true } as const
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Runs `work` in a transaction of its own; rolls back when it fails. */
async function transaction(conn: Connection, begin: string, work: () => Promise<unknown>): Promise<void> {
  await conn.query(begin)
  try {
    await work()
    await conn.query('COMMIT')
  } catch (error) {
    await conn.query('ROLLBACK').catch(() => {})
    throw error
  }
}

test.beforeEach(({ rig, skip }) => {
  skip(rig.server.engine !== 'tidb', 'TiDB only')
})

test('an optimistic write conflict fails at COMMIT with 9007, and the retried transaction commits', async ({ rig, conn }) => {
  await conn.query('CREATE TABLE stock (id INT PRIMARY KEY, qty INT)')
  await conn.query('INSERT INTO stock VALUES (1, 10)')
  const rival = await rig.connect()
  let attempts = 0
  const policy = resilient(quick)
  await policy.execute('take one', () => transaction(conn, 'BEGIN OPTIMISTIC', async () => {
    attempts++
    await conn.query('UPDATE stock SET qty = qty - 1 WHERE id = 1')
    // A rival commits a change of the same row meanwhile, on the first attempt only.
    if (attempts === 1) await rival.query('UPDATE stock SET qty = qty - 5 WHERE id = 1')
  }))
  expect(attempts).toBe(2)
  const [rows] = await conn.query('SELECT qty FROM stock')
  expect(rows).toEqual([{ qty: 4 }])

  await rival.query('BEGIN OPTIMISTIC')
  await rival.query('UPDATE stock SET qty = 0 WHERE id = 1')
  await conn.query('UPDATE stock SET qty = 1 WHERE id = 1')
  const conflict = await rival.query('COMMIT').catch((error: unknown) => error)
  expect(conflict).toMatchObject({ errno: 9007, message: expect.stringContaining('Write conflict') })
  expect(classifyError(conflict)).toMatchObject({ kind: 'transient', recovery: 'retry-transaction', code: '9007 TIDB_WRITE_CONFLICT' })
})

test('SERIALIZABLE is refused with 8048, a permanent error that is not retried', async ({ conn }) => {
  let attempts = 0
  const error = await resilient(quick).execute('serializable', () => {
    attempts++
    return conn.query("SET SESSION transaction_isolation = 'SERIALIZABLE'")
  }).catch((e: unknown) => e)
  expect(attempts).toBe(1)
  expect(classifyError(error)).toMatchObject({ kind: 'permanent', code: '8048 TIDB_UNSUPPORTED_ISOLATION_LEVEL' })
  expect((error as Error).message).toContain("The isolation level 'SERIALIZABLE' is not supported")
})

test('a pessimistic lock wait times out with 1205, and the retry gets through once the holder lets go', async ({ rig, conn }) => {
  await conn.query('CREATE TABLE seats (id INT PRIMARY KEY, taken INT)')
  await conn.query('INSERT INTO seats VALUES (1, 0)')
  const holder = await rig.connect()
  await holder.query('BEGIN PESSIMISTIC')
  await holder.query('UPDATE seats SET taken = 1 WHERE id = 1')
  await conn.query('SET SESSION innodb_lock_wait_timeout = 1')
  const errors: number[] = []
  const policy = resilient({ ...quick, retryMaxAttempts: 3 })
  policy.onRetry((event) => {
    errors.push(('error' in event ? (event.error as { errno?: number }).errno : undefined) ?? 0)
    void holder.query('ROLLBACK') // the holder lets go while the first attempt's error is handled
  })
  await policy.execute('take the seat', () => transaction(conn, 'BEGIN PESSIMISTIC', () => conn.query('UPDATE seats SET taken = 2 WHERE id = 1')))
  expect(errors).toEqual([1205])
  const [rows] = await conn.query('SELECT taken FROM seats')
  expect(rows).toEqual([{ taken: 2 }])
})

test('a deadlock victim gets 1213, and its retried transaction commits after the other one', async ({ rig, conn }) => {
  await conn.query('CREATE TABLE accounts (id INT PRIMARY KEY, balance INT)')
  await conn.query('INSERT INTO accounts VALUES (1, 0), (2, 0)')
  const other = await rig.connect()
  await other.query('BEGIN PESSIMISTIC')
  await other.query('UPDATE accounts SET balance = balance + 1 WHERE id = 1')
  let otherDone: Promise<unknown> | undefined
  const errors: unknown[] = []
  const policy = resilient(quick)
  policy.onRetry((event) => void errors.push('error' in event ? event.error : undefined))
  await policy.execute('transfer', () => transaction(conn, 'BEGIN PESSIMISTIC', async () => {
    await conn.query('UPDATE accounts SET balance = balance + 10 WHERE id = 2')
    if (!otherDone) {
      // The other transaction now waits for row 2, which this one holds; then this one asks for row 1.
      otherDone = other.query('UPDATE accounts SET balance = balance + 1 WHERE id = 2').then(() => other.query('COMMIT'))
      await sleep(100)
    }
    await conn.query('UPDATE accounts SET balance = balance + 10 WHERE id = 1')
  }))
  await otherDone
  expect(errors).toEqual([expect.objectContaining({ errno: 1213, code: 'ER_LOCK_DEADLOCK' })])
  const [rows] = await conn.query('SELECT id, balance FROM accounts ORDER BY id')
  expect(rows).toEqual([{ id: 1, balance: 11 }, { id: 2, balance: 11 }])
})
