import { expect, test } from 'test-rig'
import { defineMachine, multiConnection, sqlSession } from 'test-rig/machines'

// Several sessions, each on its own connection, in a deterministic interleaving.

test('an update blocks on another session’s row lock and completes when it commits', async ({ rig, conn }) => {
  await conn.query('CREATE TABLE accounts (id INT PRIMARY KEY, balance INT)')
  await conn.query('INSERT INTO accounts VALUES (1, 100)')
  const run = await rig.coordinate({
    sessions: {
      holder: sqlSession('holder', [{ name: 'lock', sql: 'BEGIN' }, { name: 'update', sql: 'UPDATE accounts SET balance = 50 WHERE id = 1' }, { name: 'commit', sql: 'COMMIT' }]),
      waiter: sqlSession('waiter', [{ name: 'begin', sql: 'BEGIN' }, { name: 'update', sql: 'UPDATE accounts SET balance = balance + 1 WHERE id = 1' }, { name: 'commit', sql: 'COMMIT' }]),
    },
    order: ['holder:lock', 'holder:update', 'waiter:begin', 'waiter:update', 'holder:commit', 'waiter:commit'],
    blockedAfterMs: 150,
  })
  expect(run.completed).toBe(true)
  expect(run).toHaveBlocked('waiter', 'update')
  expect(run).not.toHaveBlocked('holder')
  const [blocked] = run.blockedSteps
  const holderCommit = run.sessions.holder?.trace.find((entry) => entry.state === 'commit')
  expect(blocked?.endedAtMs).toBeGreaterThanOrEqual(holderCommit?.enteredAtMs ?? Infinity) // unblocked by the commit
  const [rows] = await conn.query('SELECT balance FROM accounts')
  expect(rows).toEqual([{ balance: 51 }])
  expect(run.toMermaid()).toContain('Note over waiter: blocked in update')
})

test('a deadlock between two sessions is recorded with the server’s error', async ({ rig, conn }) => {
  await conn.query('CREATE TABLE t (id INT PRIMARY KEY, v INT)')
  await conn.query('INSERT INTO t VALUES (1, 0), (2, 0)')
  const run = await rig.coordinate({
    sessions: {
      a: sqlSession('a', ['BEGIN', 'UPDATE t SET v = 1 WHERE id = 1', 'UPDATE t SET v = 1 WHERE id = 2', 'COMMIT']),
      b: sqlSession('b', ['BEGIN', 'UPDATE t SET v = 2 WHERE id = 2', 'UPDATE t SET v = 2 WHERE id = 1', 'COMMIT']),
    },
    order: ['a:s1', 'b:s1', 'a:s2', 'b:s2', 'a:s3', 'b:s3', 'a:s4', 'b:s4'],
    blockedAfterMs: 100,
  })
  expect(run.completed).toBe(true)
  const errors = Object.values(run.sessions).flatMap((session) => session.data.outcomes.flatMap((o) => (o.error ? [o.error] : [])))
  expect(errors).toEqual([expect.objectContaining({ code: 'ER_LOCK_DEADLOCK', errno: 1213 })])
  expect(run).toHaveBlocked('a', 's3')
})

test('the seed’s multi-connection test: sessions meet at barriers and see each other’s rows', async ({ rig }) => {
  const run = await rig.coordinate(multiConnection({ connections: 8, rows: rig.config.test.rows }))
  expect(run.completed, run.formatTrace()).toBe(true)
  for (const session of Object.values(run.sessions)) {
    expect(session).toHaveEndedIn('completed')
    expect(session.data).toMatchObject({ inserted: rig.config.test.rows, counted: 8 * rig.config.test.rows })
  }
  expect(new Set(Object.values(run.sessions).map((s) => s.data.threadId)).size).toBe(8)
})

test('64 sessions × 100 steps complete', { timeout: 60_000 }, async ({ rig, conn }) => {
  await conn.query('CREATE TABLE hits (session INT PRIMARY KEY, n INT)')
  const worker = (index: number) => defineMachine<{ steps: number }>({
    id: 'worker',
    initial: 'step',
    data: () => ({ steps: 0 }),
    states: {
      step: {
        next: ['step', 'done'],
        async execute({ conn: c, data }) {
          await c.query('INSERT INTO hits VALUES (?, 1) ON DUPLICATE KEY UPDATE n = n + 1', [index])
          return ++data.steps < 100 ? 'step' : 'done'
        },
      },
      done: { final: true },
    },
  })
  const run = await rig.coordinate({ sessions: Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`w${i}`, worker(i)])) })
  expect(run.completed).toBe(true)
  const [rows] = await conn.query('SELECT COUNT(*) AS sessions, SUM(n) AS steps FROM hits')
  expect(rows).toEqual([{ sessions: 64, steps: '6400' }])
})
