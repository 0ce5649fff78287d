import mysql from 'mysql2/promise'
import callbackMysql from 'mysql2'
import { loadConfig } from '../src/config/load.ts'
import { redactConfig } from '../src/config/redact.ts'
import { FaultController } from '../src/faults/fault-controller.ts'
import { Rig } from '../src/vitest/rig.ts'
import type { RunContext } from '../src/vitest/run-context.ts'
import { WorkerDatabases } from '../src/vitest/worker-databases.ts'
import { connectionOptions } from '../src/server/connect.ts'
import { newRunId } from '../src/server/database-names.ts'
import { LocalServer, type StartedLocalServer } from '../src/server/local/local-server.ts'

/** A local server, a worker's databases and one test's rig, as the fixtures make them. */
export interface Harness extends AsyncDisposable {
  readonly server: StartedLocalServer
  readonly run: RunContext
  readonly databases: WorkerDatabases
  /** A rig for one "test" with its own database; release it when done. */
  newRig(faults?: FaultController): Promise<Rig>
  /** A raw mysql2 connection into a database (the baseline). */
  raw(database: string): Promise<mysql.Connection>
}

/** Starts the harness. */
export async function startHarness(): Promise<Harness> {
  const server = await new LocalServer().start()
  const { config } = await loadConfig({ env: {}, ignoreDotenv: true })
  const run: RunContext = { server: server.info, endpoint: server.endpoint, naming: { prefix: 'rig', runId: newRunId() }, config: redactConfig(config), providerReason: 'bench', projectRoot: process.cwd(), fixturesDir: '' }
  const databases = await WorkerDatabases.open(run, 'bench')
  return {
    server,
    run,
    databases,
    newRig: async (faults = new FaultController()) => new Rig(run, await databases.create('t'), faults, callbackMysql),
    raw: (database) => mysql.createConnection(connectionOptions(server.endpoint, { database })),
    async [Symbol.asyncDispose]() {
      await databases[Symbol.asyncDispose]()
      await server.stop()
    },
  }
}

/**
 * A function that runs `count` `SELECT 1` round trips, one after another, on the next of the given
 * connections each time it is called. Each connection is served by a server thread of its own,
 * which the kernel may keep on either core for a whole run; taking turns over several connections
 * keeps that placement from biasing one side of a comparison.
 */
export function selectOnes(connections: mysql.Connection | readonly mysql.Connection[], count: number): () => Promise<void> {
  const all = Array.isArray(connections) ? connections : [connections as mysql.Connection]
  let turn = 0
  return async () => {
    const connection = all[turn++ % all.length] as mysql.Connection
    for (let i = 0; i < count; i++) await connection.query('SELECT 1')
  }
}

/** Opens `count` connections at once. */
export function openMany(count: number, open: () => Promise<mysql.Connection>): Promise<mysql.Connection[]> {
  return Promise.all(Array.from({ length: count }, open))
}
