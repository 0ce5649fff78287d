import { execFile, spawn } from 'node:child_process'
import { promisify } from 'node:util'
import type { Connection, RowDataPacket } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { openConnection } from './connect.ts'
import { dumpDatabase } from './database-dump.ts'
import { LocalServer, type StartedLocalServer } from './local/local-server.ts'
import { listServerBinaries } from './discovery.ts'
import { runSqlScript } from './run-sql-script.ts'

const run = promisify(execFile)
const tidbHere = (await listServerBinaries({ engine: 'tidb' })).length > 0

const schema = `
CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL, note TEXT, joined DATETIME(3), balance DECIMAL(20, 4), big BIGINT UNSIGNED, raw VARBINARY(16), doc JSON);
CREATE TABLE orders (id INT PRIMARY KEY AUTO_INCREMENT, customer_id INT NOT NULL, total INT, FOREIGN KEY (customer_id) REFERENCES customers (id));
CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100;
INSERT INTO customers VALUES (1, 'Ada ''the first''', 'line\\nbreak', '2026-12-07 10:11:12.345', 12345678901234.5678, 18446744073709551615, X'00FF10', '{"a": [1, 2]}'), (2, 'Grace', NULL, NULL, NULL, NULL, NULL, NULL);
INSERT INTO orders (customer_id, total) VALUES (1, 50), (1, 150), (2, NULL);
`

/** Triggers and routines, which TiDB does not have. */
const routines = `
DELIMITER ;;
CREATE TRIGGER orders_total BEFORE INSERT ON orders FOR EACH ROW BEGIN IF NEW.total IS NULL THEN SET NEW.total = 0; END IF; END;;
CREATE PROCEDURE count_orders(OUT n INT) BEGIN SELECT COUNT(*) INTO n FROM orders; END;;
DELIMITER ;
`

/** Feeds a dump to the server's own command-line client. */
function replayWithClient(client: string, port: number, database: string, sql: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(client, ['-h', '127.0.0.1', '-P', String(port), '-u', 'root', database], { stdio: ['pipe', 'ignore', 'pipe'] })
    let errors = ''
    child.stderr.on('data', (chunk) => (errors += chunk))
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${client} exited ${code}: ${errors}`))))
    child.stdin.end(sql)
  })
}

/** Every object's definition and every table's rows, to compare two databases. */
async function snapshot(admin: Connection, database: string): Promise<Record<string, unknown>> {
  const [tables] = await admin.query<RowDataPacket[]>("SELECT TABLE_NAME AS name, TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME", [database])
  const result: Record<string, unknown> = {}
  for (const { name, type } of tables) {
    const [created] = await admin.query<RowDataPacket[]>(`SHOW CREATE ${type === 'VIEW' ? 'VIEW' : 'TABLE'} \`${database}\`.\`${name}\``)
    // TiDB hands out auto-increment ids in batches per server: the next one is not a table's own.
    result[`create ${name}`] = String(created[0]?.[type === 'VIEW' ? 'Create View' : 'Create Table']).split(`\`${database}\`.`).join('').replace(/ AUTO_INCREMENT=\d+/, '')
    if (type !== 'VIEW') result[`rows ${name}`] = (await admin.query<RowDataPacket[]>(`SELECT * FROM \`${database}\`.\`${name}\` ORDER BY 1`))[0]
  }
  const [triggers] = await admin.query<RowDataPacket[]>(`SHOW TRIGGERS FROM \`${database}\``).catch(() => [[] as RowDataPacket[]])
  result.triggers = triggers.map((row) => [row.Trigger, row.Statement])
  const [found] = await admin.query<RowDataPacket[]>('SELECT ROUTINE_NAME AS name, ROUTINE_DEFINITION AS body FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?', [database])
  result.routines = found.map((row) => [row.name, row.body])
  return result
}

describe.each([
  { engine: 'mariadb' as const, run: true },
  { engine: 'tidb' as const, run: tidbHere },
])('the dump of a test\'s database on $engine', ({ engine, run: here }) => {
  let server: StartedLocalServer
  let admin: Connection
  beforeAll(async () => {
    if (!here) return
    server = await new LocalServer({ engine }).start()
    admin = await openConnection(server.endpoint, { multipleStatements: true })
    await admin.query('CREATE DATABASE source')
    const connection = await openConnection(server.endpoint, { database: 'source' })
    await runSqlScript(connection, engine === 'tidb' ? schema : `${schema}${routines}`, 'schema')
    connection.destroy()
  }, 60_000)
  afterAll(async () => {
    admin?.destroy()
    await server?.stop()
  })

  test.runIf(here)('replays into an empty database with the same definitions and rows: through the mysql client, and through the rig\'s own script runner', async () => {
    const dump = await dumpDatabase(server.endpoint, 'source', 1_000_000, 'test-rig dump of source')
    expect(dump).toMatchObject({ tables: 2, rows: 5, truncated: false })
    const expected = await snapshot(admin, 'source')
    await admin.query('CREATE DATABASE replayed_by_splitter')
    const connection = await openConnection(server.endpoint, { database: 'replayed_by_splitter' })
    await runSqlScript(connection, dump.sql, 'dump.sql')
    connection.destroy()
    expect(await snapshot(admin, 'replayed_by_splitter')).toEqual(expected)
    const client = await run('sh', ['-c', 'command -v mariadb || command -v mysql']).then(({ stdout }) => stdout.trim(), () => '')
    if (client) {
      await admin.query('CREATE DATABASE replayed_by_client')
      await replayWithClient(client, server.endpoint.port, 'replayed_by_client', dump.sql)
      expect(await snapshot(admin, 'replayed_by_client')).toEqual(expected)
    }
  }, 60_000)

  test.runIf(here)('stops writing rows at the size limit and says so', async () => {
    const dump = await dumpDatabase(server.endpoint, 'source', 1_200, 'small')
    expect(dump.truncated).toBe(true)
    expect(dump.sql).toMatch(/-- the rows of `\w+` from the 1st on, and of the tables after it, are left out: the dump stopped at 1200 bytes \(forensics\.dumpMaxBytes\)/)
  })
})
