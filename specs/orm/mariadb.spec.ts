import { expect, mariadbErrors, test } from 'test-rig'
import { mariadbCallbackOrders, mariadbOrders } from './app/mariadb-store.ts'

// faults.intercept = true: the app's own `import * as mariadb from 'mariadb'` and
// `import mariadb from 'mariadb/callback'` get the test's faults and log their statements, with
// no change to the app.

test.for([['promise API', mariadbOrders, 'execute'], ['callback API', mariadbCallbackOrders, 'query']] as const)('an app pool made with the connector\'s %s: a deadlock on its %s reaches the app as the connector raises it, then the pool goes on', async ([, makeOrders, method], { rig, faults }) => {
  await using orders = makeOrders(rig.url)
  await orders.setup()
  faults.failNext(method, mariadbErrors.deadlock(), { when: 'insert into orders' })
  const failed = await orders.place(1, 10).then(() => undefined, (error: unknown) => error)
  expect(failed).toMatchObject({ name: 'SqlError', code: 'ER_LOCK_DEADLOCK', errno: 1213, sqlState: '40001' })
  await orders.place(1, 10)
  expect(await orders.count()).toBe(1)
  expect(faults).toHaveFired(method, 1)
  // Its statements are the test's: in the log and for the query matchers.
  expect(rig.statements.map((statement) => statement.sql)).toContain('INSERT INTO orders VALUES (?, ?)')
})

test.for([['promise API', mariadbOrders], ['callback API', mariadbCallbackOrders]] as const)('a connect fault fails the first borrow of an app pool made with the connector\'s %s; the next one connects', async ([, makeOrders], { rig, faults }) => {
  await using orders = makeOrders(rig.url)
  faults.failNextConnect(mariadbErrors.connectionRefused())
  await expect(orders.setup()).rejects.toMatchObject({ code: 'ECONNREFUSED' })
  await orders.setup()
  expect(faults).toHaveFired('connect', 1)
})
