import knex from 'knex'

/** Orders through Knex; Knex loads mysql2 itself (client 'mysql2') and keeps a tarn pool. */
export function knexOrders(url: string) {
  const db = knex({ client: 'mysql2', connection: url, pool: { min: 0, max: 2 } })
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
    close: () => db.destroy(),
    [Symbol.asyncDispose]: async () => {
      await db.destroy()
    },
  }
}
