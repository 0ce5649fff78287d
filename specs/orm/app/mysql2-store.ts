import { createPool } from 'mysql2'
import mysql from 'mysql2/promise'

// An app that makes its own mysql2 pools from a URL, as apps do: nothing in it knows about tests.

/** Orders through mysql2's promise API (a default import). */
export function promiseOrders(url: string) {
  const pool = mysql.createPool(url)
  return {
    setup: () => pool.query('CREATE TABLE IF NOT EXISTS orders (id INT PRIMARY KEY, total INT NOT NULL)'),
    place: (id: number, total: number) => pool.execute('INSERT INTO orders VALUES (?, ?)', [id, total]),
    count: async () => ((await pool.query('SELECT COUNT(*) AS n FROM orders'))[0] as { n: number }[])[0]?.n,

    [Symbol.asyncDispose]: async () => {
      await pool.end()
    },
  }
}

/** Orders through mysql2's callback API (a named import). */
export function callbackOrders(url: string) {
  const pool = createPool(url)
  const run = (sql: string, values: unknown[] = []) => new Promise<unknown>((resolve, reject) => pool.query(sql, values, (error, rows) => (error ? reject(error) : resolve(rows))))
  return {
    setup: () => run('CREATE TABLE IF NOT EXISTS orders (id INT PRIMARY KEY, total INT NOT NULL)'),
    place: (id: number, total: number) => run('INSERT INTO orders VALUES (?, ?)', [id, total]),
    count: async () => ((await run('SELECT COUNT(*) AS n FROM orders')) as { n: number }[])[0]?.n,

    [Symbol.asyncDispose]: async () => {
      await new Promise<void>((resolve) => pool.end(() => resolve()))
    },
  }
}
