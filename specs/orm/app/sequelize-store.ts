import { DataTypes, Sequelize } from 'sequelize'

/** Orders through Sequelize (dialect mysql: it loads mysql2 itself and keeps its own pool). */
export function sequelizeOrders(url: string) {
  const sequelize = new Sequelize(url, { dialect: 'mysql', logging: false })
  const Order = sequelize.define('Order', { id: { type: DataTypes.INTEGER, primaryKey: true }, total: { type: DataTypes.INTEGER, allowNull: false } }, { tableName: 'orders', timestamps: false })
  return {
    sequelize,
    setup: () => Order.sync(),
    place: (id: number, total: number) => Order.create({ id, total }),
    placeBoth: (first: number, second: number) => sequelize.transaction(async (transaction) => {
      await Order.create({ id: first, total: 1 }, { transaction })
      await Order.create({ id: second, total: 2 }, { transaction })
    }),
    count: () => Order.count(),
    close: () => sequelize.close(),
    [Symbol.asyncDispose]: async () => {
      await sequelize.close()
    },
  }
}
