import { DataTypes, Sequelize } from 'sequelize'

/** Orders through Sequelize (dialect mysql, its own pool); it loads mysql2 itself unless given `driver` (its `dialectModule`). */
export function sequelizeOrders(url: string, driver?: object) {
  const sequelize = new Sequelize(url, { dialect: 'mysql', logging: false, ...(driver === undefined ? {} : { dialectModule: driver }) })
  const Order = sequelize.define('Order', { id: { type: DataTypes.INTEGER, primaryKey: true }, total: { type: DataTypes.INTEGER, allowNull: false } }, { tableName: 'orders', timestamps: false })
  return {
    setup: () => Order.sync(),
    place: (id: number, total: number) => Order.create({ id, total }),
    placeBoth: (first: number, second: number) => sequelize.transaction(async (transaction) => {
      await Order.create({ id: first, total: 1 }, { transaction })
      await Order.create({ id: second, total: 2 }, { transaction })
    }),
    count: () => Order.count(),
    [Symbol.asyncDispose]: () => sequelize.close(),
  }
}
