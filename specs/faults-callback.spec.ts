import type { FieldPacket, QueryError, RowDataPacket } from 'mysql2'
import { once } from 'node:events'
import { expect, InjectedFaultError, mysqlErrors, test } from 'test-rig'

// Driver faults on mysql2's callback API: they arrive where mysql2 delivers a server error — the
// callback, or the command's 'error' event (streaming rows too) — with mysql2's own error shape.

type Done = (error: QueryError | NodeJS.ErrnoException | null, rows?: unknown, fields?: FieldPacket[]) => void
const call = <T>(start: (done: Done) => void) =>
  new Promise<T>((resolve, reject) => start((error, rows) => (error ? reject(error) : resolve(rows as T))))

test('query and execute with a callback get the fault as their error, then work as usual', async ({ rig, faults }) => {
  const connection = rig.mysql.callback.createConnection(rig.url)
  faults.failNext('query', mysqlErrors.deadlock())
  await expect(call((done) => connection.query('SELECT 1 AS one', done))).rejects.toMatchObject({ code: 'ER_LOCK_DEADLOCK', errno: 1213, sqlState: '40001' })
  expect(await call((done) => connection.query('SELECT 1 AS one', done))).toEqual([{ one: 1 }])
  faults.failNext('execute', undefined, { when: 'select ?' })
  await expect(call((done) => connection.execute('SELECT ? AS two', [2], done))).rejects.toBeInstanceOf(InjectedFaultError)
  expect(await call((done) => connection.execute('SELECT ? AS two', [2], done))).toEqual([{ two: 2 }])
  expect(faults.fired.map((fault) => fault.point)).toEqual(['query', 'execute'])
})

test('a streamed query gets the fault as its error event, and .stream() as a stream error', async ({ rig, faults }) => {
  const connection = rig.mysql.callback.createConnection(rig.url)
  faults.failNext('query', mysqlErrors.lockWaitTimeout(), { times: 2 })
  const query = connection.query('SELECT 1')
  const events: string[] = []
  const ended = new Promise((resolve) => query.on('end', resolve))
  query.on('result', () => events.push('result')).on('error', (error: QueryError) => events.push(`error ${error.code}`)).on('end', () => events.push('end'))
  await ended
  expect(events).toEqual(['error ER_LOCK_WAIT_TIMEOUT', 'end'])
  const stream = connection.query('SELECT 1').stream()
  const [error] = (await once(stream, 'error')) as [QueryError]
  expect(error.code).toBe('ER_LOCK_WAIT_TIMEOUT')
  const rows: unknown[] = []
  for await (const row of connection.query('SELECT 2 AS two').stream()) rows.push(row)
  expect(rows).toEqual([{ two: 2 }])
})

test('transaction control with callbacks: a failed commit, then a rollback that works', async ({ rig, faults }) => {
  const connection = rig.mysql.callback.createConnection(rig.url)
  await call((done) => connection.query('CREATE TABLE t (id INT)', done))
  faults.failNext('commit', mysqlErrors.lockWaitTimeout())
  await call((done) => connection.beginTransaction((error) => done(error)))
  await call((done) => connection.query('INSERT INTO t VALUES (1)', done))
  await expect(call((done) => connection.commit((error) => done(error)))).rejects.toMatchObject({ code: 'ER_LOCK_WAIT_TIMEOUT' })
  await call((done) => connection.rollback((error) => done(error)))
  expect(await call((done) => connection.query('SELECT COUNT(*) AS n FROM t', done))).toEqual([{ n: 0 }])
})

test('a refused connect reaches the connection as mysql2 reports one: the queued callbacks, else the error event', async ({ rig, faults }) => {
  faults.failNextConnect(mysqlErrors.connectionRefused(rig.server.host, rig.server.port), { times: 2 })
  const withQuery = rig.mysql.callback.createConnection(rig.url)
  await expect(call((done) => withQuery.query('SELECT 1', done))).rejects.toMatchObject({ code: 'ECONNREFUSED', fatal: true })
  const alone = rig.mysql.callback.createConnection(rig.url)
  const [error] = (await once(alone, 'error')) as [QueryError]
  expect(error).toMatchObject({ code: 'ECONNREFUSED', fatal: true })
  const connection = rig.mysql.callback.createConnection(rig.url)
  expect(await call((done) => connection.query('SELECT 1 AS one', done))).toEqual([{ one: 1 }])
  expect(faults).toHaveFired('connect', 2)
})

test('a fatal fault closes the connection for good, as a lost connection does', async ({ rig, faults }) => {
  const connection = rig.mysql.callback.createConnection(rig.url)
  await call((done) => connection.query('SELECT 1', done))
  faults.failNext('query', mysqlErrors.connectionLost())
  await expect(call((done) => connection.query('SELECT 1', done))).rejects.toMatchObject({ code: 'PROTOCOL_CONNECTION_LOST', fatal: true })
  await expect(call((done) => connection.query('SELECT 1', done))).rejects.toThrow(/closed state/)
})

test('pools: a connect fault fails the next borrow (pool.query and getConnection), a fatal fault drops the connection from the pool', async ({ rig, faults }) => {
  const pool = rig.callbackPool({ connectionLimit: 1 })
  faults.failNextConnect(mysqlErrors.tooManyConnections())
  await expect(call((done) => pool.query('SELECT 1', done))).rejects.toMatchObject({ code: 'ER_CON_COUNT_ERROR' })
  faults.failNext('getConnection')
  await expect(call((done) => pool.getConnection(done))).rejects.toBeInstanceOf(InjectedFaultError)
  const first = await call<{ threadId: number }>((done) => pool.query('SELECT CONNECTION_ID() AS threadId', done)).then((rows) => (rows as unknown as RowDataPacket[])[0]?.threadId)
  faults.failNext('query', mysqlErrors.connectionReset())
  await expect(call((done) => pool.query('SELECT 1', done))).rejects.toMatchObject({ code: 'ECONNRESET' })
  const second = await call((done) => pool.query('SELECT CONNECTION_ID() AS threadId', done)).then((rows) => (rows as RowDataPacket[])[0]?.threadId)
  expect(second).not.toBe(first)
})

test('pool clusters: a refused connect is retried by the cluster (a warn event), or fails the query with canRetry off', async ({ rig, faults }) => {
  const cluster = rig.mysql.callback.createPoolCluster()
  cluster.add('primary', { uri: rig.url })
  faults.failNextConnect(mysqlErrors.connectionRefused())
  const warned = once(cluster, 'warn')
  expect(await call((done) => cluster.of('primary').query('SELECT 1 AS one', done))).toEqual([{ one: 1 }])
  expect((await warned)[0]).toMatchObject({ code: 'ECONNREFUSED' })
  const strict = rig.mysql.callback.createPoolCluster({ canRetry: false })
  strict.add('primary', { uri: rig.url })
  faults.failNextConnect(mysqlErrors.connectionRefused())
  await expect(call((done) => strict.of('primary').query('SELECT 1', done))).rejects.toMatchObject({ code: 'ECONNREFUSED' })
  expect(faults).toHaveFired('connect', 2)
})

test('the promise pool says what to use when it is given a callback (Kysely would wait for ever)', async ({ rig }) => {
  const pool = rig.pool() as unknown as { getConnection(callback: () => void): void }
  expect(() => pool.getConnection(() => {})).toThrow(/rig\.callbackPool\(\)/)
})
