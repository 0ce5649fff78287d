import knex from 'knex'
import { Kysely, MysqlDialect, sql } from 'kysely'
import type { ResultSetHeader, RowDataPacket } from 'mysql2'
import * as mariadb from 'mariadb'
import mariadbCallback from 'mariadb/callback'
import { expect, mariadbErrors, mysqlErrors, test } from 'test-rig'
import { defineMachine, sqlSession } from 'test-rig/machines'
import { classifyError, resilient } from 'test-rig/resilience'
import { inject } from 'vitest'
import { makeOrdersApp } from './app/orders-app.ts'

// The examples of README.md and docs/, as they are written there, run against the real server.

test('README: a failed commit leaves nothing behind', async ({ conn, faults }) => {
  await conn.query('CREATE TABLE t (id INT PRIMARY KEY)')
  faults.failNext('commit', mysqlErrors.lockWaitTimeout())
  await conn.beginTransaction()
  await conn.query('INSERT INTO t VALUES (1)')
  await expect(conn.query('COMMIT')).rejects.toMatchObject({ errno: 1205 })
  expect(faults).toHaveFired('commit')
  const [rows] = await conn.query('SELECT * FROM t')
  expect(rows).toEqual([])
})

test('README: an update waits for the other session’s row lock', async ({ conn, rig }) => {
  await conn.query('CREATE TABLE a (id INT PRIMARY KEY, v INT)')
  await conn.query('INSERT INTO a VALUES (1, 0)')
  const run = await rig.coordinate({
    sessions: {
      holder: sqlSession('holder', [{ name: 'begin', sql: 'BEGIN' }, { name: 'update', sql: 'UPDATE a SET v = 1 WHERE id = 1' }, { name: 'commit', sql: 'COMMIT' }]),
      waiter: sqlSession('waiter', [{ name: 'update', sql: 'UPDATE a SET v = 2 WHERE id = 1' }]),
    },
    order: ['holder:begin', 'holder:update', 'waiter:update', 'holder:commit'],
  })
  expect(run).toHaveBlocked('waiter', 'update')
})

test('docs/fixtures.md: typed results', async ({ conn }) => {
  await conn.query('CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20))')
  const [insert] = await conn.query<ResultSetHeader>("INSERT INTO t VALUES (1, 'a'), (2, 'b')")
  expect(insert.affectedRows).toBe(2)
  const [rows] = await conn.query<(RowDataPacket & { id: number; name: string })[]>('SELECT id, name FROM t ORDER BY id')
  expect(rows.map((row) => row.name)).toEqual(['a', 'b'])
})

test('docs/machines.md: sells out', async ({ rig, conn }) => {
  const checkout = defineMachine<{ sold: number }>({
    id: 'checkout',
    initial: 'selling',
    data: () => ({ sold: 0 }),
    states: {
      selling: {
        next: ['selling', 'completed'],
        timeoutMs: 2000,
        async execute({ conn: c, data }) {
          const [result] = await c.query<ResultSetHeader>('UPDATE stock SET qty = qty - 1 WHERE qty > 0')
          if (result.affectedRows === 0) return 'completed'
          data.sold++
          return 'selling'
        },
      },
      completed: { final: true },
    },
  })
  await conn.query('CREATE TABLE stock (qty INT)')
  await conn.query('INSERT INTO stock VALUES (3)')
  const result = await rig.run(checkout)
  expect(result).toHaveEndedIn('completed')
  expect(result).toHaveVisited(['selling', 'selling', 'selling', 'selling', 'completed'])
  expect(result.data.sold).toBe(3)
})

test('docs/resilience.md: a deadlock is retried to success', async ({ conn, faults }) => {
  await conn.query('CREATE TABLE payments (id INT PRIMARY KEY)')
  const policy = resilient({ retryMaxAttempts: 5, attemptTimeoutMs: 2000, breakerFailureThreshold: 5 })
  let retries = 0
  policy.onRetry(() => retries++)
  expect(classifyError(mysqlErrors.deadlock()).kind).toBe('transient')
  faults.failNext('query', mysqlErrors.deadlock(), { when: 'insert' })
  await policy.execute('book payment', () => conn.query('INSERT INTO payments VALUES (1)'))
  expect(retries).toBe(1)
})

test('docs/clients.md: a pool of the app fails a borrow, then connects', async ({ rig, faults }) => {
  const pool = rig.mysql.createPool(rig.url)
  faults.failNextConnect(mysqlErrors.connectionRefused(rig.server.host, rig.server.port))
  await expect(pool.query('SELECT 1')).rejects.toMatchObject({ code: 'ECONNREFUSED' })
  await expect(pool.query('SELECT 1 AS one')).resolves.toMatchObject([[{ one: 1 }], expect.anything()])
})

test('docs/clients.md: a failed commit leaves nothing (Kysely)', async ({ rig, faults }) => {
  const db = new Kysely<{ orders: { id: number } }>({ dialect: new MysqlDialect({ pool: rig.mysql.callback.createPool(rig.url) }) })
  try {
    await sql`CREATE TABLE orders (id INT PRIMARY KEY)`.execute(db)
    faults.failNext('commit', mysqlErrors.lockWaitTimeout())
    await expect(db.transaction().execute((trx) => trx.insertInto('orders').values({ id: 1 }).execute())).rejects.toMatchObject({ errno: 1205 })
    expect(await db.selectFrom('orders').selectAll().execute()).toEqual([])
  } finally {
    await db.destroy()
  }
})

