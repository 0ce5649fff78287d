import * as mariadbConnector from 'mariadb'
import { expect, InjectedFaultError, mariadbErrors, test } from 'test-rig'

// The `mariadb` connector's promise API, opened through rig.mariadb(driver): into the test's own
// database, with the test's driver faults, closed after the test.

test('a deadlock on an INSERT in a transaction reaches the caller as the connector raises it, and the transaction is gone', async ({ rig, faults }) => {
  const mariadb = rig.mariadb(mariadbConnector)
  const connection = await mariadb.createConnection()
  await connection.query('CREATE TABLE orders (id INT PRIMARY KEY, total INT)')
  faults.failNext('query', mariadbErrors.deadlock(), { when: /^INSERT INTO orders VALUES \(2/ })
  await connection.beginTransaction()
  await connection.query('INSERT INTO orders VALUES (1, 10)')
  const failed = await connection.query('INSERT INTO orders VALUES (2, 20)').then(() => undefined, (error: unknown) => error)
  expect(failed).toMatchObject({ name: 'SqlError', code: 'ER_LOCK_DEADLOCK', errno: 1213, sqlState: '40001', fatal: false })
  await connection.commit()
  expect(await connection.query('SELECT COUNT(*) AS n FROM orders')).toEqual([{ n: 0n }])
  expect(faults).toHaveFired('query', 1)
})

test('a failed COMMIT fires however it is sent, and leaves nothing committed', async ({ rig, faults }) => {
  const mariadb = rig.mariadb(mariadbConnector)
  const connection = await mariadb.createConnection()
  await connection.query('CREATE TABLE t (id INT)')
  for (const send of [() => connection.commit(), () => connection.query('COMMIT'), () => connection.query({ sql: 'commit /* orm */' })]) {
    faults.failNext('commit', mariadbErrors.lockWaitTimeout())
    await connection.query('START TRANSACTION')
    await connection.query('INSERT INTO t VALUES (1)')
    await expect(send()).rejects.toMatchObject({ code: 'ER_LOCK_WAIT_TIMEOUT' })
  }
  expect(await connection.query('SELECT COUNT(*) AS n FROM t')).toEqual([{ n: 0n }])
  expect(faults).toHaveFired('commit', 3)
})

test('a fatal fault closes the connection; the next connection works', async ({ rig, faults }) => {
  const mariadb = rig.mariadb(mariadbConnector)
  const connection = await mariadb.createConnection()
  faults.failNext('ping', mariadbErrors.connectionLost())
  await expect(connection.ping()).rejects.toMatchObject({ code: 'ER_SOCKET_UNEXPECTED_CLOSE', fatal: true })
  expect(connection.isValid()).toBe(false)
  const next = await mariadb.createConnection()
  await next.ping()
  expect(faults).toHaveFired('ping', 1)
})

test('connect faults fail createConnection and a pool\'s borrow, then connecting goes on', async ({ rig, faults }) => {
  const mariadb = rig.mariadb(mariadbConnector)
  faults.failNextConnect(mariadbErrors.connectionRefused())
  await expect(mariadb.createConnection()).rejects.toMatchObject({ code: 'ECONNREFUSED' })
  const pool = mariadb.createPool({ connectionLimit: 2 })
  faults.failNextConnect()
  await expect(pool.getConnection()).rejects.toBeInstanceOf(InjectedFaultError)
  const borrowed = await pool.getConnection()
  expect(await borrowed.query('SELECT DATABASE() AS db')).toEqual([{ db: rig.databaseName }])
  await borrowed.release()
  expect(faults).toHaveFired('connect', 2)
})

test('pool statements and batches get the faults matched on their SQL', async ({ rig, faults }) => {
  const mariadb = rig.mariadb(mariadbConnector)
  const pool = mariadb.createPool({ connectionLimit: 2 })
  await pool.query('CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20))')
  faults.failNext('batch', mariadbErrors.duplicateEntry('1'), { when: /INSERT INTO items/ })
  await expect(pool.batch('INSERT INTO items VALUES (?, ?)', [[1, 'a'], [2, 'b']])).rejects.toMatchObject({ errno: 1062 })
  await pool.batch('INSERT INTO items VALUES (?, ?)', [[1, 'a'], [2, 'b']])
  faults.failNext('query', mariadbErrors.tidbWriteConflict(), { when: /^SELECT/ })
  await expect(pool.query('SELECT name FROM items ORDER BY id')).rejects.toMatchObject({ errno: 9007 })
  expect(await pool.query('SELECT name FROM items ORDER BY id')).toEqual([{ name: 'a' }, { name: 'b' }])
  expect(faults.fired.map((fired) => fired.point)).toEqual(['batch', 'query'])
})

test.for([['a connection from rig.mariadb()', 'connection'], ['a connection of a rig.mariadb() pool', 'pool']] as const)('a statement %s still runs when the test ends is killed on the server, and its UPDATE never commits', async ([label, kind], { rig, conn }) => {
  rig.expectWarning('were still running when the test ended')
  const mariadb = rig.mariadb(mariadbConnector)
  const connection = kind === 'connection' ? await mariadb.createConnection() : mariadb.createPool({ connectionLimit: 1 })
  await conn.query('CREATE TABLE t (id INT PRIMARY KEY, v INT)')
  await conn.query('INSERT INTO t VALUES (1, 0)')
  await conn.beginTransaction()
  await conn.query('SELECT * FROM t WHERE id = 1 FOR UPDATE')
  const blocked = connection.query('UPDATE t SET v = 1 WHERE id = 1').then(() => undefined, (error: unknown) => error)
  await expect.poll(async () => (await conn.query<import('mysql2').RowDataPacket[]>("SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE INFO = 'UPDATE t SET v = 1 WHERE id = 1'"))[0][0]?.n, { timeout: 5_000 }).toBe(1)
  const killed = await rig.stopRunningStatements()
  expect(killed).toMatchObject([{ connection: label, sql: 'UPDATE t SET v = 1 WHERE id = 1' }])
  expect(await blocked).toBeInstanceOf(Error)
  await conn.commit()
  const [rows] = await conn.query('SELECT v FROM t')
  expect(rows).toEqual([{ v: 0 }])
})

test('the connector\'s statements are in the test\'s statement log, with their answers, for the query matchers', async ({ rig }) => {
  const mariadb = rig.mariadb(mariadbConnector)
  const connection = await mariadb.createConnection()
  const pool = mariadb.createPool({ connectionLimit: 1 })
  const sent = await rig.queries(async () => {
    await connection.query('CREATE TABLE items (id INT PRIMARY KEY)')
    await connection.batch('INSERT INTO items VALUES (?)', [[1], [2], [3]])
    await pool.query('SELECT id FROM items WHERE id > ?', [1])
    await connection.query('SELECT nope FROM items').catch(() => {})
  })
  expect(sent.map(({ method, sql }) => [method, sql])).toEqual([
    ['query', 'CREATE TABLE items (id INT PRIMARY KEY)'],
    ['execute', 'INSERT INTO items VALUES (?)'],
    ['query', 'SELECT id FROM items WHERE id > ?'],
    ['query', 'SELECT nope FROM items'],
  ])
  expect(sent[0]?.threadId).toBe(connection.threadId)
  expect(sent[2]).toMatchObject({ params: [1], rows: 2 })
  expect(sent[3]?.error).toMatchObject({ errno: 1054 })
  expect(rig).toHaveRunQueries(4)
})

test('queryStream: a fault arrives as the stream\'s error; an unfaulted stream streams its rows and is logged', async ({ rig, faults }) => {
  const connection = await rig.mariadb(mariadbConnector).createConnection()
  await connection.query('CREATE TABLE n (i INT PRIMARY KEY)')
  await connection.batch('INSERT INTO n VALUES (?)', [[1], [2], [3]])
  faults.failNext('query', mariadbErrors.lockWaitTimeout(), { when: /FROM n/ })
  await expect(connection.queryStream('SELECT i FROM n ORDER BY i').toArray()).rejects.toMatchObject({ errno: 1205 })
  expect(await connection.queryStream('SELECT i FROM n ORDER BY i').toArray()).toEqual([{ i: 1 }, { i: 2 }, { i: 3 }])
  expect(faults).toHaveFired('query', 1)
  await expect.poll(() => rig.statements.at(-1)).toMatchObject({ sql: 'SELECT i FROM n ORDER BY i', error: undefined, durationMs: expect.any(Number) })
})

test('every method of a promise connection consults the faults: execute, prepare, beginTransaction, rollback, reset, changeUser and end', async ({ rig, faults }) => {
  const connection = await rig.mariadb(mariadbConnector).createConnection()
  const calls = {
    execute: () => connection.execute('SELECT ?', [1]),
    prepare: () => connection.prepare('SELECT ?'),
    beginTransaction: () => connection.beginTransaction(),
    rollback: () => connection.rollback(),
    reset: () => connection.reset(),
    changeUser: () => connection.changeUser({ user: rig.mariadbConfig.user }),
    end: () => connection.end(),
  } as const
  for (const [method, call] of Object.entries(calls)) {
    faults.failNext(method as keyof typeof calls, mariadbErrors.lockWaitTimeout())
    await expect(call()).rejects.toMatchObject({ errno: 1205 })
  }
  expect(faults.fired.map((fired) => fired.point)).toEqual(Object.keys(calls))
  // A fault on end closes the connection, as mysql2's does.
  expect(connection.isValid()).toBe(false)
})
