import { describe, expect, mysqlErrors, test } from 'test-rig'
import { drizzleOrders } from './app/drizzle-store.ts'
import { expectReconnectAfterReset, promiseModes } from './modes.ts'

// Drizzle runs on a mysql2 promise pool; it wraps a failed query in its own error that names the
// query and keeps mysql2's error as the cause. It has no retry of its own.

describe.for(promiseModes)('Drizzle, %s', ([, driverOf]) => {
  test('a deadlock on an insert reaches the caller as Drizzle\'s "Failed query", mysql2\'s error as the cause', async ({ rig, faults }) => {
    await using orders = drizzleOrders(rig.url, driverOf(rig))
    await orders.setup()
    faults.failNext('query', mysqlErrors.deadlock(), { when: 'insert into `orders`' })
    const error = await orders.place(1, 10).then(() => undefined, (caught: unknown) => caught as Error & { cause?: unknown })
    expect(error?.message).toMatch(/^Failed query: insert into `orders`/)
    expect(error?.cause).toMatchObject({ code: 'ER_LOCK_DEADLOCK', errno: 1213 })
    await orders.place(1, 10)
    expect(await orders.count()).toBe(1)
  })

  test('a failed commit rejects the transaction and nothing of it stays', async ({ rig, faults }) => {
    await using orders = drizzleOrders(rig.url, driverOf(rig))
    await orders.setup()
    faults.failNext('commit', mysqlErrors.lockWaitTimeout())
    const error = await orders.placeBoth(1, 2).then(() => undefined, (caught: unknown) => caught as Error & { cause?: unknown })
    expect(error?.message).toMatch(/^Failed query: commit/)
    expect(error?.cause).toMatchObject({ code: 'ER_LOCK_WAIT_TIMEOUT' })
    expect(await orders.count()).toBe(0)
  })

  test('a refused connect fails the query that needed it, wrapped as "Failed query"; the next query connects', async ({ rig, faults }) => {
    await using orders = drizzleOrders(rig.url, driverOf(rig))
    faults.failNextConnect(mysqlErrors.connectionRefused(rig.server.host, rig.server.port))
    const error = await orders.setup().then(() => undefined, (caught: unknown) => caught as Error & { cause?: unknown })
    expect(error?.message).toMatch(/^Failed query: CREATE TABLE/)
    expect(error?.cause).toMatchObject({ code: 'ECONNREFUSED' })
    await orders.setup()
    expect(faults).toHaveFired('connect', 1)
  })

  test('a network reset fails the query with a lost connection; with the reset gone the pool reconnects', async ({ rig, faults }) => {
    await using orders = drizzleOrders(faults.network.url, driverOf(rig))
    await expectReconnectAfterReset(orders, faults.network)
  })
})
