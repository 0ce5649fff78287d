import * as mariadbConnector from 'mariadb'
import mariadbCallback, { type PoolConnection } from 'mariadb/callback'
import { expect, mariadbErrors, test } from 'test-rig'

// The rest of the `mariadb` connector: its callback API (rig.mariadbCallback), pool clusters in
// both APIs, a prepared statement's execute, and the connection a pool's own query borrows.

type Callback<T = unknown> = (error: Error | null, result?: T) => void
/** Waits for a callback connection's `connect` event (the connector passes the connect error to it). */
const connected = (connection: { once(event: 'connect', listener: (error?: Error) => void): unknown }) => new Promise<void>((resolve, reject) => connection.once('connect', (error) => (error ? reject(error) : resolve())))
const call = <T>(start: (callback: Callback<T>) => void) => new Promise<T>((resolve, reject) => start((error, result) => (error ? reject(error) : resolve(result as T))))

test('callback API: a deadlock reaches the query\'s callback, the transaction is rolled back, and the next query works', async ({ rig, faults }) => {
  const mariadb = rig.mariadbCallback(mariadbCallback)
  const connection = mariadb.createConnection()
  await connected(connection)
  await call((done) => connection.query('CREATE TABLE orders (id INT PRIMARY KEY)', done))
  faults.failNext('query', mariadbErrors.deadlock(), { when: /VALUES \(2\)/ })
  await call((done) => connection.beginTransaction(done))
  await call((done) => connection.query('INSERT INTO orders VALUES (1)', done))
  await expect(call((done) => connection.query('INSERT INTO orders VALUES (2)', done))).rejects.toMatchObject({ name: 'SqlError', code: 'ER_LOCK_DEADLOCK', errno: 1213 })
  await call((done) => connection.commit(done))
  await expect(call((done) => connection.query('SELECT COUNT(*) AS n FROM orders', done))).resolves.toEqual([{ n: 0n }])
  expect(faults).toHaveFired('query', 1)
})

test('callback API: commit, rollback, ping, reset, execute and batch get their faults; fatal ones close the connection', async ({ rig, faults }) => {
  const mariadb = rig.mariadbCallback(mariadbCallback)
  const connection = mariadb.createConnection()
  await connected(connection)
  await call((done) => connection.query('CREATE TABLE t (id INT)', done))
  faults.failNext('commit', mariadbErrors.lockWaitTimeout())
  await call((done) => connection.beginTransaction(done))
  await call((done) => connection.query('INSERT INTO t VALUES (1)', done))
  await expect(call((done) => connection.commit(done))).rejects.toMatchObject({ code: 'ER_LOCK_WAIT_TIMEOUT' })
  for (const [method, run] of [
    ['execute', (done: Callback) => connection.execute('SELECT ?', [1], done)],
    ['batch', (done: Callback) => connection.batch('INSERT INTO t VALUES (?)', [[2], [3]], done)],
    ['reset', (done: Callback) => connection.reset(done)],
    ['rollback', (done: Callback) => connection.rollback(done)],
  ] as const) {
    faults.failNext(method, mariadbErrors.lockWaitTimeout())
    await expect(call(run)).rejects.toMatchObject({ code: 'ER_LOCK_WAIT_TIMEOUT' })
  }
  await expect(call((done) => connection.query('SELECT COUNT(*) AS n FROM t', done))).resolves.toEqual([{ n: 0n }])
  faults.failNext('ping', mariadbErrors.connectionLost())
  await expect(call((done) => connection.ping(done))).rejects.toMatchObject({ fatal: true })
  expect(connection.isValid()).toBe(false)
  expect(faults.firedCount()).toBe(6)
})

test('callback API: a refused connect fails the connection through the connector\'s own path; the next one connects', async ({ rig, faults }) => {
  const mariadb = rig.mariadbCallback(mariadbCallback)
  faults.failNextConnect(mariadbErrors.connectionRefused())
  const refused = mariadb.createConnection()
  await expect(connected(refused)).rejects.toMatchObject({ code: 'ECONNREFUSED' })
  const next = mariadb.createConnection()
  await connected(next)
  await call((done) => next.ping(done))
  expect(faults).toHaveFired('connect', 1)
})

test('callback API: a pool\'s borrow and its own query get their faults, and its statements are logged', async ({ rig, faults }) => {
  const mariadb = rig.mariadbCallback(mariadbCallback)
  const pool = mariadb.createPool({ connectionLimit: 2 })
  faults.failNextConnect(mariadbErrors.connectionRefused(), { times: 2 })
  await expect(call((done) => pool.getConnection(done))).rejects.toMatchObject({ code: 'ECONNREFUSED' })
  await expect(call((done) => pool.query('SELECT 1', done))).rejects.toMatchObject({ code: 'ECONNREFUSED' })
  faults.failNext('query', mariadbErrors.deadlock(), { when: 'select 2' })
  await expect(call((done) => pool.query('SELECT 2', done))).rejects.toMatchObject({ errno: 1213 })
  const [row] = await call<Array<{ three: unknown }>>((done) => pool.query('SELECT 3 AS three', done))
  expect(Number(row?.three)).toBe(3)
  expect(rig.statements.map((statement) => statement.sql)).toContain('SELECT 3 AS three')
})

