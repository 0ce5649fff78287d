import knex, { type Knex } from 'knex'

/**
 * Orders through Knex (a tarn pool). `config` is where Knex connects: `{ client: 'mysql2',
 * connection: url }` (Knex loads mysql2 itself), or `await rig.knexConfig()` (Knex's client on the
 * rig's mysql2).
 */
export function knexOrders(config: Knex.Config) {
  // Knex logs a failed connect of its pool as a warning: kept here for the test to check.
  const warnings: string[] = []
  const db = knex({ ...config, pool: { min: 0, max: 2 }, log: { warn: (message: string) => void warnings.push(message) } })
  return {
    db,
    warnings,
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
