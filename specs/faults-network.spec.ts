import { expect, mysqlErrors, test } from 'test-rig'
import { resilient, ResilientConnection } from 'test-rig/resilience'

// Network faults: the app connects through the test's loopback proxy (faults.network.url) and the
// test slows, cuts or black-holes the traffic. The errors are the ones mysql2 really raises.

test('passes traffic through untouched when no toxic is set', async ({ faults }) => {
  const connection = await faults.network.connect()
  const [rows] = await connection.query('SELECT 1 AS one')
  expect(rows).toEqual([{ one: 1 }])
  expect(faults.network.proxy.accepted).toBe(1)
})

test('a retrying app function survives a reset connection', async ({ rig, faults }) => {
  // The app under test: reconnects and retries transient failures (cockatiel underneath).
  const app = new ResilientConnection(() => rig.mysql.createConnection(faults.network.url), resilient({ retryInitialDelayMs: 5, noBreaker: true }))
  const [before] = await app.query<{ id: number }[] & import('mysql2').RowDataPacket[]>('SELECT CONNECTION_ID() AS id')

  const cut = faults.network.reset()        // resets every open connection now (TCP RST)
  cut.remove()                              // new connections go through again
  const [after] = await app.query<{ id: number }[] & import('mysql2').RowDataPacket[]>('SELECT CONNECTION_ID() AS id')

  expect(after[0]?.id).not.toBe(before[0]?.id)
  expect(app.connections).toBe(2)
})

test('with a reset armed, a new connection through the proxy fails as mysql2 would, and nothing crashes', async ({ faults }) => {
  // Once an uncaught ReferenceError out of the proxy that failed the whole run.
  const cut = faults.network.reset()
  const error = await faults.network.connect().catch((e: unknown) => e)
  expect(['ECONNRESET', 'PROTOCOL_CONNECTION_LOST', 'ECONNREFUSED']).toContain((error as { code: string }).code)
  cut.remove()
  const [rows] = await (await faults.network.connect()).query('SELECT 1 AS one')
  expect(rows).toEqual([{ one: 1 }])
})

test('a reset surfaces as mysql2’s own connection error', async ({ faults }) => {
  const connection = await faults.network.connect()
  faults.network.reset()
  const error = await connection.query('SELECT 1').catch((e: unknown) => e)
  expect(['ECONNRESET', 'PROTOCOL_CONNECTION_LOST']).toContain((error as { code: string }).code)
  expect((error as { fatal: boolean }).fatal).toBe(true)
})

test('a latency toxic makes a query time out', async ({ faults, rig }) => {
  // The answer is still on its way through the proxy when the test ends: the rig stops it and says so.
  rig.expectWarning('were still running when the test ended', { required: false })
  const connection = await faults.network.connect()
  faults.network.latency(400)
  const error = await connection.query({ sql: 'SELECT 1', timeout: 100 }).catch((e: unknown) => e)
  expect(error).toMatchObject({ code: 'PROTOCOL_SEQUENCE_TIMEOUT' })
  expect((error as Error).message).toMatch(/Query inactivity timeout/)
})

test('latency can be changed and removed while the test runs', async ({ faults }) => {
  const connection = await faults.network.connect()
  const slow = faults.network.latency(60)
  const timed = async () => {
    const startedAt = performance.now()
    await connection.query('SELECT 1')
    return performance.now() - startedAt
  }
  expect(await timed()).toBeGreaterThanOrEqual(55)
  slow.update({ ms: 150 })
  expect(await timed()).toBeGreaterThanOrEqual(140)
  slow.remove()
  expect(await timed()).toBeLessThan(50)
})

test('a black hole makes connecting time out', async ({ rig, faults }) => {
  faults.network.blackhole()
  const error = await rig.mysql.createConnection({ uri: faults.network.url, connectTimeout: 200 }).catch((e: unknown) => e)
  expect(error).toMatchObject({ code: 'ETIMEDOUT' })
})

test('down refuses connections; up lets them through again', async ({ rig, faults }) => {
  await faults.network.down()
  await expect(rig.mysql.createConnection(faults.network.url)).rejects.toMatchObject({ code: 'ECONNREFUSED' })
  await faults.network.up()
  await (await rig.mysql.createConnection(faults.network.url)).ping()
})

// Numbers 1..10 000 in SQL that MariaDB, MySQL and TiDB all take (no sequence engine, no deep recursion).
const numbers = "(SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 1 AS n FROM (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) a, (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) b, (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) c, (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) e) AS numbers"

test('limit data cuts a large result set off mid-stream', async ({ conn, faults }) => {
  await conn.query('CREATE TABLE big (id INT PRIMARY KEY, pad VARCHAR(200))')
  await conn.query(`INSERT INTO big SELECT n, REPEAT('x', 200) FROM ${numbers} WHERE n <= 2000`)
  const connection = await faults.network.connect()
  faults.network.limitData(20_000)
  const error = await connection.query('SELECT * FROM big').catch((e: unknown) => e)
  expect(error).toMatchObject({ code: 'PROTOCOL_CONNECTION_LOST', fatal: true })
})

