import { DataSource, EntitySchema } from 'typeorm'

interface Order {
  id: number
  total: number
}

const OrderEntity = new EntitySchema<Order>({ name: 'Order', tableName: 'orders', columns: { id: { type: Number, primary: true }, total: { type: Number } } })

/** Orders through TypeORM (type mysql: it loads mysql2 itself and keeps its own pool). */
export async function typeormOrders(url: string) {
  const source = await new DataSource({ type: 'mysql', url, entities: [OrderEntity], synchronize: true }).initialize()
  const repository = source.getRepository(OrderEntity)
  return {
    source,
    place: (id: number, total: number) => repository.insert({ id, total }),
    placeBoth: (first: number, second: number) => source.transaction(async (manager) => {
      await manager.insert(OrderEntity, { id: first, total: 1 })
      await manager.insert(OrderEntity, { id: second, total: 2 })
    }),
    count: () => repository.count(),
    close: () => source.destroy(),
    [Symbol.asyncDispose]: async () => {
      await source.destroy()
    },
  }
}
