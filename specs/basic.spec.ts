import { expect, test } from 'test-rig'

// The seed's basic test: connect, SELECT 1, read the version, create/insert/read back.

test('connects and answers SELECT 1', async ({ conn }) => {
  const [rows] = await conn.query('SELECT 1 AS one')
  expect(rows).toEqual([{ one: 1 }])
})

test('reports the server version the rig detected', async ({ conn, rig }) => {
  const [rows] = await conn.query<{ version: string }[] & import('mysql2').RowDataPacket[]>('SELECT VERSION() AS version')
  expect(rows[0]?.version).toBe(rig.server.versionText)
  expect(['tidb', 'mysql', 'mariadb']).toContain(rig.server.engine)
})

test('creates a table, inserts and reads back', async ({ conn }) => {
  await conn.query('CREATE TABLE greetings (id INT PRIMARY KEY, text VARCHAR(50))')
  await conn.query('INSERT INTO greetings VALUES (?, ?), (?, ?)', [1, 'hello', 2, 'world'])
  const [rows] = await conn.query('SELECT text FROM greetings ORDER BY id')
  expect(rows).toEqual([{ text: 'hello' }, { text: 'world' }])
})

test('runs in a database of its own', async ({ conn, rig }) => {
  const [rows] = await conn.query('SELECT DATABASE() AS name')
  expect(rows).toEqual([{ name: rig.databaseName }])
  const [tables] = await conn.query('SHOW TABLES')
  expect(tables).toEqual([])
})
