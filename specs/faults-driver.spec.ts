import { expect, InjectedFaultError, mysqlErrors, test } from 'test-rig'

// Driver-level faults: the rig's connections fail on command, once or by rule, then behave as usual.

test('an order survives a dropped connection (fires once, then clears)', async ({ conn, faults }) => {
  await conn.query('CREATE TABLE orders (id INT PRIMARY KEY, total INT)')
  faults.failNext('query', new Error('connection lost'))
  await expect(conn.query('INSERT INTO orders VALUES (1, 10)')).rejects.toThrow('connection lost')
  await conn.query('INSERT INTO orders VALUES (1, 10)')
  const [rows] = await conn.query('SELECT total FROM orders')
  expect(rows).toEqual([{ total: 10 }])
  expect(faults).toHaveFired('query', 1)
})

test('fails the next connect, then connects as usual', async ({ rig, faults }) => {
  faults.failNextConnect(mysqlErrors.tooManyConnections())
  await expect(rig.connect()).rejects.toMatchObject({ code: 'ER_CON_COUNT_ERROR', errno: 1040 })
  const connection = await rig.connect()
  await connection.ping()
  expect(faults).toHaveFired('connect')
})

test('fires N times, only on matching SQL, and records what fired', async ({ conn, faults }) => {
  await conn.query('CREATE TABLE t (id INT)')
  faults.failNext('query', mysqlErrors.deadlock(), { times: 2, when: /^INSERT/ })
  await conn.query('SELECT * FROM t') // does not match: passes
  await expect(conn.query('INSERT INTO t VALUES (1)')).rejects.toMatchObject({ code: 'ER_LOCK_DEADLOCK' })
  await expect(conn.query('INSERT INTO t VALUES (2)')).rejects.toMatchObject({ errno: 1213 })
  await conn.query('INSERT INTO t VALUES (3)')
  expect(faults).toHaveFired('query', 2)
  expect(faults.fired.map((f) => f.sql)).toEqual(['INSERT INTO t VALUES (1)', 'INSERT INTO t VALUES (2)'])
})

test('fails always until cleared', async ({ conn, faults }) => {
  faults.failNext('ping', 'the network is down', { times: 'always' })
  for (let i = 0; i < 3; i++) await expect(conn.ping()).rejects.toBeInstanceOf(InjectedFaultError)
  faults.clear()
  await conn.ping()
  expect(faults).toHaveFired('ping', 3)
})

test('fails transaction control: beginTransaction, commit, rollback', async ({ conn, faults }) => {
  await conn.query('CREATE TABLE t (id INT)')
  faults.failNext('commit', mysqlErrors.lockWaitTimeout())
  await conn.beginTransaction()
  await conn.query('INSERT INTO t VALUES (1)')
  await expect(conn.commit()).rejects.toMatchObject({ code: 'ER_LOCK_WAIT_TIMEOUT' })
  await conn.rollback()
  const [rows] = await conn.query('SELECT COUNT(*) AS n FROM t')
  expect(rows).toEqual([{ n: 0 }])
})

test('a connect callback decides per attempt', async ({ rig, faults }) => {
  faults.onConnect((call) => (call.attempt <= 2 ? mysqlErrors.connectionRefused(call.host, call.port) : undefined))
  await expect(rig.connect()).rejects.toMatchObject({ code: 'ECONNREFUSED' })
  await expect(rig.connect()).rejects.toMatchObject({ code: 'ECONNREFUSED' })
  await (await rig.connect()).ping()
  expect(faults).toHaveFired('connect', 2)
})

test('a method callback sees the method, the SQL and the parameters', async ({ conn, faults }) => {
  await conn.query('CREATE TABLE accounts (id INT, balance INT)')
  const seen: string[] = []
  faults.onCall((call) => {
    seen.push(`${call.point} ${call.sql ?? ''}`.trim())
    if (call.sql?.startsWith('UPDATE') && Array.isArray(call.params) && call.params[0] < 0) return 'negative balance rejected by the test'
  }, ['query', 'execute'])
  await conn.execute('INSERT INTO accounts VALUES (?, ?)', [1, 100])
  await expect(conn.query('UPDATE accounts SET balance = ? WHERE id = 1', [-5])).rejects.toThrow('negative balance rejected by the test')
  await conn.query('UPDATE accounts SET balance = ? WHERE id = 1', [50])
  expect(seen).toEqual(['execute INSERT INTO accounts VALUES (?, ?)', 'query UPDATE accounts SET balance = ? WHERE id = 1', 'query UPDATE accounts SET balance = ? WHERE id = 1'])
})

test('pools: a connect fault fails the next acquisition, a method fault the next pool query', async ({ rig, faults }) => {
  const pool = rig.pool()
  faults.failNextConnect()
  await expect(pool.getConnection()).rejects.toBeInstanceOf(InjectedFaultError)
  const connection = await pool.getConnection()
  faults.failNext('query', mysqlErrors.connectionLost())
  await expect(connection.query('SELECT 1')).rejects.toMatchObject({ code: 'PROTOCOL_CONNECTION_LOST', fatal: true })
  connection.release()
  faults.failNext('query')
  await expect(pool.query('SELECT 1')).rejects.toBeInstanceOf(InjectedFaultError)
  const [rows] = await pool.query('SELECT 1 AS one')
  expect(rows).toEqual([{ one: 1 }])
})

test('an app that builds its own pool from a URL is covered through the injected factory', async ({ rig, faults }) => {
  // The app takes a mysql2-like factory; production passes mysql2/promise, the test passes rig.mysql.
  const makeApp = (driver: Pick<typeof rig.mysql, 'createPool'>, url: string) => {
    const pool = driver.createPool(url)
    return { count: async () => ((await pool.query('SELECT COUNT(*) AS n FROM information_schema.SCHEMATA'))[0] as { n: number }[])[0]?.n }
  }
  const app = makeApp(rig.mysql, rig.url)
  faults.failNext('query', mysqlErrors.tidbRegionUnavailable())
  await expect(app.count()).rejects.toMatchObject({ errno: 9005 })
  expect(await app.count()).toBeGreaterThan(0)
})

test('with no fault armed the results and errors are mysql2’s own', async ({ conn }) => {
  const [rows, fields] = await conn.query('SELECT 1 AS one')
  expect(rows).toEqual([{ one: 1 }])
  expect(fields[0]?.name).toBe('one')
  await expect(conn.query('SELEC 1')).rejects.toMatchObject({ code: 'ER_PARSE_ERROR', errno: 1064, sqlState: '42000' })
})
