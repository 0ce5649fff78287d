import { QueryFailedError } from 'typeorm'
import { expect, mysqlErrors, test } from 'test-rig'
import { typeormOrders } from './app/typeorm-store.ts'

// TypeORM loads mysql2 itself (type mysql): intercepted. A failed query becomes its
// QueryFailedError, mysql2's error as `driverError`.

test('a deadlock on an insert reaches the caller as a QueryFailedError, mysql2\'s error as driverError', async ({ rig, faults }) => {
  await using orders = await typeormOrders(rig.url)
  faults.failNext('query', mysqlErrors.deadlock(), { when: 'insert into `orders`' })
  const error = await orders.place(1, 10).then(() => undefined, (caught: unknown) => caught)
  expect(error).toBeInstanceOf(QueryFailedError)
  expect((error as QueryFailedError).driverError).toMatchObject({ code: 'ER_LOCK_DEADLOCK', errno: 1213 })
  await orders.place(1, 10)
  expect(await orders.count()).toBe(1)
})

test('a failed commit rejects the transaction and nothing of it stays', async ({ rig, faults }) => {
  await using orders = await typeormOrders(rig.url)
  faults.failNext('query', mysqlErrors.lockWaitTimeout(), { when: /^commit$/i })
  await expect(orders.placeBoth(1, 2)).rejects.toMatchObject({ code: 'ER_LOCK_WAIT_TIMEOUT' })
  expect(await orders.count()).toBe(0)
})
