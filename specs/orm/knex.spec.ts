import type { Knex } from 'knex'
import { describe, expect, mysqlErrors, test, type Rig } from 'test-rig'
import { knexOrders } from './app/knex-store.ts'
import { expectReconnectAfterReset } from './modes.ts'

/** Knex gets the test's faults two ways: it loads the intercepted mysql2 itself, or runs on the rig's through rig.knexConfig(). */
const knexModes = [
  ['intercepted: Knex loads mysql2 itself', async (_rig: Rig, url: string): Promise<Knex.Config> => ({ client: 'mysql2', connection: url })],
  ['injected: knex(await rig.knexConfig())', (rig: Rig, url: string): Promise<Knex.Config> => rig.knexConfig({ connection: url })],
] as const

// Knex (client 'mysql2') keeps mysql2's error fields and puts the SQL in front of the message; its
// pool (tarn) propagates a failed connect to the query that waited for it.

describe.for(knexModes)('Knex, %s', ([, configOf]) => {
  test('a deadlock on an insert reaches the caller with the SQL in front of mysql2\'s message', async ({ rig, faults }) => {
    await using orders = knexOrders(await configOf(rig, rig.url))
    await orders.setup()
    faults.failNext('query', mysqlErrors.deadlock(), { when: 'insert into `orders`' })
    await expect(orders.place(1, 10)).rejects.toMatchObject({
      code: 'ER_LOCK_DEADLOCK',
      errno: 1213,
      message: 'insert into `orders` (`id`, `total`) values (1, 10) - Deadlock found when trying to get lock; try restarting transaction',
    })
    await orders.place(1, 10)
    expect(await orders.count()).toBe(1)
  })

  test('a failed commit rejects the transaction and nothing of it stays', async ({ rig, faults }) => {
    await using orders = knexOrders(await configOf(rig, rig.url))
    await orders.setup()
    faults.failNext('commit', mysqlErrors.lockWaitTimeout())
    await expect(orders.placeBoth(1, 2)).rejects.toMatchObject({ code: 'ER_LOCK_WAIT_TIMEOUT' })
    expect(await orders.count()).toBe(0)
  })

  test('a refused connect fails the query that needed it (Knex propagates create errors of its pool), the next query connects', async ({ rig, faults }) => {
    await using orders = knexOrders(await configOf(rig, rig.url))
    faults.failNextConnect(mysqlErrors.connectionRefused(rig.server.host, rig.server.port))
    await expect(orders.setup()).rejects.toMatchObject({ code: 'ECONNREFUSED', message: `connect ECONNREFUSED ${rig.server.host}:${rig.server.port}` })
    expect(orders.warnings).toEqual([expect.stringMatching(/^Acquire connection error: Error: connect ECONNREFUSED /)])
    await orders.setup()
    expect(await orders.count()).toBe(0)
    expect(faults).toHaveFired('connect', 1)
  })

  test('a lost connection fails the query; the pool drops it and the next query gets a new one', async ({ rig, faults }) => {
    await using orders = knexOrders(await configOf(rig, rig.url))
    await orders.setup()
    const [[before]] = (await orders.db.raw('SELECT CONNECTION_ID() AS id')) as [[{ id: number }]]
    faults.failNext('query', mysqlErrors.connectionLost(), { when: 'select count' })
    await expect(orders.count()).rejects.toMatchObject({ code: 'PROTOCOL_CONNECTION_LOST', fatal: true })
    const [[after]] = (await orders.db.raw('SELECT CONNECTION_ID() AS id')) as [[{ id: number }]]
    expect(after.id).not.toBe(before.id)
  })

  test('a network reset fails the query with a lost connection; with the reset gone the pool reconnects', async ({ rig, faults }) => {
    await using orders = knexOrders(await configOf(rig, faults.network.url))
    await expectReconnectAfterReset(orders, faults.network)
  })
})
