import knex, { type Knex } from 'knex'
// Knex's own mysql2 client, to hand it another driver module.
// @ts-expect-error knex ships no types for its dialect classes
import Client_MySQL2 from 'knex/lib/dialects/mysql2/index.js'

/** Orders through Knex (client mysql2, a tarn pool); Knex loads mysql2 itself unless given `driver`. */
export function knexOrders(url: string, driver?: object) {
  const client = driver === undefined ? 'mysql2' : class extends (Client_MySQL2 as unknown as new (config: Knex.Config) => object) {
    _driver() {
      return driver
    }
  }
  const db = knex({ client: client as Knex.Config['client'], connection: url, pool: { min: 0, max: 2 } })
  return {
    db,
    setup: () => db.schema.createTable('orders', (table) => {
      table.integer('id').primary()
      table.integer('total').notNullable()
    }),
    place: (id: number, total: number) => db('orders').insert({ id, total }),
    placeBoth: (first: number, second: number) => db.transaction(async (trx) => {
      await trx('orders').insert({ id: first, total: 1 })
      await trx('orders').insert({ id: second, total: 2 })
    }),
    count: async () => Number((await db('orders').count({ n: '*' }).first())?.n),
    [Symbol.asyncDispose]: () => db.destroy(),
  }
}
