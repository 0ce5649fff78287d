import { describe, expect, mysqlErrors, test } from 'test-rig'
import { kyselyOrders } from './app/kysely-store.ts'
import { callbackModes, expectReconnectAfterReset } from './modes.ts'

// Kysely runs on mysql2's callback pool and has no retry of its own: each fault reaches the caller
// as mysql2's error, unchanged.

describe.for(callbackModes)('Kysely, %s', ([, driverOf]) => {
  test('a deadlock on an insert reaches the caller unchanged; the next insert works', async ({ rig, faults }) => {
    await using orders = kyselyOrders(rig.url, driverOf(rig))
    await orders.setup()
    faults.failNext('query', mysqlErrors.deadlock(), { when: 'insert into `orders`' })
    await expect(orders.place(1, 10)).rejects.toMatchObject({ code: 'ER_LOCK_DEADLOCK', errno: 1213, message: 'Deadlock found when trying to get lock; try restarting transaction' })
    await orders.place(1, 10)
    expect(await orders.count()).toBe(1)
  })

  test('a failed commit fails the transaction and nothing of it stays', async ({ rig, faults }) => {
    await using orders = kyselyOrders(rig.url, driverOf(rig))
    await orders.setup()
    faults.failNext('commit', mysqlErrors.lockWaitTimeout())
    await expect(orders.placeBoth(1, 2)).rejects.toMatchObject({ code: 'ER_LOCK_WAIT_TIMEOUT' })
    expect(await orders.count()).toBe(0)
  })

  test('a refused connect fails the query that needed it; Kysely does not retry', async ({ rig, faults }) => {
    await using orders = kyselyOrders(rig.url, driverOf(rig))
    faults.failNextConnect(mysqlErrors.connectionRefused(rig.server.host, rig.server.port))
    await expect(orders.setup()).rejects.toMatchObject({ code: 'ECONNREFUSED', fatal: true })
    await orders.setup()
    expect(faults).toHaveFired('connect', 1)
  })

  test('a network reset fails the query with a lost connection; with the reset gone the pool reconnects', async ({ rig, faults }) => {
    await using orders = kyselyOrders(faults.network.url, driverOf(rig))
    await expectReconnectAfterReset(orders, faults.network)
  })
})
