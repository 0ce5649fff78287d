import { FaultController } from '../src/faults/fault-controller.ts'
import { NetworkFaults } from '../src/faults/network-faults.ts'
import mysql from 'mysql2/promise'
import { connectionOptions, connectionUrl } from '../src/server/connect.ts'
import { startBareForwarder } from './bare-forwarder.ts'
import { startToxiproxy } from './toxiproxy-server.ts'
import { openMany, selectOnes, startHarness } from './harness.ts'
import { compareMany } from './stats.ts'

/** The faults proxy with no toxic against a direct connection, and the instrumented connection against raw mysql2. */
export async function benchFaults(): Promise<Record<string, unknown>> {
  await using harness = await startHarness()
  const faults = new FaultController()
  const rig = await harness.newRig(faults)
  const { endpoint } = harness.run
  await using network = await NetworkFaults.start(endpoint, (port) => connectionUrl({ ...endpoint, port }, rig.databaseName), (host, port) => rig.connect({ via: { host, port } }))

  // Both sides raw mysql2, so the ratio is the proxy's alone (instrumentation is measured below).
  // Blocks of 50 queries in 200 alternating rounds: drift of this shared machine hits both alike.
  const direct = await harness.raw(rig.databaseName)
  const through = (port: number) => mysql.createConnection(connectionOptions({ ...endpoint, host: '127.0.0.1', port }, { database: rig.databaseName }))
  const proxied = await through(network.proxy.port)
  // The floor: the same hop through a forwarder that does nothing else, in the same rounds.
  const bare = await startBareForwarder(endpoint)
  const forwarded = await through(bare.port)
  // Toxiproxy itself (built from the Go module proxy for the bench only), with no toxic either.
  const toxiproxy = await startToxiproxy(endpoint)
  using _toxiproxyStops = typeof toxiproxy === 'string' ? undefined : toxiproxy
  const viaToxiproxy = typeof toxiproxy === 'string' ? undefined : await through(toxiproxy.port)
  // Four connections a side, taking turns (see selectOnes).
  const sides = {
    direct: [direct, ...(await openMany(3, () => harness.raw(rig.databaseName)))],
    proxy: [proxied, ...(await openMany(3, () => through(network.proxy.port)))],
    bare: [forwarded, ...(await openMany(3, () => through(bare.port)))],
    instrumented: await openMany(4, () => rig.connect()),
    toxiproxy: viaToxiproxy && typeof toxiproxy !== 'string' ? [viaToxiproxy, ...(await openMany(3, () => through(toxiproxy.port)))] : [],
  }
  const { proxy: roundTrip, bare: floor, instrumented: instrumentedVsRaw, toxiproxy: toxiproxyTrip } = await compareMany(200, selectOnes(sides.direct, 50), {
    proxy: selectOnes(sides.proxy, 50),
    bare: selectOnes(sides.bare, 50),
    instrumented: selectOnes(sides.instrumented, 50),
    // Without Toxiproxy the candidate does nothing; its figures are then left out below.
    toxiproxy: sides.toxiproxy.length > 0 ? selectOnes(sides.toxiproxy, 50) : async () => {},
  })
  for (const side of [sides.direct, sides.proxy, sides.bare, sides.toxiproxy]) for (const connection of side.slice(1)) connection.destroy()

  await direct.query('CREATE TABLE bulk (id INT PRIMARY KEY, pad VARCHAR(1000))')
  await direct.query("INSERT INTO bulk SELECT seq, REPEAT('x', 1000) FROM seq_1_to_20000")
  const bytes = 20_000 * 1000
  const readAll = (connection: typeof direct) => async () => {
    await connection.query('SELECT * FROM bulk')
  }
  const { proxy: bulk, bare: bulkFloor, toxiproxy: toxiproxyBulk } = await compareMany(24, readAll(direct), { proxy: readAll(proxied), bare: readAll(forwarded), toxiproxy: viaToxiproxy ? readAll(viaToxiproxy) : async () => {} })
  forwarded.destroy()
  bare.close()
  viaToxiproxy?.destroy()

  await direct.end()
  proxied.destroy()
  await rig.release()
  await harness.databases.drop(rig.databaseName)
  const mbPerSecond = (ms: number) => Math.round((bytes / 1024 / 1024 / (ms / 1000)) * 10) / 10
  return {
    proxyVsDirectSelectOneRoundTrip: { queries: 10_000, rounds: 200, ...roundTrip, target: 'ratio <= 1.2' },
    bareForwarderVsDirectSelectOneRoundTrip: { queries: 10_000, rounds: 200, ...floor, note: 'the cost of the extra TCP hop alone on this machine: no in-process proxy can be faster' },
    proxyOverBareForwarder: Math.round((roundTrip.candidateMs.p50 / floor.candidateMs.p50) * 1000) / 1000,
    proxyVsDirectBulkRead: {
      resultBytes: bytes,
      directMBps: mbPerSecond(bulk.baselineMs.p50),
      proxiedMBps: mbPerSecond(bulk.candidateMs.p50),
      throughputRatio: Math.round((bulk.baselineMs.p50 / bulk.candidateMs.p50) * 1000) / 1000,
      bareForwarderThroughputRatio: Math.round((bulkFloor.baselineMs.p50 / bulkFloor.candidateMs.p50) * 1000) / 1000,
      target: 'throughput ratio >= 0.8',
    },
    instrumentedVsRawNoFaultArmed: { queries: 10_000, rounds: 200, ...instrumentedVsRaw, target: 'ratio <= 1.05' },
    toxiproxy: typeof toxiproxy === 'string' ? { skipped: toxiproxy } : {
      version: 'v2.5.0 (bench/toxiproxy/go.mod)',
      selectOneRoundTripVsDirect: { queries: 10_000, rounds: 200, ...toxiproxyTrip },
      rigProxyOverToxiproxy: Math.round((roundTrip.candidateMs.p50 / toxiproxyTrip.candidateMs.p50) * 1000) / 1000,
      bulkReadThroughputVsDirect: Math.round((toxiproxyBulk.baselineMs.p50 / toxiproxyBulk.candidateMs.p50) * 1000) / 1000,
      toxiproxyMBps: mbPerSecond(toxiproxyBulk.candidateMs.p50),
    },
  }
}
