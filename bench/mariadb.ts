import * as mariadb from 'mariadb'
import { FaultController } from '../src/faults/fault-controller.ts'
import { instrumentedMariadb, type StatementRecorder } from '../src/faults/driver/instrument-mariadb.ts'
import { StatementLog } from '../src/vitest/statement-log.ts'
import { startHarness } from './harness.ts'
import { compareMany } from './stats.ts'

/** Something with the connector's `query`, as both sides give it. */
interface Queryable {
  query(sql: string): Promise<unknown>
}

/** `count` `SELECT 1` round trips on the next of the connections each call (turns keep server-thread placement from biasing a side). */
function selectOnes(connections: readonly Queryable[], count: number): () => Promise<void> {
  let turn = 0
  return async () => {
    const connection = connections[turn++ % connections.length] as Queryable
    for (let i = 0; i < count; i++) await connection.query('SELECT 1')
  }
}

/**
 * The `mariadb` connector's promise API with driver faults and the statement log (what
 * `rig.mariadb(driver)` gives with the default forensics) against the raw connector, in the same
 * alternating rounds: with no fault armed, and with a fault armed that the statements never match
 * (every call then asks the faults).
 */
export async function benchMariadb(): Promise<Record<string, unknown>> {
  await using harness = await startHarness()
  const idle = new FaultController()
  const armed = new FaultController()
  armed.failNext('ping', 'never sent', { times: 'always' })
  const rig = await harness.newRig(idle)
  const { host, port, user, password } = harness.run.endpoint
  const config = { host, port, user, database: rig.databaseName, ...(password === undefined ? {} : { password }) }
  const log = new StatementLog(200)
  const record: StatementRecorder = (method, sql, params, threadId) => {
    const entry = log.begin(method, sql, params, threadId)
    return (result, error) => log.end(entry, result, error)
  }
  const four = (open: () => Promise<Queryable & { end(): Promise<void> }>) => Promise.all(Array.from({ length: 4 }, open))
  const sides = {
    raw: await four(() => mariadb.createConnection(config)),
    idle: await four(() => instrumentedMariadb(mariadb, () => idle, record).createConnection(config) as Promise<mariadb.Connection>),
    armed: await four(() => instrumentedMariadb(mariadb, () => armed, record).createConnection(config) as Promise<mariadb.Connection>),
  }
  const compared = await compareMany(200, selectOnes(sides.raw, 50), { idle: selectOnes(sides.idle, 50), armed: selectOnes(sides.armed, 50) })
  for (const connection of [...sides.raw, ...sides.idle, ...sides.armed]) await connection.end()
  await rig.release()
  await harness.databases.drop(rig.databaseName)
  return {
    instrumentedVsRawNoFaultArmed: { queries: 10_000, rounds: 200, ...compared.idle, target: 'ratio <= 1.05' },
    instrumentedVsRawUnmatchedFaultArmed: { queries: 10_000, rounds: 200, ...compared.armed, target: 'ratio <= 1.05' },
  }
}
