import { expect, InjectedFaultError, mysqlErrors, test } from 'test-rig'
import { callbackOrders, promiseOrders } from './app/mysql2-store.ts'

// faults.intercept = true: the app's own `import mysql from 'mysql2/promise'` and
// `import { createPool } from 'mysql2'` get the test's faults, with no change to the app.

test.for([['promise API', promiseOrders, 'execute'], ['callback API', callbackOrders, 'query']] as const)('an app pool made with the %s: a deadlock on its %s reaches the app as mysql2 raises it, then the pool goes on', async ([, makeOrders, method], { rig, faults }) => {
  await using orders = makeOrders(rig.url)
  await orders.setup()
  faults.failNext(method, mysqlErrors.deadlock(), { when: 'insert into orders' })
  const failed = await orders.place(1, 10).then(() => undefined, (error: unknown) => error)
  expect(failed).toMatchObject({ code: 'ER_LOCK_DEADLOCK', errno: 1213, sqlState: '40001' })
  await orders.place(1, 10)
  expect(await orders.count()).toBe(1)
  expect(faults).toHaveFired(method, 1)
})

test('a connect fault fails the app pool\'s first borrow; the next borrow connects', async ({ rig, faults }) => {
  await using orders = promiseOrders(rig.url)
  faults.failNextConnect()
  await expect(orders.setup()).rejects.toBeInstanceOf(InjectedFaultError)
  await orders.setup()
  expect(faults).toHaveFired('connect', 1)
})
