import { loadConfig } from '../config/load.ts'
import { coordinate } from '../engine/coordinator.ts'
import { runIsolationMatrix } from '../scenarios/isolation/matrix.ts'
import { isolationLevels, parseIsolationLevel, type IsolationLevel } from '../scenarios/isolation/levels.ts'
import { renderMatrixJson, renderMatrixMarkdown, renderMatrixTable } from '../scenarios/isolation/render.ts'
import { chooseProvider } from '../server/choose-provider.ts'
import { openConnection } from '../server/connect.ts'
import { databaseName, newRunId } from '../server/database-names.ts'
import { TestDatabases } from '../server/test-databases.ts'
import type { CliOutput } from './cli-output.ts'
import { settingsFromFlags, type ConnectionFlags } from './flags.ts'

/** Options of `test-rig isolation`. */
export interface IsolationCommandOptions extends ConnectionFlags {
  readonly format: 'table' | 'json' | 'markdown'
  readonly levels?: readonly string[]
  readonly transactionMode?: string
}

/**
 * Starts (or reaches) a server as a test run would, runs the anomaly matrix in a database of its
 * own, prints it, and removes everything it made.
 */
export async function isolationCommand(cwd: string, options: IsolationCommandOptions, output: CliOutput): Promise<number> {
  let levels: IsolationLevel[]
  try {
    levels = (options.levels ?? isolationLevels).map(parseIsolationLevel)
  } catch (error) {
    output.err(`test-rig: ${(error as Error).message}`)
    return 1
  }
  const mode = options.transactionMode
  if (mode !== undefined && mode !== 'pessimistic' && mode !== 'optimistic') {
    output.err(`test-rig: unknown transaction mode "${mode}"; known: pessimistic, optimistic (TiDB only)`)
    return 1
  }
  const { config, origins } = await loadConfig({ cwd, flags: settingsFromFlags(options) })
  const { provider } = await chooseProvider(config, origins)
  await using server = await provider.start()
  const naming = { prefix: config.test.databasePrefix, runId: newRunId() }
  const admin = await openConnection(server.endpoint)
  const databases = new TestDatabases(admin, naming)
  const database = databaseName(naming, 'isolation')
  try {
    await databases.create(database)
    const connect = () => openConnection(server.endpoint, { database })
    const matrix = await runIsolationMatrix({
      engine: server.info.engine,
      version: server.info.version,
      capabilities: server.info.capabilities,
      blockedAfterMs: config.test.blockedAfterMs,
      connect,
      coordinate: (run) => coordinate({ ...run, connect }),
    }, { levels, ...(mode ? { transactionMode: mode } : {}) })
    output.out(options.format === 'json' ? renderMatrixJson(matrix) : options.format === 'markdown' ? renderMatrixMarkdown(matrix) : renderMatrixTable(matrix))
    return matrix.anomalies.some((id) => levels.some((level) => matrix.cells[id]?.[level]?.outcome === 'error')) ? 1 : 0
  } finally {
    await databases.dropAll().catch(() => {})
    admin.destroy()
  }
}
