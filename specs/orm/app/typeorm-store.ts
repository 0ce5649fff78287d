import { DataSource, EntitySchema } from 'typeorm'

interface Order {
  id: number
  total: number
}

const OrderEntity = new EntitySchema<Order>({ name: 'Order', tableName: 'orders', columns: { id: { type: Number, primary: true }, total: { type: Number } } })

/** Orders through TypeORM (type mysql, a mysql2 pool); it loads mysql2 itself unless given `driver`. */
export function typeormOrders(url: string, driver?: object) {
  const source = new DataSource({ type: 'mysql', url, entities: [OrderEntity], ...(driver === undefined ? {} : { driver }) })
  const repository = source.getRepository(OrderEntity)
  return {
    setup: async () => {
      if (!source.isInitialized) await source.initialize()
      await source.synchronize()
    },
    place: (id: number, total: number) => repository.insert({ id, total }),
    placeBoth: (first: number, second: number) => source.transaction(async (manager) => {
      await manager.insert(OrderEntity, { id: first, total: 1 })
      await manager.insert(OrderEntity, { id: second, total: 2 })
    }),
    count: () => repository.count(),
    [Symbol.asyncDispose]: async () => {
      if (source.isInitialized) await source.destroy()
    },
  }
}
