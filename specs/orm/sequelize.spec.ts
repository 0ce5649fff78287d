import { vi } from 'vitest'
import { ConnectionRefusedError, DatabaseError } from 'sequelize'
import { describe, expect, mysqlErrors, test } from 'test-rig'
import { sequelizeOrders } from './app/sequelize-store.ts'
import { callbackModes, expectReconnectAfterReset } from './modes.ts'

// Sequelize (dialect mysql) wraps mysql2's errors in classes of its own, mysql2's error as
// `original`; after a failed COMMIT it closes that connection.

describe.for(callbackModes)('Sequelize, %s', ([, driverOf]) => {
  test('a deadlock on an insert reaches the caller as a DatabaseError, mysql2\'s error as original', async ({ rig, faults }) => {
    await using orders = sequelizeOrders(rig.url, driverOf(rig))
    await orders.setup()
    faults.failNext('execute', mysqlErrors.deadlock(), { when: 'insert into `orders`' })
    const error = await orders.place(1, 10).then(() => undefined, (caught: unknown) => caught)
    expect(error).toBeInstanceOf(DatabaseError)
    expect((error as DatabaseError).original).toMatchObject({ code: 'ER_LOCK_DEADLOCK', errno: 1213 })
    await orders.place(1, 10)
    expect(await orders.count()).toBe(1)
  })

  test('a refused connect reaches the caller as a ConnectionRefusedError', async ({ rig, faults }) => {
    await using orders = sequelizeOrders(rig.url, driverOf(rig))
    faults.failNextConnect(mysqlErrors.connectionRefused(rig.server.host, rig.server.port))
    await expect(orders.setup()).rejects.toBeInstanceOf(ConnectionRefusedError)
    await orders.setup()
    expect(faults).toHaveFired('connect', 1)
  })

  test('a failed commit rejects the transaction, Sequelize closes that connection ("undetermined state"), and nothing of it stays', async ({ rig, faults }) => {
    await using orders = sequelizeOrders(rig.url, driverOf(rig))
    await orders.setup()
    faults.failNext('commit', mysqlErrors.lockWaitTimeout())
    // Sequelize says so on the console itself: caught and checked here rather than printed.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    await expect(orders.placeBoth(1, 2)).rejects.toMatchObject({ original: { code: 'ER_LOCK_WAIT_TIMEOUT' } })
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^Committing transaction \S+ failed with error "Lock wait timeout exceeded; try restarting transaction"\. We are killing its connection as it is now in an undetermined state\.$/))
    warn.mockRestore()
    expect(await orders.count()).toBe(0)
  })

  test('a network reset fails the query with a lost connection; with the reset gone the pool reconnects', async ({ rig, faults }) => {
    await using orders = sequelizeOrders(faults.network.url, driverOf(rig))
    await expectReconnectAfterReset(orders, faults.network)
  })
})
