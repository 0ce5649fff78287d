import * as mariadb from 'mariadb'
import { PrismaMariaDb } from '@prisma/adapter-mariadb'
import { expect, mariadbErrors, test } from 'test-rig'
import { Prisma, PrismaClient } from './generated/client.ts'

// Prisma 7 on the rig: the schema is built once from Prisma's own migration SQL files
// (schema.files names their folder), every test gets a client on its own database through
// Prisma's MariaDB adapter, and the test's driver faults reach it — in intercept mode (the
// adapter's own `mariadb` pool) and through a pool the rig hands it. What Prisma makes of each
// fault is asserted exactly.

/** A Prisma client on the test's database, made as an app makes it: the adapter opens its own pool. */
function shopOn(url: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaMariaDb(url) })
}

test('the schema comes from the migration files, in order: both migrations are in the test\'s database', async ({ rig }) => {
  await using shop = disposable(shopOn(rig.url))
  const customer = await shop.client.customer.create({ data: { email: 'ada@example.com', orders: { create: [{ total: 30, note: 'first' }] } }, include: { orders: true } })
  expect(customer.orders).toMatchObject([{ total: 30, note: 'first' }])
  expect(await shop.client.order.count()).toBe(1)
})

test('a deadlock on an INSERT surfaces as P2034 and nothing is written; the retry writes', async ({ rig, faults }) => {
  await using shop = disposable(shopOn(rig.url))
  const customer = await shop.client.customer.create({ data: { email: 'bob@example.com' } })
  faults.failNext('execute', mariadbErrors.deadlock(), { when: /^INSERT INTO `Order`/ })
  const failed = await shop.client.order.create({ data: { customerId: customer.id, total: 10 } }).catch((error: unknown) => error)
  expect(failed).toBeInstanceOf(Prisma.PrismaClientKnownRequestError)
  expect(failed).toMatchObject({ code: 'P2034', meta: { driverAdapterError: { cause: { originalCode: '1213', kind: 'TransactionWriteConflict' } } } })
  expect(await shop.client.order.count()).toBe(0)
  await shop.client.order.create({ data: { customerId: customer.id, total: 10 } })
  expect(await shop.client.order.count()).toBe(1)
  expect(faults).toHaveFired('execute', 1)
})

test('a failed COMMIT of an interactive transaction reaches the caller as the adapter\'s own error (no P-code), and leaves nothing', async ({ rig, faults }) => {
  await using shop = disposable(shopOn(rig.url))
  faults.failNext('commit', mariadbErrors.lockWaitTimeout())
  const failed = await shop.client.$transaction(async (tx) => {
    const customer = await tx.customer.create({ data: { email: 'cy@example.com' } })
    await tx.order.create({ data: { customerId: customer.id, total: 5 } })
  }).catch((error: unknown) => error)
  expect(failed).toMatchObject({ name: 'DriverAdapterError', message: 'Lock wait timeout exceeded; try restarting transaction', cause: { kind: 'mysql', code: 1205 } })
  expect(failed).not.toBeInstanceOf(Prisma.PrismaClientKnownRequestError)
  expect(await shop.client.customer.count()).toBe(0)
  expect(faults).toHaveFired('commit', 1)
})

test('a lost connection surfaces as P2039 with the connector\'s code, and the client goes on with a new connection', async ({ rig, faults }) => {
  await using shop = disposable(shopOn(rig.url))
  await shop.client.customer.count()
  faults.failNext('execute', mariadbErrors.connectionLost(), { when: /^SELECT/ })
  const failed = await shop.client.customer.findMany().catch((error: unknown) => error)
  expect(failed).toBeInstanceOf(Prisma.PrismaClientKnownRequestError)
  expect(failed).toMatchObject({ code: 'P2039', meta: { driverAdapterError: { cause: { kind: 'mysql', code: 45009, state: '08S01' } } } })
  expect(await shop.client.customer.findMany()).toEqual([])
})

test('a lock wait timeout on a statement surfaces as P2039 with the server\'s code', async ({ rig, faults }) => {
  await using shop = disposable(shopOn(rig.url))
  faults.failNext('execute', mariadbErrors.lockWaitTimeout(), { when: /^INSERT/ })
  const failed = await shop.client.customer.create({ data: { email: 'ed@example.com' } }).catch((error: unknown) => error)
  expect(failed).toMatchObject({ code: 'P2039', meta: { driverAdapterError: { cause: { kind: 'mysql', code: 1205 } } } })
})

test('a refused connect surfaces with the connector\'s code, ECONNREFUSED, as the error\'s code — after the adapter\'s first borrow, which swallows it', async ({ rig, faults }) => {
  await using shop = disposable(shopOn(rig.url))
  // The first borrow is the adapter's capability check (SELECT VERSION()): it swallows the failure.
  faults.failNextConnect(mariadbErrors.connectionRefused())
  expect(await shop.client.customer.count()).toBe(0)
  faults.failNextConnect(mariadbErrors.connectionRefused())
  const failed = await shop.client.customer.count().catch((error: unknown) => error)
  expect(failed).toBeInstanceOf(Prisma.PrismaClientKnownRequestError)
  expect(failed).toMatchObject({ code: 'ECONNREFUSED' })
  expect(faults).toHaveFired('connect', 2)
})

test('injected instead: a pool from rig.mariadb() handed to the adapter gets the faults and logs the statements', async ({ rig, faults }) => {
  const pool = rig.mariadb(mariadb).createPool({ connectionLimit: 2 })
  // (The adapter pins its own mariadb release; the project's may differ, hence the cast.)
  const client = new PrismaClient({ adapter: new PrismaMariaDb(pool as unknown as ConstructorParameters<typeof PrismaMariaDb>[0]) })
  try {
    faults.failNext('execute', mariadbErrors.deadlock(), { when: 'INSERT' })
    await expect(client.customer.create({ data: { email: 'di@example.com' } })).rejects.toMatchObject({ code: 'P2034' })
    await client.customer.create({ data: { email: 'di@example.com' } })
    // The failed INSERT never reached the server; the retried one did, once, logged once.
    expect(rig.statements.filter((statement) => statement.sql.startsWith('INSERT')).length).toBe(1)
    expect(faults).toHaveFired('execute', 1)
  } finally {
    await client.$disconnect()
  }
})

/** A client disconnected after the test (`await using`). */
function disposable(client: PrismaClient): { client: PrismaClient } & AsyncDisposable {
  return { client, [Symbol.asyncDispose]: () => client.$disconnect() }
}