test('docs/clients.md: a deadlock through Knex names the SQL', async ({ rig, faults }) => {
  const db = knex(await rig.knexConfig({ pool: { min: 0, max: 2 } }))
  try {
    await db.schema.createTable('orders', (table) => table.integer('id').primary())
    faults.failNext('query', mysqlErrors.deadlock(), { when: 'insert into `orders`' })
    await expect(db('orders').insert({ id: 1 })).rejects.toMatchObject({ errno: 1213, message: expect.stringMatching(/^insert into `orders` .* - Deadlock found/) })
  } finally {
    await db.destroy()
  }
})

test('docs/clients.md: the app runs on the rig\'s driver', async ({ rig }) => {
  const app = makeOrdersApp(rig.mysql, rig.url)
  await expect(app.pool.query('SELECT 1 AS one')).resolves.toMatchObject([[{ one: 1 }], expect.anything()])
  await app.close()
})

test('docs/faults.md: a reset surfaces as a lost connection', async ({ faults }) => {
  const connection = await faults.network.connect()
  faults.network.reset()
  const error = await connection.query('SELECT 1').catch((e: unknown) => e)
  expect(['ECONNRESET', 'PROTOCOL_CONNECTION_LOST']).toContain((error as { code?: string }).code)
})

test('docs/faults.md: the app reports a lost connection', async ({ rig, faults }) => {
  const app = makeOrdersApp(rig.mysql, rig.url)
  faults.failNext('query', mysqlErrors.connectionLost())
  await expect(app.pool.query('SELECT 1 AS one')).rejects.toMatchObject({ code: 'PROTOCOL_CONNECTION_LOST', fatal: true })
})

test('docs/faults.md: the driver faults example', async ({ conn, faults }) => {
  faults.failNext('query', mysqlErrors.deadlock())
  faults.failNext('commit', 'boom', { times: 2 })
  faults.failNext('query', mysqlErrors.lockWaitTimeout(), { times: 'always', when: /^update/i })
  faults.onCall((call) => (call.sql?.includes('DROP') ? 'not in this test' : undefined), ['query', 'execute'])
  await expect(conn.query('SELECT 1')).rejects.toMatchObject({ code: 'ER_LOCK_DEADLOCK', errno: 1213 })
  expect(faults).toHaveFired('query')
  faults.clear()
})

test('docs/fixtures.md: the order page loads in two queries', async ({ conn, rig }) => {
  await conn.query('CREATE TABLE orders (id INT PRIMARY KEY, customer INT)')
  const loaded = await rig.queries(async () => {
    await conn.query('SELECT * FROM orders WHERE customer = 1')
    await conn.query('SELECT COUNT(*) FROM orders')
  })
  expect(loaded).toHaveRunQueries(2)
  expect(loaded).not.toHaveRepeatedStatement(2)
  expect(rig).toHaveRunQueries({ atLeast: 3, matching: /orders/ })
})

test('docs/history.md: these transactions stay snapshot-isolated on 8 sessions', async ({ rig }) => {
  const run = await rig.workload({ sessions: 8, transactions: 300, keys: 4, isolation: 'repeatable read', seed: 7 })
  expect(run.counts.ok).toBeGreaterThan(0)
  expect(run).not.toBeConsistentWith('serializable')
})

test('docs/clients.md: a deadlock reaches the caller as the mariadb connector raises it', async ({ rig, faults }) => {
  const connection = await rig.mariadb(mariadb).createConnection()
  await connection.query('CREATE TABLE orders (id INT PRIMARY KEY)')
  faults.failNext('query', mariadbErrors.deadlock(), { when: /^INSERT/ })
  await expect(connection.query('INSERT INTO orders VALUES (1)')).rejects.toMatchObject({ code: 'ER_LOCK_DEADLOCK', errno: 1213 })
  expect(faults).toHaveFired('query', 1)
})

const onLocalTidb = inject('test-rig').server.engine === 'tidb' && inject('test-rig').server.provider === 'local'

test.skipIf(!onLocalTidb)('docs/faults.md: the order service retries a PD timeout', { tags: ['server-faults'] }, async ({ conn, faults }) => {
  await conn.query('CREATE TABLE stock (id INT PRIMARY KEY, qty INT)')
  await conn.query('INSERT INTO stock VALUES (1, 10)')
  const fault = await faults.server.pdTimeout({ times: 2 }) // the next two writes fail with 9001
  let attempts = 0
  await resilient({ retryInitialDelayMs: 5 }).execute('take one', async () => {
    attempts++
    await conn.query('UPDATE stock SET qty = qty - 1 WHERE id = 1')
  })
  expect(attempts).toBe(3)
  expect(fault.firedCount).toBe(2)
})

test('docs/clients.md: the callback API gets the deadlock in its callback', async ({ rig, faults }) => {
  const pool = rig.mariadbCallback(mariadbCallback).createPool({ connectionLimit: 2 })
  faults.failNext('query', mariadbErrors.deadlock())
  const error = await new Promise((resolve) => pool.query('SELECT 1', (failure) => resolve(failure)))
  expect(error).toMatchObject({ code: 'ER_LOCK_DEADLOCK' })
})