test('bandwidth slows a bulk read down', async ({ conn, faults }) => {
  await conn.query('CREATE TABLE big (id INT PRIMARY KEY, pad VARCHAR(200))')
  await conn.query(`INSERT INTO big SELECT n, REPEAT('x', 200) FROM ${numbers} WHERE n <= 1000`)
  const connection = await faults.network.connect()
  faults.network.bandwidth(1000) // 1000 KB/s: ~210 KB take ~0.2 s
  const startedAt = performance.now()
  const [rows] = await connection.query('SELECT * FROM big')
  expect(rows).toHaveLength(1000)
  expect(performance.now() - startedAt).toBeGreaterThan(150)
})

test('sliced packets still make whole results', async ({ faults }) => {
  const connection = await faults.network.connect()
  faults.network.slice({ averageSize: 3, sizeVariation: 2, direction: 'both' })
  const [rows] = await connection.query("SELECT REPEAT('ab', 500) AS text, 42 AS answer")
  expect(rows).toEqual([{ text: 'ab'.repeat(500), answer: 42 }])
})

test('a slow close holds the server’s goodbye back', async ({ faults }) => {
  const connection = await faults.network.connect()
  const socket = (connection as unknown as { connection: { stream: import('node:net').Socket } }).connection.stream
  const closed = new Promise((resolve) => socket.once('close', resolve))
  faults.network.slowClose(150)
  const startedAt = performance.now()
  await connection.end()
  await closed
  expect(performance.now() - startedAt).toBeGreaterThanOrEqual(140)
})

test('network and driver faults combine', async ({ rig, faults }) => {
  faults.failNextConnect(mysqlErrors.connectTimeout())
  await expect(rig.mysql.createConnection(faults.network.url)).rejects.toMatchObject({ code: 'ETIMEDOUT' })
  const connection = await rig.mysql.createConnection(faults.network.url)
  await connection.ping()
  expect(faults).toHaveFired('connect', 1)
})

test('a toxic for one connection only: the second connection through the proxy is cut, the first and third are not', async ({ faults }) => {
  const first = await faults.network.connect()
  faults.network.reset({ connection: 2 })
  await expect(faults.network.connect()).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|PROTOCOL_CONNECTION_LOST/) })
  const third = await faults.network.connect()
  await first.query('SELECT 1')
  await third.query('SELECT 1')
  expect(faults.network.stats().toxics).toEqual([{ type: 'reset_peer', direction: 'both', appliedToConnections: 1, active: true }])
})

test('a toxic picked by the first query: only the connection that reports slows down', async ({ faults }) => {
  const reporting = await faults.network.connect()
  const other = await faults.network.connect()
  faults.network.latency(150, { connection: (connection) => connection.firstQuery?.startsWith('SELECT /* report */') ?? false })
  const timed = async (work: () => Promise<unknown>) => {
    const startedAt = performance.now()
    await work()
    return performance.now() - startedAt
  }
  expect(await timed(() => other.query('SELECT 1'))).toBeLessThan(140)
  await reporting.query('SELECT /* report */ 1')
  expect(await timed(() => reporting.query('SELECT 2'))).toBeGreaterThanOrEqual(140)
  expect(await timed(() => other.query('SELECT 3'))).toBeLessThan(140)
})

test('toxicity: 0 never applies, 1 always; stats count connections and bytes, and the summary says them', async ({ faults }) => {
  faults.network.reset({ toxicity: 0 })
  faults.network.latency(1, { toxicity: 1 })
  for (let i = 0; i < 3; i++) await (await faults.network.connect()).query('SELECT 1')
  faults.clear() // driver faults and toxics alike
  const stats = faults.network.stats()
  expect(stats).toMatchObject({ connections: 3, toxics: [{ type: 'reset_peer', appliedToConnections: 0, active: false }, { type: 'latency', appliedToConnections: 3, active: false }] })
  expect(stats.bytesUpstream).toBeGreaterThan(0)
  expect(stats.bytesDownstream).toBeGreaterThan(stats.bytesUpstream)
  expect(faults.summary()).toMatch(/network: 3 connection\(s\), \d+ bytes up, \d+ bytes down; toxics: reset_peer \(both\) on 0 connection\(s\), removed; latency \(downstream\) on 3 connection\(s\), removed/)
  expect(() => faults.network.latency(1, { toxicity: 2 })).toThrow('toxicity must be a number from 0 to 1')
  expect(() => faults.network.latency(1, { connection: 0 })).toThrow('connection must be a whole number from 1')
})
