import type { RowDataPacket } from 'mysql2/promise'
import { ServerFaultsUnavailableError } from '../faults/errors.ts'
import { FailpointClient } from '../faults/server/failpoint-client.ts'
import type { ServerFaultsHost } from '../faults/server/server-faults.ts'
import type { CoreDriver } from '../faults/driver/mysql2-internals.ts'
import { openConnection } from '../server/connect.ts'
import { dumpDatabase } from '../server/database-dump.ts'
import { engineLabels } from '../server/engine.ts'
import { baselineFailpoints, startFailpointServer } from '../server/local/failpoint-server.ts'
import { runSqlScript } from '../server/run-sql-script.ts'
import type { RunContext } from './run-context.ts'
import { WorkerConnections } from './worker-connections.ts'
import { WorkerDatabases } from './worker-databases.ts'

/** Where a test's database lives: the run's server, or the worker's own server for server faults. */
export interface RigSite {
  /** The run, as seen from this server (its endpoint and identity). */
  readonly run: RunContext
  /** The worker's databases on it. */
  readonly databases: WorkerDatabases
  /** The worker's pooled connections to it. */
  readonly connections: WorkerConnections
  /** What `faults.server` needs: only on the server of the worker's own. */
  readonly serverFaults?: ServerFaultsHost
}

/**
 * Starts the worker's own TiDB for tests tagged `server-faults`: a local tidb-server with its
 * failpoints reachable (the failpoint build when there is one), 2PC commits (so a commit fault
 * meets a commit RPC), and the run's schema template copied over, so that its databases are made
 * as the run's are. Failpoints are process-wide: a server per worker keeps each test's faults its own.
 */
export async function startServerFaultSite(run: RunContext, driver: CoreDriver, workerId: string, serverFaultsTag: string): Promise<RigSite & AsyncDisposable> {
  if (run.server.engine !== 'tidb') {
    throw new ServerFaultsUnavailableError(`tests tagged "${serverFaultsTag}" need TiDB, and this run's server is ${engineLabels[run.server.engine]} ${run.server.version}: its faults come from TiDB's failpoints.\nFix: run them in a project on TiDB (server.engine = "tidb"), or skip them elsewhere (test.skipIf(rig.server.engine !== 'tidb') in a describe).`)
  }
  let started
  try {
    started = await startFailpointServer(run.server.version, run.config.server.binary)
  } catch (error) {
    throw new ServerFaultsUnavailableError(`tests tagged "${serverFaultsTag}" run on a tidb-server of the worker's own, and none could be started: ${error instanceof Error ? error.message : String(error)}\nFix: build one with "bash scripts/build-tidb.sh --failpoints" (or "bash scripts/build-tidb.sh").`)
  }
  const { server, failpoints, failpointBuild } = started
  const client = new FailpointClient(failpoints)
  try {
    const admin = await openConnection(server.endpoint, { multipleStatements: true })
    try {
      // Commits in two phases: with 1PC or async commit a commit sends no commit RPC to fail.
      await admin.query('SET GLOBAL tidb_enable_1pc = OFF; SET GLOBAL tidb_enable_async_commit = OFF')
      if (run.clone) {
        const { template } = run.clone
        const dump = await dumpDatabase(run.endpoint, template, Number.MAX_SAFE_INTEGER, `schema template ${template}`)
        await admin.query(`CREATE DATABASE \`${template}\``)
        await admin.query(`USE \`${template}\``)
        await runSqlScript(admin, dump.sql, `the schema template ${template}, copied to the worker's own server`)
      }
    } finally {
      admin.destroy()
    }
    const own: RunContext = {
      ...run,
      server: server.info,
      endpoint: server.endpoint,
      // A database a fault may have left locks in is dropped, never reset for another test.
      config: { ...run.config, test: { ...run.config.test, reuseDatabases: false } },
    }
    const databases = await WorkerDatabases.open(own, `${workerId}s`)
    const connections = new WorkerConnections(driver, own.endpoint, false, 2)
    databases.spareThreads = () => connections.threadIds()
    const serverFaults: ServerFaultsHost = {
      client,
      failpointBuild,
      baseline: new Set(baselineFailpoints.keys()),
      restoreLiveness: () => restoreLiveness(client, own),
    }
    return {
      run: own,
      databases,
      connections,
      serverFaults,
      async [Symbol.asyncDispose]() {
        // The server and everything in it is thrown away: nothing is dropped first.
        databases.abandon()
        try {
          await connections[Symbol.asyncDispose]()
        } finally {
          client.close()
          await server.stop()
        }
      },
    }
  } catch (error) {
    client.close()
    await server.stop()
    throw error
  }
}

/**
 * Brings an unreachable store back: tikv/client-go marks a store unreachable after failed sends
 * and checks its liveness about once a second; with `injectLiveness` the check says reachable, and
 * a read that goes to the store (a scan) answers again within ~1 s.
 */
async function restoreLiveness(client: FailpointClient, own: RunContext): Promise<void> {
  await client.arm('tikvclient/injectLiveness', 'return("reachable")')
  const probe = await openConnection(own.endpoint)
  try {
    const deadline = performance.now() + 20_000
    for (;;) {
      try {
        await probe.query<RowDataPacket[]>('SELECT COUNT(*) FROM mysql.user')
        await probe.query<RowDataPacket[]>('SELECT 1 FROM mysql.user WHERE User = \'root\' LIMIT 1')
        return
      } catch (error) {
        if (performance.now() > deadline) throw new Error(`the worker's own TiDB did not answer reads again within 20 s after a server fault: ${error instanceof Error ? error.message : String(error)}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
  } finally {
    probe.destroy()
    await client.disarm('tikvclient/injectLiveness')
  }
}
