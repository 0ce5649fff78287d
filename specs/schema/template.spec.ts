import type { Connection, RowDataPacket } from 'mysql2/promise'
import { expect, test } from 'test-rig'

// Projects `schema` and `schema-tidb` declare a schema (fixtures/schema/*.sql) that is built once
// per run into a template; every test's database is a copy, made before the test asks for it.

/** `SHOW CREATE` of every object of a database, the database's own name taken out. */
async function objects(conn: Connection, database: string): Promise<Record<string, string>> {
  const [rows] = await conn.query<RowDataPacket[]>("SELECT TABLE_NAME AS name, TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME <> '_test_rig_template_done' ORDER BY TABLE_NAME", [database])
  const found: Record<string, string> = {}
  const strip = (sql: string) => sql.split(`\`${database}\`.`).join('')
  for (const { name, type } of rows) {
    const [create] = await conn.query<RowDataPacket[]>(`SHOW CREATE ${type === 'VIEW' ? 'VIEW' : 'TABLE'} \`${database}\`.\`${name}\``)
    found[`${type === 'VIEW' ? 'view' : 'table'} ${name}`] = strip(String(create[0]?.[type === 'VIEW' ? 'Create View' : 'Create Table']))
  }
  const [triggers] = await conn.query<RowDataPacket[]>(`SHOW TRIGGERS FROM \`${database}\``).catch(() => [[] as RowDataPacket[]])
  for (const trigger of triggers) {
    const [create] = await conn.query<RowDataPacket[]>(`SHOW CREATE TRIGGER \`${database}\`.\`${trigger.Trigger}\``)
    found[`trigger ${trigger.Trigger}`] = strip(String(create[0]?.['SQL Original Statement']))
  }
  const [functions] = await conn.query<RowDataPacket[]>('SHOW FUNCTION STATUS WHERE Db = ?', [database]).catch(() => [[] as RowDataPacket[]])
  for (const routine of functions) {
    const [create] = await conn.query<RowDataPacket[]>(`SHOW CREATE FUNCTION \`${database}\`.\`${routine.Name}\``)
    found[`function ${routine.Name}`] = strip(String(create[0]?.['Create Function']))
  }
  return found
}

test('every test starts with the schema: the copy equals the template object for object', async ({ rig, conn }) => {
  const template = rig.schemaTemplate as string
  expect(template).toMatch(/^rig_tpl_[0-9a-f]{12}$/)
  const copy = await objects(conn, rig.databaseName)
  const original = await objects(conn, template)
  expect(Object.keys(copy)).toEqual(expect.arrayContaining(['table currencies', 'table customers', 'table orders', 'view customer_totals']))
  if (rig.server.engine !== 'tidb') expect(Object.keys(copy)).toEqual(expect.arrayContaining(['trigger orders_count', 'function euros']))
  // TiDB's auto-increment counters only go up: a reused copy (this file's, or one an earlier file
  // left) starts its ids past the template's, so the table option differs there and only there.
  const position = (found: Record<string, string>) => rig.server.engine === 'tidb' ? Object.fromEntries(Object.entries(found).map(([key, sql]) => [key, sql.replace(/ AUTO_INCREMENT=\d+/, '')])) : found
  expect(position(copy)).toEqual(position(original))
  expect(copy['table orders']).toMatch(/CONSTRAINT `orders_customer` FOREIGN KEY \(`customer_id`\) REFERENCES `customers` \(`id`\)/)
})

test('the template\'s rows and auto-increment positions come along', async ({ rig, conn }) => {
  const [currencies] = await conn.query('SELECT code FROM currencies ORDER BY code')
  expect(currencies).toEqual([{ code: 'EUR' }, { code: 'USD' }])
  await conn.query("INSERT INTO customers (name) VALUES ('first in this test')")
  const [rows] = await conn.query<RowDataPacket[]>('SELECT id FROM customers')
  // Two ids were used and freed while the template was built. TiDB hands out ids in batches per
  // server (AUTO_ID_CACHE), unique and increasing but not consecutive.
  if (rig.server.engine === 'tidb') expect(rows[0]?.id).toBeGreaterThan(2)
  else expect(rows[0]?.id).toBe(3)
})

let firstDatabase = ''
test('a test writes to its own copy…', async ({ rig, conn }) => {
  firstDatabase = rig.databaseName
  await conn.query("INSERT INTO customers (name) VALUES ('only here')")
})

test('…which no other test, and not the template, ever sees', async ({ rig, conn }) => {
  // The copy may be the first test's, reset for reuse: what counts is that its rows are gone.
  if (rig.databaseName === firstDatabase) expect(rig.config.test.reuseDatabases).toBe(true)
  const [mine] = await conn.query('SELECT COUNT(*) AS n FROM customers')
  expect(mine).toEqual([{ n: 0 }])
  const [template] = await conn.query(`SELECT COUNT(*) AS n FROM \`${rig.schemaTemplate}\`.customers`)
  expect(template).toEqual([{ n: 0 }])
})

test('seed layers combine on top of the schema, in the order asked for', async ({ rig, conn }) => {
  await rig.seed('customers', 'orders')
  const [totals] = await conn.query('SELECT name, total_cents FROM customer_totals ORDER BY name')
  expect(totals).toEqual([{ name: 'Ada', total_cents: '1200' }, { name: 'Grace', total_cents: '4500' }])
  if (rig.server.engine !== 'tidb') {
    const [counted] = await conn.query('SELECT name, order_count FROM customers ORDER BY name')
    expect(counted).toEqual([{ name: 'Ada', order_count: 1 }, { name: 'Grace', order_count: 1 }]) // the trigger came along
  }
  await expect(rig.seed('nope')).rejects.toThrow(/no seed layer "nope"; schema.seeds has customers, orders/)
})

test('a foreign key of the copy is enforced', async ({ conn }) => {
  await expect(conn.query('INSERT INTO orders (customer_id, total_cents) VALUES (999, 1)')).rejects.toMatchObject({ errno: 1452 })
})
