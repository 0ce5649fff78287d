import { expect, test } from 'test-rig'

// Projects `rollback` and `rollback-tidb` run with test.databaseScope = 'rollback': one database
// per file (a copy of the schema template), each test's conn inside a transaction rolled back after it.

let first = ''
test('a test writes inside its transaction…', async ({ rig, conn }) => {
  first = rig.databaseName
  await conn.query("INSERT INTO customers (name) VALUES ('rolled back')")
  const [rows] = await conn.query('SELECT COUNT(*) AS n FROM customers')
  expect(rows).toEqual([{ n: 1 }])
})

test('…and the next test of the file, in the same database, does not see it', async ({ rig, conn }) => {
  expect(rig.databaseName).toBe(first)
  const [rows] = await conn.query('SELECT COUNT(*) AS n FROM customers')
  expect(rows).toEqual([{ n: 0 }])
})

let committed = ''
test('DDL commits the transaction implicitly: detected after the test…', async ({ rig, conn }) => {
  // The rig warns about it after the test; declared here, it is asserted instead of printed.
  rig.expectWarning('the test\'s transaction was committed before the test ended')
  committed = rig.databaseName
  await conn.query("INSERT INTO customers (name) VALUES ('committed by the DDL below')")
  await conn.query('CREATE TABLE extra (id INT PRIMARY KEY)')
})

test('…so the next test gets a fresh database instead of the committed one', async ({ rig, conn }) => {
  expect(rig.databaseName).not.toBe(committed)
  const [rows] = await conn.query('SELECT COUNT(*) AS n FROM customers')
  expect(rows).toEqual([{ n: 0 }])
  const [tables] = await conn.query("SHOW TABLES LIKE 'extra'")
  expect(tables).toEqual([])
})

test('other connections would commit outside the transaction: they are refused, saying why', async ({ rig }) => {
  await expect(rig.connect()).rejects.toThrow(/rig\.connect\(\) is not available with test\.databaseScope = 'rollback': only conn runs inside the test's transaction/)
  expect(() => rig.pool()).toThrow(/rig\.pool\(\) is not available/)
})
