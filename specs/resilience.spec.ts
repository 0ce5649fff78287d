import { expect, mysqlErrors, test } from 'test-rig'
import { ContextualError } from 'test-rig/resilience'
import { BrokenCircuitError, resilient } from 'test-rig/resilience'

// Retries, timeouts and the circuit breaker (cockatiel underneath), proven with faults against
// the real server.

const quick = { retryInitialDelayMs: 2, retryMaxDelayMs: 10 }

test('a transient fault schedule is retried to success', async ({ conn, faults }) => {
  await conn.query('CREATE TABLE ledger (id INT PRIMARY KEY, amount INT)')
  faults.failNext('query', mysqlErrors.deadlock(), { times: 2, when: 'INSERT' })
  faults.failNext('query', mysqlErrors.tidbWriteConflict(), { when: 'INSERT' })
  const policy = resilient({ ...quick, retryMaxAttempts: 5, noBreaker: true })
  const retried: string[] = []
  policy.onRetry((event) => retried.push('error' in event ? String((event.error as { errno?: number }).errno) : 'value'))

  await policy.execute('book the payment', () => conn.query('INSERT INTO ledger VALUES (1, 100)'))

  expect(retried).toEqual(['1213', '1213', '9007'])
  expect(faults).toHaveFired('query', 3)
  const [rows] = await conn.query('SELECT amount FROM ledger')
  expect(rows).toEqual([{ amount: 100 }])
})

test('a permanent error is not retried, and the error says what, where and why', async ({ rig, conn, faults }) => {
  faults.failNext('query', mysqlErrors.accessDenied('app'))
  const policy = resilient({ ...quick, noBreaker: true, context: (b) => b.server(rig.server).database(rig.databaseName).sql('SELECT * FROM secrets') })
  const error = await policy.execute('read secrets', () => conn.query('SELECT 1')).catch((e: unknown) => e)
  expect(faults).toHaveFired('query', 1)
  expect(error).toBeInstanceOf(ContextualError)
  const { classification, context, message } = error as ContextualError
  expect(classification).toMatchObject({ kind: 'permanent', recovery: 'fail', code: '1045 ER_ACCESS_DENIED_ERROR' })
  expect(context).toMatchObject({ operation: 'read secrets', attempt: 1, database: rig.databaseName, host: rig.server.host })
  expect(message).toContain(`server root@${rig.server.host}:${rig.server.port}/${rig.databaseName}`)
})

test('the breaker opens after the threshold, fails fast, half-opens after the recovery time and closes after the success threshold', async ({ conn, faults }) => {
  const policy = resilient({ retryMaxAttempts: 1, breakerFailureThreshold: 3, breakerHalfOpenAfterMs: 150, breakerSuccessThreshold: 2 })
  const events: string[] = []
  policy.onBreak(() => events.push('break'))
  policy.onHalfOpen(() => events.push('half-open'))
  policy.onReset(() => events.push('reset'))
  let reachedServer = 0
  const observer = faults.onCall(() => void reachedServer++, ['query']) // counts calls, never fails one
  const call = () => policy.execute('ping the shard', () => conn.query('SELECT 1'))

  faults.failNext('query', mysqlErrors.tidbRegionUnavailable(), { times: 3 })
  for (let i = 0; i < 3; i++) await expect(call()).rejects.toThrow('Region is unavailable')
  expect(events).toEqual(['break'])

  const callsBefore = reachedServer
  const fast = await call().catch((e: unknown) => e)
  expect((fast as ContextualError).cause).toBeInstanceOf(BrokenCircuitError)
  expect(reachedServer).toBe(callsBefore) // failed fast: the connection was not used

  await new Promise((resolve) => setTimeout(resolve, 160))
  await call() // first trial call: half-open, one success of two
  expect(events).toEqual(['break', 'half-open'])
  await call() // second success: closed
  expect(events).toEqual(['break', 'half-open', 'reset'])
  await call()
  observer.disarm()
})

test('a failed trial call opens the breaker again', async ({ conn, faults }) => {
  const policy = resilient({ retryMaxAttempts: 1, breakerFailureThreshold: 1, breakerHalfOpenAfterMs: 50, breakerSuccessThreshold: 3 })
  const events: string[] = []
  policy.onBreak(() => events.push('break'))
  policy.onHalfOpen(() => events.push('half-open'))
  faults.failNext('query', mysqlErrors.connectionLost(), { times: 2 })
  await expect(policy.execute('q', () => conn.query('SELECT 1'))).rejects.toThrow()
  await new Promise((resolve) => setTimeout(resolve, 60))
  await expect(policy.execute('q', () => conn.query('SELECT 1'))).rejects.toThrow()
  expect(events).toEqual(['break', 'half-open', 'break'])
})

test('an attempt timeout cuts a query slowed down by the network, and the retry gets through', async ({ faults, rig }) => {
  // The cut attempt's answer is still on its way when the test ends: the rig stops it and says so.
  rig.expectWarning('were still running when the test ended', { required: false })
  const connection = await faults.network.connect()
  const slow = faults.network.latency(300)
  const policy = resilient({ retryMaxAttempts: 2, attemptTimeoutMs: 100, retryInitialDelayMs: 1, noBreaker: true })
  policy.onRetry(() => slow.remove())
  const [rows] = await policy.execute('read with a deadline', async ({ attempt }) => (attempt === 1 ? connection.query('SELECT 1 AS one') : (await faults.network.connect()).query('SELECT 1 AS one')))
  expect(rows).toEqual([{ one: 1 }])
})
