import type { Pool, PoolOptions } from 'mysql2/promise'

// The typed app factory of docs/clients.md: it takes mysql2's factory, and a test passes rig.mysql.
export function makeOrdersApp(driver: { createPool(config: string | PoolOptions): Pool }, url: string) {
  const pool = driver.createPool(url)
  return { pool, close: () => pool.end() }
}
