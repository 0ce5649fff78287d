import mysql, { type RowDataPacket } from 'mysql2/promise'
import { expect, test } from 'test-rig'

// A finished test's copy is reset (its tables emptied, the template's rows put back, its counters
// set back) and handed to a later test, when its objects still equal the template's. Every test
// here checks that it starts from the pristine copy, then dirties it.

const used: string[] = []

for (let i = 1; i <= 12; i++) {
  test(`test ${i} starts pristine and dirties its copy`, async ({ rig, conn }) => {
    used.push(rig.databaseName)
    const [customers] = await conn.query('SELECT COUNT(*) AS n FROM customers')
    expect(customers).toEqual([{ n: 0 }])
    const [currencies] = await conn.query('SELECT code, name FROM currencies ORDER BY code')
    expect(currencies).toEqual([{ code: 'EUR', name: 'Euro' }, { code: 'USD', name: 'US dollar' }])
    await conn.query("INSERT INTO customers (name) VALUES ('dirty')")
    if (rig.server.engine !== 'tidb') {
      const [rows] = await conn.query<RowDataPacket[]>("SELECT id FROM customers WHERE name = 'dirty'")
      expect(rows[0]?.id).toBe(3) // the template's position, also in a reused copy
    }
    await conn.query("UPDATE currencies SET name = 'changed'")
    await conn.query("INSERT INTO currencies VALUES ('XXX', 'made up')")
  })
}

let altered = ''
test('a test that changes the schema gets no reuse: its copy is dropped', async ({ rig, conn }) => {
  altered = rig.databaseName
  await conn.query('ALTER TABLE customers ADD COLUMN nickname VARCHAR(20)')
})

test('…so no later test sees the change', async ({ rig, conn }) => {
  expect(rig.databaseName).not.toBe(altered)
  const [columns] = await conn.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'customers' AND COLUMN_NAME = 'nickname'")
  expect(columns[0]?.n).toBe(0)
})

// The rig sees every statement on conn; DDL through a connection of the test's own is caught by
// the full check (the server counts a connection opened), never reused either.
const hidden: string[] = []
test('a test that changes the schema through a prepared statement gets no reuse', async ({ rig, conn }) => {
  hidden.push(rig.databaseName)
  await conn.execute('CREATE TABLE made_by_execute (id INT)')
})

test('a test that changes the schema through a connection of its own gets no reuse', async ({ rig, conn }) => {
  hidden.push(rig.databaseName)
  await conn.query('SELECT 1')
  const own = await mysql.createConnection(rig.url)
  await own.query('ALTER TABLE customers ADD COLUMN hidden_change INT')
  await own.end()
})

for (let i = 1; i <= 4; i++) {
  test(`…so later test ${i} sees neither change`, async ({ rig, conn }) => {
    expect(hidden).not.toContain(rig.databaseName)
    const [found] = await conn.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND (TABLE_NAME = 'made_by_execute' OR COLUMN_NAME = 'hidden_change')")
    expect(found[0]?.n).toBe(0)
  })
}

test('copies were reused, never two tests at once', () => {
  expect(new Set(used).size).toBeLessThan(used.length)
})
