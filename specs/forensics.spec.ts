import mysql from 'mysql2/promise'
import { expect, mysqlErrors, test } from 'test-rig'

// The statement log: every statement that reaches the test's database, whichever connection sent
// it — conn, the rig's other connections, and a pool the app made with its own mysql2 — and the
// query matchers that read it.

test('logs the statements of conn, of rig.connect() and of the app\'s own pool, with rows, parameters and errors', async ({ conn, rig }) => {
  await conn.query('CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20))')
  await conn.execute('INSERT INTO items VALUES (?, ?)', [1, 'one'])
  const other = await rig.connect()
  await other.query('SELECT * FROM items')
  // The app's own mysql2, not the rig's factories, and no intercept mode: attributed by database.
  const pool = mysql.createPool(rig.url)
  try {
    await pool.query("INSERT INTO items VALUES (2, 'two')")
    await expect(pool.query('SELECT nope FROM items')).rejects.toMatchObject({ errno: 1054 })
  } finally {
    await pool.end()
  }
  const statements = rig.statements
  expect(statements.map((statement) => statement.sql)).toEqual([
    'CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20))',
    'INSERT INTO items VALUES (?, ?)',
    'SELECT * FROM items',
    "INSERT INTO items VALUES (2, 'two')",
    'SELECT nope FROM items',
  ])
  expect(statements[1]).toMatchObject({ method: 'execute', params: [1, 'one'], affected: 1, threadId: conn.threadId })
  expect(statements[2]?.threadId).toBe(other.threadId)
  // The app's own pool, not instrumented: its thread is not known.
  expect(statements[3]?.threadId).toBeUndefined()
  expect(statements[2]).toMatchObject({ rows: 1 })
  expect(statements[4]?.error).toMatchObject({ code: 'ER_BAD_FIELD_ERROR', errno: 1054 })
  expect(statements.every((statement) => typeof statement.durationMs === 'number' && statement.durationMs >= 0)).toBe(true)
  expect(rig).toHaveRunQueries(5)
})

test('toHaveRunQueries counts, bounds and matches, and a failure lists the statements that ran, numbered', async ({ conn, rig }) => {
  await conn.query('CREATE TABLE t (id INT)')
  await conn.query('INSERT INTO t VALUES (1), (2)')
  expect(rig).toHaveRunQueries(2)
  expect(rig).toHaveRunQueries({ atMost: 3 })
  expect(rig).toHaveRunQueries({ matching: /^insert/i, atLeast: 1, atMost: 1 })
  expect(() => expect(rig).toHaveRunQueries(1)).toThrow(/expected 1 statement\(s\), 2 ran:\n {2}1\. CREATE TABLE t \(id INT\)\n {2}2\. INSERT INTO t VALUES \(1\), \(2\)/)
  const block = await rig.queries(async () => {
    await conn.query('SELECT * FROM t')
  })
  expect(block).toHaveRunQueries(1)
  expect(block.map((statement) => statement.sql)).toEqual(['SELECT * FROM t'])
  const none = await rig.queries(async () => {})
  expect(none).toHaveRunQueries(0)
})

test('toHaveRepeatedStatement catches an N+1 loop, whatever the literals', async ({ conn, rig }) => {
  await conn.query('CREATE TABLE orders (id INT PRIMARY KEY, customer INT)')
  const loop = await rig.queries(async () => {
    for (const id of [1, 2, 3, 4]) await conn.query(`SELECT * FROM orders WHERE customer = ${id}`)
  })
  expect(loop).toHaveRepeatedStatement(4)
  expect(() => expect(loop).not.toHaveRepeatedStatement(3)).toThrow(/"select \* from orders where customer = \?" ran 4 times/)
  const batched = await rig.queries(async () => {
    await conn.query('SELECT * FROM orders WHERE customer IN (1, 2, 3, 4)')
  })
  expect(batched).not.toHaveRepeatedStatement(2)
})

test('a statement a fault failed is in the log with the error it was given', async ({ conn, rig, faults }) => {
  faults.failNext('query', mysqlErrors.deadlock(), { when: 'update' })
  await conn.query('CREATE TABLE t (id INT PRIMARY KEY, v INT)')
  await expect(conn.query('UPDATE t SET v = 1')).rejects.toMatchObject({ errno: 1213 })
  expect(rig.statements.map((statement) => [statement.sql, statement.error?.errno])).toEqual([['CREATE TABLE t (id INT PRIMARY KEY, v INT)', undefined], ['UPDATE t SET v = 1', 1213]])
  expect(faults).toHaveFired('query', 1)
})
