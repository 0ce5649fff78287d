import { expect, test } from 'test-rig'

// Run by the projects migrations-knex, migrations-kysely and migrations-drizzle: each built its
// template with the project's own migration tool; every test's database is a copy.

test('the migrated table is there in every test\'s database, empty, and works through the app\'s own client', async ({ rig, conn }) => {
  const [columns] = await conn.query("SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'accounts' ORDER BY ORDINAL_POSITION")
  expect(columns).toEqual([{ name: 'id' }, { name: 'owner' }, { name: 'balance_cents' }])
  const [rows] = await conn.query('SELECT COUNT(*) AS n FROM accounts')
  expect(rows).toEqual([{ n: 0 }])
  await conn.query("INSERT INTO accounts (owner, balance_cents) VALUES ('ada', 100)")
  await expect(conn.query("INSERT INTO accounts (owner) VALUES ('ada')")).rejects.toMatchObject({ code: 'ER_DUP_ENTRY' })
  expect(rig.schemaTemplate).toMatch(/^rig_tpl_/)
})

test('the migration tool\'s own bookkeeping came along (migrations are not run again per test)', async ({ conn }) => {
  const [tables] = await conn.query("SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('knex_migrations', 'kysely_migration', '__drizzle_migrations')")
  expect(tables).toHaveLength(1)
})
