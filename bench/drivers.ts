import callbackMysql, { type Connection as CallbackConnection } from 'mysql2'
import { interceptMysql2, routeInterceptedCalls } from '../src/faults/driver/intercept.ts'
import { FaultController } from '../src/faults/fault-controller.ts'
import { connectionOptions } from '../src/server/connect.ts'
import { unpatched } from '../src/server/mysql2-originals.ts'
import { startHarness } from './harness.ts'
import { compareMany } from './stats.ts'

/** `count` `SELECT 1` round trips on the callback API, on the next of the connections each call (see selectOnes). */
function callbackSelectOnes(connections: readonly CallbackConnection[], count: number): () => Promise<void> {
  let turn = 0
  const once = (connection: CallbackConnection) => new Promise<void>((resolve, reject) => connection.query('SELECT 1', (error) => (error ? reject(error) : resolve())))
  return async () => {
    const connection = connections[turn++ % connections.length] as CallbackConnection
    for (let i = 0; i < count; i++) await once(connection)
  }
}

function connected(connection: CallbackConnection): Promise<CallbackConnection> {
  return new Promise((resolve, reject) => {
    connection.once('connect', () => resolve(connection))
    connection.once('error', reject)
  })
}

/**
 * mysql2's callback API with driver faults against raw mysql2, no fault armed: the rig's callback
 * factories (rig.mysql.callback) and intercept mode (the project's own mysql2 patched, a test's
 * faults routed, none armed), each against mysql2's own factory, in the same alternating rounds.
 */
export async function benchDrivers(): Promise<Record<string, unknown>> {
  await using harness = await startHarness()
  const faults = new FaultController()
  const rig = await harness.newRig(faults)
  const options = connectionOptions(harness.run.endpoint, { database: rig.databaseName })
  interceptMysql2(process.cwd())
  const stopRouting = routeInterceptedCalls(faults)
  const raw = unpatched(callbackMysql)
  const four = (open: () => CallbackConnection) => Promise.all(Array.from({ length: 4 }, () => connected(open())))
  const sides = {
    raw: await four(() => raw.createConnection(options)),
    rig: await four(() => rig.mysql.callback.createConnection(options)),
    intercepted: await four(() => callbackMysql.createConnection(options)),
  }
  const { rig: rigVsRaw, intercepted: interceptedVsRaw } = await compareMany(200, callbackSelectOnes(sides.raw, 50), {
    rig: callbackSelectOnes(sides.rig, 50),
    intercepted: callbackSelectOnes(sides.intercepted, 50),
  })
  stopRouting()
  for (const connection of [...sides.raw, ...sides.intercepted]) connection.destroy()
  await rig.release()
  await harness.databases.drop(rig.databaseName)
  return {
    callbackInstrumentedVsRawNoFaultArmed: { queries: 10_000, rounds: 200, ...rigVsRaw, target: 'ratio <= 1.05' },
    interceptedVsRawNoFaultArmed: { queries: 10_000, rounds: 200, ...interceptedVsRaw, target: 'no measurable cost (ratio within the spread)' },
  }
}
