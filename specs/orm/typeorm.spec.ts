import { QueryFailedError } from 'typeorm'
import { describe, expect, mysqlErrors, test } from 'test-rig'
import { typeormOrders } from './app/typeorm-store.ts'
import { callbackModes, expectReconnectAfterReset } from './modes.ts'

// TypeORM (type mysql) turns a failed query into its QueryFailedError, mysql2's error as
// `driverError`; its pool is mysql2's.

describe.for(callbackModes)('TypeORM, %s', ([, driverOf]) => {
  test('a deadlock on an insert reaches the caller as a QueryFailedError, mysql2\'s error as driverError', async ({ rig, faults }) => {
    await using orders = typeormOrders(rig.url, driverOf(rig))
    await orders.setup()
    faults.failNext('query', mysqlErrors.deadlock(), { when: 'insert into `orders`' })
    const error = await orders.place(1, 10).then(() => undefined, (caught: unknown) => caught)
    expect(error).toBeInstanceOf(QueryFailedError)
    expect((error as QueryFailedError).driverError).toMatchObject({ code: 'ER_LOCK_DEADLOCK', errno: 1213 })
    await orders.place(1, 10)
    expect(await orders.count()).toBe(1)
  })

  test('a failed commit rejects the transaction and nothing of it stays', async ({ rig, faults }) => {
    await using orders = typeormOrders(rig.url, driverOf(rig))
    await orders.setup()
    faults.failNext('commit', mysqlErrors.lockWaitTimeout())
    await expect(orders.placeBoth(1, 2)).rejects.toMatchObject({ code: 'ER_LOCK_WAIT_TIMEOUT' })
    expect(await orders.count()).toBe(0)
  })

  test('a refused connect fails initialize(); a second initialize connects', async ({ rig, faults }) => {
    await using orders = typeormOrders(rig.url, driverOf(rig))
    faults.failNextConnect(mysqlErrors.connectionRefused(rig.server.host, rig.server.port))
    await expect(orders.setup()).rejects.toMatchObject({ code: 'ECONNREFUSED' })
    await orders.setup()
    expect(faults).toHaveFired('connect', 1)
  })

  test('a network reset fails the query with a lost connection; with the reset gone the pool reconnects', async ({ rig, faults }) => {
    await using orders = typeormOrders(faults.network.url, driverOf(rig))
    await expectReconnectAfterReset(orders, faults.network)
  })
})
