import type { Connection, RowDataPacket } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { openConnection } from './connect.ts'
import { pristineState, quickReset, resetToTemplate, type PristineState } from './database-reset.ts'
import { listServerBinaries } from './discovery.ts'
import { LocalServer, type StartedLocalServer } from './local/local-server.ts'

// The two resets of a used copy of a schema template, on a real MariaDB and (where its binary is
// found) a real TiDB: the full one (fingerprint) and the quick one (the server's witness — the
// connection count, TiDB's schema version — and the table names), which must refuse whenever it
// cannot prove that no DDL reached the copy.

const tidbHere = (await listServerBinaries({ engine: 'tidb' })).length > 0

const schema = `
  CREATE TABLE parents (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(20));
  CREATE TABLE children (id INT PRIMARY KEY AUTO_INCREMENT, parent_id INT, FOREIGN KEY (parent_id) REFERENCES parents (id));
  INSERT INTO parents (name) VALUES ('seed');`

describe.each([
  { engine: 'mariadb' as const, run: true },
  { engine: 'tidb' as const, run: tidbHere },
])('resetting a copy of the template on $engine', ({ engine, run }) => {
  const tidb = engine === 'tidb'
  let server: StartedLocalServer
  let admin: Connection
  let pristine: PristineState

  beforeAll(async () => {
    if (!run) return
    server = await new LocalServer({ engine }).start()
    admin = await openConnection(server.endpoint, { multipleStatements: true })
    await admin.query(`CREATE DATABASE tpl; USE tpl; ${schema}`)
    pristine = await pristineState(admin, 'tpl')
  }, 60_000)

  afterAll(async () => {
    admin?.destroy()
    await server?.stop()
  })

  /** A copy of the template, made pristine by the full reset; returns the connection count after it. */
  async function freshCopy(name: string): Promise<number> {
    await admin.query(`DROP DATABASE IF EXISTS ${name}; CREATE DATABASE ${name}; USE ${name}; ${schema} USE tpl`)
    const outcome = await resetToTemplate(admin, name, 'tpl', pristine, tidb)
    if (!outcome.reset || outcome.witness === undefined) throw new Error('the full reset should take a fresh copy and report the connection count')
    return outcome.witness
  }

  test.runIf(run)('with no connection opened since, the quick reset empties the tables, puts the rows back and sets counters back', async () => {
    const before = await freshCopy('c1')
    await admin.query("INSERT INTO c1.parents (name) VALUES ('dirty'); INSERT INTO c1.children (parent_id) VALUES (1)")
    const outcome = await quickReset(admin, 'c1', 'tpl', pristine, before, tidb)
    expect(outcome.reset).toBe(true)
    const [rows] = await admin.query<RowDataPacket[]>('SELECT name FROM c1.parents')
    expect(rows).toEqual([{ name: 'seed' }])
    await admin.query("INSERT INTO c1.parents (name) VALUES ('next')")
    const [next] = await admin.query<RowDataPacket[]>("SELECT id FROM c1.parents WHERE name = 'next'")
    // TiDB's counters only go up (its ids come in batches per server): the reset leaves them.
    if (!tidb) expect(next[0]?.id).toBe(2)
  })

  test.runIf(run)('only tables holding a row are emptied, and a table the template fills gets its rows back even when the test emptied it', async () => {
    const before = await freshCopy('c7')
    await admin.query('SET FOREIGN_KEY_CHECKS = 0; DELETE FROM c7.parents; INSERT INTO c7.children (parent_id) VALUES (5); SET FOREIGN_KEY_CHECKS = 1')
    expect((await quickReset(admin, 'c7', 'tpl', pristine, before, tidb)).reset).toBe(true)
    const [parents] = await admin.query<RowDataPacket[]>('SELECT name FROM c7.parents')
    const [children] = await admin.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM c7.children')
    expect(parents).toEqual([{ name: 'seed' }])
    expect(children).toEqual([{ n: 0 }])
  })

  test.runIf(run && tidb)('on TiDB a session still in the copy makes it refuse (its schema version says nothing of connections); the rig\'s own are let be', async () => {
    const before = await freshCopy('c6')
    const other = await openConnection(server.endpoint, { database: 'c6' })
    try {
      const [[row]] = await other.query<RowDataPacket[]>('SELECT CONNECTION_ID() AS id')
      expect(await quickReset(admin, 'c6', 'tpl', pristine, before, tidb)).toEqual({ reset: false })
      expect((await quickReset(admin, 'c6', 'tpl', pristine, before, tidb, [Number(row?.id)])).reset).toBe(true)
    } finally {
      other.destroy()
    }
  })

  test.runIf(run)('a quick reset hands back the witness it checked, and the next quick reset takes it', async () => {
    const before = await freshCopy('c8')
    await admin.query("INSERT INTO c8.parents (name) VALUES ('one')")
    expect(await quickReset(admin, 'c8', 'tpl', pristine, before, tidb)).toEqual({ reset: true, witness: before })
    await admin.query("INSERT INTO c8.parents (name) VALUES ('two')")
    expect(await quickReset(admin, 'c8', 'tpl', pristine, before, tidb)).toEqual({ reset: true, witness: before })
    const [rows] = await admin.query<RowDataPacket[]>('SELECT name FROM c8.parents')
    expect(rows).toEqual([{ name: 'seed' }])
  })

  test.runIf(run && !tidb)('after a quick reset, a connection opened makes the next quick reset refuse', async () => {
    const before = await freshCopy('c9')
    await admin.query("INSERT INTO c9.parents (name) VALUES ('one')")
    expect(await quickReset(admin, 'c9', 'tpl', pristine, before, tidb)).toEqual({ reset: true, witness: before })
    const other = await openConnection(server.endpoint)
    other.destroy()
    await admin.query("INSERT INTO c9.parents (name) VALUES ('two')")
    expect(await quickReset(admin, 'c9', 'tpl', pristine, before, tidb)).toEqual({ reset: false })
  })

  test.runIf(run && !tidb)('a connection opened meanwhile makes it refuse, touching nothing', async () => {
    const before = await freshCopy('c2')
    const other = await openConnection(server.endpoint, { database: 'c2' })
    await other.query("INSERT INTO parents (name) VALUES ('other')")
    other.destroy()
    expect(await quickReset(admin, 'c2', 'tpl', pristine, before, tidb)).toEqual({ reset: false })
    const [rows] = await admin.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM c2.parents')
    expect(rows[0]?.n).toBe(2)
  })

  test.runIf(run)('a table added or dropped makes it refuse, even with the count unchanged', async () => {
    const before = await freshCopy('c3')
    await admin.query('CREATE TABLE c3.extra (id INT)')
    expect(await quickReset(admin, 'c3', 'tpl', pristine, before, tidb)).toEqual({ reset: false })
    const again = await freshCopy('c4')
    await admin.query('SET FOREIGN_KEY_CHECKS = 0; DROP TABLE c4.children; SET FOREIGN_KEY_CHECKS = 1')
    expect(await quickReset(admin, 'c4', 'tpl', pristine, again, tidb)).toEqual({ reset: false })
  })

  test.runIf(run)('the full reset refuses a copy whose objects changed', async () => {
    await freshCopy('c5')
    await admin.query('ALTER TABLE c5.parents ADD COLUMN extra INT')
    expect(await resetToTemplate(admin, 'c5', 'tpl', pristine, tidb)).toEqual({ reset: false })
  })
})
