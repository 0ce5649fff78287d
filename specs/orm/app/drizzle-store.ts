import { count, sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/mysql2'
import { int, mysqlTable } from 'drizzle-orm/mysql-core'
import mysql from 'mysql2/promise'

const orders = mysqlTable('orders', { id: int('id').primaryKey(), total: int('total').notNull() })

/** Orders through Drizzle on a mysql2 promise pool the app makes from its URL (with `driver`, or its own mysql2/promise). */
export function drizzleOrders(url: string, driver: Pick<typeof mysql, 'createPool'> = mysql) {
  const pool = driver.createPool(url)
  const db = drizzle({ client: pool })
  return {
    setup: () => db.execute(sql`CREATE TABLE IF NOT EXISTS orders (id INT PRIMARY KEY, total INT NOT NULL)`),
    place: (id: number, total: number) => db.insert(orders).values({ id, total }),
    placeBoth: (first: number, second: number) => db.transaction(async (tx) => {
      await tx.insert(orders).values({ id: first, total: 1 })
      await tx.insert(orders).values({ id: second, total: 2 })
    }),
    count: async () => (await db.select({ n: count() }).from(orders))[0]?.n,
    [Symbol.asyncDispose]: () => pool.end(),
  }
}