// The callback API's queryStream came with the connector's 3.5 releases.
test.skipIf(!(Number(mariadbCallback.version.split('.')[1]) >= 5))('callback API: a queryStream fault arrives as the stream\'s error', async ({ rig, faults }) => {
  const pool = rig.mariadbCallback(mariadbCallback).createPool({ connectionLimit: 1 })
  const connection = await call<PoolConnection>((done) => pool.getConnection(done))
  faults.failNext('query', mariadbErrors.lockWaitTimeout())
  const stream = connection.queryStream('SELECT 4')
  await expect(new Promise((resolve, reject) => stream.on('error', reject).on('end', resolve).resume())).rejects.toMatchObject({ code: 'ER_LOCK_WAIT_TIMEOUT' })
  connection.release(() => {})
})

test('pool clusters, both APIs: a node\'s borrow and a filtered view\'s query get the faults, into the test\'s database', async ({ rig, faults, conn }) => {
  await conn.query('CREATE TABLE t (id INT)')
  const cluster = rig.mariadb(mariadbConnector).createPoolCluster()
  cluster.add('primary', { connectionLimit: 2 })
  faults.failNextConnect(mariadbErrors.connectionRefused())
  await expect(cluster.getConnection('primary')).rejects.toMatchObject({ code: 'ECONNREFUSED' })
  faults.failNext('query', mariadbErrors.deadlock())
  await expect(cluster.of('^primary$').query('INSERT INTO t VALUES (1)')).rejects.toMatchObject({ errno: 1213 })
  await cluster.of('^primary$').query('INSERT INTO t VALUES (2)')
  const callbackCluster = rig.mariadbCallback(mariadbCallback).createPoolCluster()
  callbackCluster.add('primary', { connectionLimit: 2 })
  faults.failNext('query', mariadbErrors.lockWaitTimeout())
  await expect(call((done) => callbackCluster.of('^primary$').query('INSERT INTO t VALUES (3)', done))).rejects.toMatchObject({ errno: 1205 })
  await call((done) => callbackCluster.of('^primary$').query('INSERT INTO t VALUES (4)', done))
  const [rows] = await conn.query('SELECT id FROM t ORDER BY id')
  expect(rows).toEqual([{ id: 2 }, { id: 4 }])
})

test('a prepared statement\'s execute gets the execute faults, on the prepared SQL', async ({ rig, faults }) => {
  const connection = await rig.mariadb(mariadbConnector).createConnection()
  const prepared = await connection.prepare('SELECT ? AS v')
  faults.failNext('execute', mariadbErrors.deadlock(), { when: 'as v' })
  await expect(prepared.execute([1])).rejects.toMatchObject({ errno: 1213 })
  const [row] = (await prepared.execute([2])) as Array<{ v: unknown }>
  expect(Number(row?.v)).toBe(2)
  prepared.close()
  expect(faults).toHaveFired('execute', 1)
})

test('callback API: prepare, changeUser and end consult the faults too', async ({ rig, faults }) => {
  const connection = rig.mariadbCallback(mariadbCallback).createConnection()
  await connected(connection)
  for (const [method, run] of [
    ['prepare', (done: Callback) => connection.prepare('SELECT ?', done)],
    ['changeUser', (done: Callback) => connection.changeUser({ user: rig.mariadbConfig.user }, done)],
    ['end', (done: Callback) => connection.end(done)],
  ] as const) {
    faults.failNext(method, mariadbErrors.lockWaitTimeout())
    await expect(call(run)).rejects.toMatchObject({ errno: 1205 })
  }
  expect(faults.fired.map((fired) => fired.point)).toEqual(['prepare', 'changeUser', 'end'])
  // A fault on end closes the connection, as mysql2's does.
  expect(connection.isValid()).toBe(false)
})

test('callback API: a query without a callback returns its command, whose error event carries the fault', async ({ rig, faults }) => {
  const connection = rig.mariadbCallback(mariadbCallback).createConnection()
  await connected(connection)
  faults.failNext('query', mariadbErrors.deadlock())
  // (The connector's types ask for a callback; its JavaScript does not.)
  const command = Reflect.apply(connection.query, connection, ['SELECT 1']) as { on(event: 'error', listener: (error: Error) => void): unknown }
  await expect(new Promise((_, reject) => command.on('error', reject))).rejects.toMatchObject({ errno: 1213 })
})
