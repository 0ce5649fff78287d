import type { RowDataPacket } from 'mysql2/promise'
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

test('copies were reused, never two tests at once', () => {
  expect(new Set(used).size).toBeLessThan(used.length)
})
