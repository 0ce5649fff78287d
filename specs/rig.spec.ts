import mysql from 'mysql2/promise'
import { expect, SqlScriptError, test } from 'test-rig'

// What the `rig` fixture offers beside `conn`.

test('loads an SQL fixture into the test’s database', async ({ rig, conn }) => {
  expect(await rig.loadSql('shop-schema.sql')).toBe(4)
  const [rows] = await conn.query('SELECT c.name, SUM(o.total_cents) AS spent FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.name ORDER BY c.name')
  expect(rows).toEqual([{ name: 'Ada', spent: '2000' }, { name: 'Grace', spent: '4500' }])
})

test('a broken SQL fixture names the file, the line and the statement', async ({ rig }) => {
  const failure = rig.loadSql('broken.sql')
  await expect(failure).rejects.toBeInstanceOf(SqlScriptError)
  await expect(failure).rejects.toThrow(/broken\.sql:3: .*syntax[\s\S]*in: SELEC \* FROM ok_table/)
})

test('hands the app under test a URL of its own database', async ({ rig, conn }) => {
  await conn.query('CREATE TABLE visits (n INT)')
  // The app builds its own connection from a URL, as apps do.
  const app = await mysql.createConnection(rig.url)
  try {
    await app.query('INSERT INTO visits VALUES (1), (2)')
  } finally {
    await app.end()
  }
  const [rows] = await conn.query('SELECT COUNT(*) AS n FROM visits')
  expect(rows).toEqual([{ n: 2 }])
})

test('opens more connections and pools into the same database, closed after the test', async ({ rig, conn }) => {
  await conn.query('CREATE TABLE counter (n INT)')
  const second = await rig.connect()
  await second.query('INSERT INTO counter VALUES (1)')
  const pool = rig.pool()
  await Promise.all([1, 2, 3].map((n) => pool.query('INSERT INTO counter VALUES (?)', [n])))
  const [rows] = await conn.query('SELECT COUNT(*) AS n FROM counter')
  expect(rows).toEqual([{ n: 4 }])
})

test('knows what the server can do', ({ rig }) => {
  expect(rig.server.provider).toBeDefined()
  if (rig.server.engine === 'mariadb') expect(rig.capabilities.importInto).toBe(false)
  expect(['tx_isolation', 'transaction_isolation']).toContain(rig.capabilities.isolationVariable)
})

test('prints itself without the password', ({ rig }) => {
  expect(JSON.stringify(rig)).not.toMatch(/"password":"(?!\*\*\*)/)
})

// On TiDB a database the previous test left as CREATE DATABASE made it is handed on
// (test.reuseDatabases); any other is dropped. Whatever a test gets, it starts empty, with the
// server's collation.
const seen = new Set<string>()
for (let i = 0; i < 12; i++) {
  test(`every test starts in an empty database of its own, whatever the one before did (${i})`, async ({ rig, conn }) => {
    const [tables] = await conn.query('SHOW FULL TABLES')
    expect(tables).toEqual([])
    const [[schema]] = (await conn.query('SELECT DEFAULT_COLLATION_NAME AS collation, @@collation_server AS server FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()')) as unknown as [[{ collation: string; server: string }]]
    expect(schema.collation).toBe(schema.server)
    seen.add(rig.databaseName)
    if (i % 3 === 0) await conn.query('CREATE TABLE left_behind (id INT)')
    if (i % 3 === 1) await conn.query('CREATE VIEW left_view AS SELECT 1 AS one')
    // The untouched ones came back.
    if (i === 11 && rig.server.engine === 'tidb' && rig.config.test.reuseDatabases) expect(seen.size).toBeLessThan(12)
  })
}
