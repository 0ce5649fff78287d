import { Faults } from '../src/faults/faults.ts'
import { NetworkFaults } from '../src/faults/network-faults.ts'
import mysql from 'mysql2/promise'
import { connectionOptions, connectionUrl } from '../src/server/connect.ts'
import { selectOnes, startHarness } from './harness.ts'
import { compareRounds } from './stats.ts'

/** The faults proxy with no toxic against a direct connection, and the instrumented connection against raw mysql2. */
export async function benchFaults(): Promise<Record<string, unknown>> {
  await using harness = await startHarness()
  const faults = new Faults()
  const rig = await harness.newRig(faults)
  const { endpoint } = harness.run
  await using network = await NetworkFaults.start(endpoint, (port) => connectionUrl({ ...endpoint, port }, rig.databaseName), (host, port) => rig.connect({ via: { host, port } }))

  // Both sides raw mysql2, so the ratio is the proxy's alone (instrumentation is measured below).
  const direct = await harness.raw(rig.databaseName)
  const proxied = await mysql.createConnection(connectionOptions({ ...endpoint, host: network.proxy.host, port: network.proxy.port }, { database: rig.databaseName }))
  const roundTrip = await compareRounds(20, selectOnes(direct, 500), selectOnes(proxied, 500))

  await direct.query('CREATE TABLE bulk (id INT PRIMARY KEY, pad VARCHAR(1000))')
  await direct.query("INSERT INTO bulk SELECT seq, REPEAT('x', 1000) FROM seq_1_to_20000")
  const bytes = 20_000 * 1000
  const readAll = (connection: typeof direct) => async () => {
    await connection.query('SELECT * FROM bulk')
  }
  const bulk = await compareRounds(16, readAll(direct), readAll(proxied))

  const instrumented = await rig.connect()
  const instrumentedVsRaw = await compareRounds(20, selectOnes(direct, 500), selectOnes(instrumented, 500))

  await direct.end()
  proxied.destroy()
  await rig.release()
  await harness.databases.drop(rig.databaseName)
  const mbPerSecond = (ms: number) => Math.round((bytes / 1024 / 1024 / (ms / 1000)) * 10) / 10
  return {
    proxyVsDirectSelectOneRoundTrip: { queries: 10_000, rounds: 20, ...roundTrip, target: 'ratio <= 1.2' },
    proxyVsDirectBulkRead: {
      resultBytes: bytes,
      directMBps: mbPerSecond(bulk.baselineMs.p50),
      proxiedMBps: mbPerSecond(bulk.candidateMs.p50),
      throughputRatio: Math.round((bulk.baselineMs.p50 / bulk.candidateMs.p50) * 1000) / 1000,
      target: 'throughput ratio >= 0.8',
    },
    instrumentedVsRawNoFaultArmed: { queries: 10_000, rounds: 20, ...instrumentedVsRaw, target: 'ratio <= 1.05' },
  }
}
