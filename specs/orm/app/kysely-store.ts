import { Kysely, MysqlDialect } from 'kysely'
import mysql from 'mysql2'

interface Database {
  orders: { id: number; total: number }
}

/** Orders through Kysely on a mysql2 callback pool the app makes from its URL (with `driver`, or its own mysql2). */
export function kyselyOrders(url: string, driver: Pick<typeof mysql, 'createPool'> = mysql) {
  const db = new Kysely<Database>({ dialect: new MysqlDialect({ pool: driver.createPool(url) }) })
  return {
    setup: () => db.schema.createTable('orders').ifNotExists().addColumn('id', 'integer', (column) => column.primaryKey()).addColumn('total', 'integer', (column) => column.notNull()).execute(),
    place: (id: number, total: number) => db.insertInto('orders').values({ id, total }).execute(),
    placeBoth: (first: number, second: number) => db.transaction().execute(async (trx) => {
      await trx.insertInto('orders').values({ id: first, total: 1 }).execute()
      await trx.insertInto('orders').values({ id: second, total: 2 }).execute()
    }),
    count: async () => Number((await db.selectFrom('orders').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
    [Symbol.asyncDispose]: () => db.destroy(),
  }
}
