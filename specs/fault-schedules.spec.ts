import fc from 'fast-check'
import type { Pool } from 'mysql2/promise'
import { describe, expect, test, type Faults } from 'test-rig'
import { isTransient } from 'test-rig/resilience'
import { resilient } from 'test-rig/resilience'
import { describeSchedule, faultSchedules, type FaultSchedule } from 'test-rig/schedules'

// Fault schedules as properties: "a transfer survives every schedule of at most 3 transient faults
// and surfaces every permanent one". fast-check draws schedules over the transfer's statements,
// faults.schedule() places them, and a failing property shrinks to the smallest failing schedule.

type Transfer = (pool: Pool, from: number, to: number, amount: number) => Promise<void>

const retry = resilient({ retryMaxAttempts: 6, retryInitialDelayMs: 1, retryMaxDelayMs: 2, retryJitter: false, noBreaker: true })

/** Retries the whole transaction, on a connection of its own each attempt: correct. */
const transfer: Transfer = (pool, from, to, amount) => retry.execute('transfer', async () => {
  const connection = await pool.getConnection()
  try {
    await connection.beginTransaction()
    await connection.execute('UPDATE accounts SET balance = balance - ? WHERE id = ?', [amount, from])
    await connection.execute('UPDATE accounts SET balance = balance + ? WHERE id = ?', [amount, to])
    await connection.commit()
  } catch (error) {
    await connection.rollback().catch(() => {})
    throw error
  } finally {
    connection.release()
  }
})

/** Retries each statement on its own: after a deadlock the server has rolled the debit back, and the retried credit runs alone. */
const transferRetryingStatements: Transfer = async (pool, from, to, amount) => {
  const connection = await pool.getConnection()
  try {
    await retry.execute('begin', () => connection.beginTransaction())
    await retry.execute('debit', () => connection.execute('UPDATE accounts SET balance = balance - ? WHERE id = ?', [amount, from]))
    await retry.execute('credit', () => connection.execute('UPDATE accounts SET balance = balance + ? WHERE id = ?', [amount, to]))
    await retry.execute('commit', () => connection.commit())
  } finally {
    connection.release()
  }
}

/** The MySQL error code in an error or its causes (resilient() wraps what it gives up on). */
function codeOf(error: unknown): string | undefined {
  for (let current = error as { code?: unknown; cause?: unknown } | undefined; current; current = current.cause as typeof current) {
    if (typeof current.code === 'string' && current.code.startsWith('ER_')) return current.code
  }
  return undefined
}

/**
 * The property: with a schedule in place, the transfer either moves 10 exactly once, or — when it
 * met a permanent fault (a scheduled fault falls on a call only if the transfer gets that far) —
 * fails with that fault's error and moves nothing.
 */
function transfersCorrectly(pool: Pool, faults: Faults, run: Transfer, seen = { gaveUp: 0, gotThroughFaults: 0 }) {
  return async (schedule: FaultSchedule) => {
    await pool.query('UPDATE accounts SET balance = 100')
    const before = faults.fired.length
    const armed = faults.schedule(schedule)
    const outcome = await run(pool, 1, 2, 10).then(() => undefined, (error: unknown) => error)
    armed.disarm()
    const permanent = faults.fired.slice(before).map((fired) => fired.error).find((error) => !isTransient(error))
    const [rows] = await pool.query('SELECT balance FROM accounts ORDER BY id')
    const balances = (rows as { balance: number }[]).map((row) => row.balance)
    if (permanent) {
      expect(codeOf(outcome)).toBe((permanent as { code?: string }).code)
      expect(balances).toEqual([100, 100])
      seen.gaveUp++
    } else {
      expect(outcome).toBeUndefined()
      expect(balances).toEqual([90, 110])
      if (faults.fired.length > before) seen.gotThroughFaults++
    }
  }
}

describe('a transfer under fault schedules', () => {
  test('retrying the whole transaction survives every schedule of at most 3 transient faults (network resets included) and surfaces every permanent one', async ({ rig, conn, faults }) => {
    await conn.query('CREATE TABLE accounts (id INT PRIMARY KEY, balance INT NOT NULL)')
    await conn.query('INSERT INTO accounts VALUES (1, 100), (2, 100)')
    // Through the proxy, so that a scheduled networkReset cuts the transfer's connection.
    const pool = rig.pool({ host: faults.network.proxy.host, port: faults.network.proxy.port })
    const schedules = faultSchedules({ calls: 10, maxFaults: 3, kinds: ['deadlock', 'lockWaitTimeout', 'tidbWriteConflict', 'connectionLost', 'networkReset', 'syntaxError', 'accessDenied'] })
    const seen = { gaveUp: 0, gotThroughFaults: 0 }
    await fc.assert(fc.asyncProperty(schedules, transfersCorrectly(pool, faults, transfer, seen)), { numRuns: 60, seed: 42 })
    // Not vacuous: some runs met a permanent fault, some got through transient ones.
    expect(seen.gaveUp).toBeGreaterThan(5)
    expect(seen.gotThroughFaults).toBeGreaterThan(5)
  })

  test('retrying statement by statement breaks, and the property shrinks to the smallest schedule that shows it: a deadlock on the credit', async ({ rig, conn, faults }) => {
    await conn.query('CREATE TABLE accounts (id INT PRIMARY KEY, balance INT NOT NULL)')
    await conn.query('INSERT INTO accounts VALUES (1, 100), (2, 100)')
    const pool = rig.pool()
    // Deadlocks and lock-wait timeouts only: a lost connection breaks it too (it retries on a dead connection), less instructively.
    const schedules = faultSchedules({ calls: 8, maxFaults: 3, kinds: ['deadlock', 'lockWaitTimeout'] })
    const result = await fc.check(fc.asyncProperty(schedules, transfersCorrectly(pool, faults, transferRetryingStatements)), { numRuns: 100, seed: 7 })
    expect(result.failed).toBe(true)
    const [shrunk] = result.counterexample ?? []
    // Call 1 begins, call 2 debits, call 3 credits: the deadlock there rolled the debit back, and the retried credit made 10 out of nothing.
    expect(describeSchedule(shrunk as FaultSchedule)).toBe('call 3: deadlock (transient)')
    expect(String(shrunk)).toBe('call 3: deadlock (transient)')
    expect(fc.stringify(shrunk)).toBe('call 3: deadlock (transient)')
  })
})
