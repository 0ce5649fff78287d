import type { RowDataPacket } from 'mysql2'
import { describe, expect, mysqlErrors, test } from 'test-rig'

// `conn` is a connection of the worker's, reset between tests: these tests run in order in one
// file (one worker), and each checks that nothing the one before left reaches it.

describe('each test gets a fresh session on conn', () => {
  const seen: { threadId?: number | undefined; database?: string; user?: string } = {}
  const noop = () => {}

  test('a test leaves session state behind: variables, a temporary table, an open transaction, a listener, a config change', async ({ conn, rig }) => {
    seen.threadId = conn.threadId ?? undefined
    seen.database = rig.databaseName
    await conn.query('SET @left_behind = 42')
    await conn.query("SET SESSION sql_mode = 'ANSI_QUOTES'")
    await conn.query('CREATE TABLE kept (id INT PRIMARY KEY)')
    await conn.query('CREATE TEMPORARY TABLE scratch (id INT)')
    await conn.query('BEGIN')
    await conn.query('INSERT INTO kept VALUES (1)')
    conn.on('error', noop)
    conn.config.namedPlaceholders = true
  })

  test('the next test sees none of it, in its own database', async ({ conn, rig }) => {
    expect(rig.databaseName).not.toBe(seen.database)
    const [rows] = await conn.query<RowDataPacket[]>('SELECT @left_behind AS v, DATABASE() AS db, @@SESSION.sql_mode LIKE \'%ANSI_QUOTES%\' AS ansi')
    expect(rows[0]).toEqual({ v: null, db: rig.databaseName, ansi: 0 })
    await expect(conn.query('SELECT * FROM scratch')).rejects.toMatchObject({ code: 'ER_NO_SUCH_TABLE' })
    const [tables] = await conn.query('SHOW TABLES')
    expect(tables).toEqual([])
    expect(conn.listenerCount('error')).toBe(0)
    expect(conn.config.namedPlaceholders).toBeFalsy()
    expect(conn.config.database).toBe(rig.databaseName)
  })

  test('a test that ends its connection', async ({ conn }) => {
    await conn.end()
  })

  test('is followed by one that gets a working connection', async ({ conn }) => {
    const [rows] = await conn.query('SELECT 1 AS one')
    expect(rows).toEqual([{ one: 1 }])
  })

  test('a test that switches its session to another user', async ({ conn, rig }) => {
    seen.user = `u${rig.databaseName.slice(-20)}`
    // A password of its own: mysql2's changeUser falls back to the connection's password when given an empty one.
    await conn.query(`CREATE USER '${seen.user}'@'%' IDENTIFIED BY 'switched-user'`)
    await conn.query(`GRANT SELECT ON \`${rig.databaseName}\`.* TO '${seen.user}'@'%'`)
    await conn.changeUser({ user: seen.user, password: 'switched-user' })
    const [rows] = await conn.query<RowDataPacket[]>('SELECT CURRENT_USER() AS who')
    expect(String(rows[0]?.who)).toContain(seen.user)
  })

  test('is followed by one that is the rig\'s user again (a reset keeps the user: that connection is not reused)', async ({ conn }) => {
    const [rows] = await conn.query<RowDataPacket[]>('SELECT CURRENT_USER() AS who')
    expect(String(rows[0]?.who)).toMatch(/^root@/)
    await conn.query(`DROP USER '${seen.user}'@'%'`)
  })

  test('a fault armed and fired in one test', async ({ conn, faults }) => {
    seen.threadId = conn.threadId ?? undefined
    faults.failNext('query', mysqlErrors.connectionLost())
    await expect(conn.query('SELECT 1')).rejects.toMatchObject({ fatal: true })
  })

  test('does not touch the next test, whose connection is a new one', async ({ conn }) => {
    expect(conn.threadId).not.toBe(seen.threadId)
    const [rows] = await conn.query('SELECT 1 AS one')
    expect(rows).toEqual([{ one: 1 }])
  })

  test('a fault armed and left unfired', async ({ conn, faults }) => {
    faults.failNext('query', mysqlErrors.deadlock())
    faults.clear()
    await conn.query('SELECT 1')
  })

  test('is not armed in the next test', async ({ conn }) => {
    const [rows] = await conn.query('SELECT 2 AS two')
    expect(rows).toEqual([{ two: 2 }])
  })
})
