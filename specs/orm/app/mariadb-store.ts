import * as mariadb from 'mariadb'
import mariadbCallback from 'mariadb/callback'

// An app on the `mariadb` connector that makes its own pools from a URL, as apps (and Prisma's
// MariaDB adapter) do: nothing in it knows about tests.

/** Orders through the connector's promise API (a namespace import). */
export function mariadbOrders(url: string) {
  const pool = mariadb.createPool(`${url.replace(/^mysql:/, 'mariadb:')}?connectionLimit=2`)
  return {
    setup: () => pool.query('CREATE TABLE IF NOT EXISTS orders (id INT PRIMARY KEY, total INT NOT NULL)'),
    place: (id: number, total: number) => pool.execute('INSERT INTO orders VALUES (?, ?)', [id, total]),
    count: async () => Number(((await pool.query('SELECT COUNT(*) AS n FROM orders')) as { n: bigint }[])[0]?.n),
    [Symbol.asyncDispose]: () => pool.end(),
  }
}

/** Orders through the connector's callback API (a default import). */
export function mariadbCallbackOrders(url: string) {
  const pool = mariadbCallback.createPool(`${url.replace(/^mysql:/, 'mariadb:')}?connectionLimit=2`)
  const run = (sql: string, values: unknown[] = []) => new Promise<unknown>((resolve, reject) => pool.query(sql, values, (error, rows) => (error ? reject(error) : resolve(rows))))
  return {
    setup: () => run('CREATE TABLE IF NOT EXISTS orders (id INT PRIMARY KEY, total INT NOT NULL)'),
    place: (id: number, total: number) => run('INSERT INTO orders VALUES (?, ?)', [id, total]),
    count: async () => Number(((await run('SELECT COUNT(*) AS n FROM orders')) as { n: bigint }[])[0]?.n),
    [Symbol.asyncDispose]: () => new Promise<void>((resolve) => pool.end(() => resolve())),
  }
}
