import type { Connection, RowDataPacket } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { openConnection } from './connect.ts'
import { databaseName, type RunNaming } from './database-names.ts'
import { listServerBinaries } from './discovery.ts'
import { LocalServer, type StartedLocalServer } from './local/local-server.ts'
import { SpareDatabases } from './spare-databases.ts'

// The run's list of pristine databases that workers hand on, on a real MariaDB and (where its
// binary is found) a real TiDB: made by the first put, read in one round trip, and never handing
// one database to two workers, however many claim at once.

const tidbHere = (await listServerBinaries({ engine: 'tidb' })).length > 0

describe.each([
  { engine: 'mariadb' as const, run: true },
  { engine: 'tidb' as const, run: tidbHere },
])('the spare list on $engine', ({ engine, run }) => {
  let server: StartedLocalServer
  const connections: Connection[] = []
  let runs = 0

  beforeAll(async () => {
    if (!run) return
    server = await new LocalServer({ engine }).start()
  }, 60_000)

  afterAll(async () => {
    for (const connection of connections) connection.destroy()
    await server?.stop()
  })

  /** A fresh run's naming (its own list) and `count` connections that allow statement batches. */
  async function fresh(count: number): Promise<{ naming: RunNaming; admins: Connection[] }> {
    const naming = { prefix: 'sp', runId: `aaaaaaaaa${++runs}` }
    const admins = await Promise.all(Array.from({ length: count }, () => openConnection(server.endpoint, { multipleStatements: true })))
    connections.push(...admins)
    return { naming, admins }
  }

  test.runIf(run)('a take before any put finds no list and returns nothing; the first put makes the list', async () => {
    const { naming, admins: [admin] } = await fresh(1)
    const spares = new SpareDatabases(admin as Connection, naming)
    expect(await spares.take(3, 'w1')).toEqual([])
    const names = [databaseName(naming, 'w1_t1'), databaseName(naming, 'w1_t2')]
    await spares.put([{ name: names[0] as string, witness: 42 }, { name: names[1] as string, witness: undefined }])
    const taken = await new SpareDatabases(admin as Connection, naming).take(5, 'w2')
    expect(taken.sort((a, b) => a.name.localeCompare(b.name))).toEqual([{ name: names[0], witness: 42 }, { name: names[1], witness: undefined }])
    // Taken means gone from the list.
    expect(await spares.take(5, 'w3')).toEqual([])
    const [rows] = await (admin as Connection).query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${databaseName(naming, 'spares')}\`.spares`)
    expect(Number(rows[0]?.n)).toBe(0)
  })

  test.runIf(run)('takes at most the count asked for, and a put after a take needs no list made again', async () => {
    const { naming, admins: [admin] } = await fresh(1)
    const spares = new SpareDatabases(admin as Connection, naming)
    await spares.put(Array.from({ length: 5 }, (_, i) => ({ name: databaseName(naming, `w1_t${i}`), witness: i })))
    expect(await spares.take(2, 'w1')).toHaveLength(2)
    await spares.put([{ name: databaseName(naming, 'w1_t9'), witness: 9 }])
    expect(await spares.take(10, 'w1')).toHaveLength(4)
  })

  test.runIf(run)('workers claiming at once never get the same database, and every one is taken once', async () => {
    const { naming, admins } = await fresh(4)
    const all = Array.from({ length: 24 }, (_, i) => databaseName(naming, `w0_t${i}`))
    await new SpareDatabases(admins[0] as Connection, naming).put(all.map((name) => ({ name, witness: undefined })))
    const lists = admins.map((admin) => new SpareDatabases(admin, naming))
    const takes = await Promise.all(Array.from({ length: 12 }, (_, i) => (lists[i % lists.length] as SpareDatabases).take(3, `w${i}`)))
    const names = takes.flat().map((spare) => spare.name)
    expect(new Set(names).size).toBe(names.length)
    expect(names.sort()).toEqual([...all].sort())
  })

  test.runIf(run)('a server with sql_safe_updates on takes them all the same', async () => {
    const { naming, admins: [admin] } = await fresh(1)
    await (admin as Connection).query('SET SESSION sql_safe_updates = 1')
    const spares = new SpareDatabases(admin as Connection, naming)
    await spares.put([{ name: databaseName(naming, 'w1_t1'), witness: undefined }, { name: databaseName(naming, 'w1_t2'), witness: undefined }])
    expect(await spares.take(5, 'w1')).toHaveLength(2)
    expect(await spares.take(5, 'w1')).toEqual([])
  })

  test.runIf(run)("names that are not this run's databases are neither put nor handed out", async () => {
    const { naming, admins: [admin] } = await fresh(1)
    const spares = new SpareDatabases(admin as Connection, naming)
    await spares.put([{ name: databaseName(naming, 'w1_t1'), witness: undefined }, { name: 'mysql', witness: undefined }, { name: 'sp_other_w1_t1', witness: undefined }])
    expect((await spares.take(5, 'w1')).map((spare) => spare.name)).toEqual([databaseName(naming, 'w1_t1')])
  })
})
