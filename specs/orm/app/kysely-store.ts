import { Kysely, MysqlDialect } from 'kysely'
import { createPool } from 'mysql2'

interface Database {
  orders: { id: number; total: number }
}

/** Orders through Kysely on mysql2's callback pool, made by the app from its URL. */
export function kyselyOrders(url: string) {
  const db = new Kysely<Database>({ dialect: new MysqlDialect({ pool: createPool(url) }) })
  return {
    db,
    setup: () => db.schema.createTable('orders').ifNotExists().addColumn('id', 'integer', (column) => column.primaryKey()).addColumn('total', 'integer', (column) => column.notNull()).execute(),
    place: (id: number, total: number) => db.insertInto('orders').values({ id, total }).execute(),
    placeBoth: (first: number, second: number) => db.transaction().execute(async (trx) => {
      await trx.insertInto('orders').values({ id: first, total: 1 }).execute()
      await trx.insertInto('orders').values({ id: second, total: 2 }).execute()
    }),
    count: async () => Number((await db.selectFrom('orders').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
    close: () => db.destroy(),
    [Symbol.asyncDispose]: async () => {
      await db.destroy()
    },
  }
}
