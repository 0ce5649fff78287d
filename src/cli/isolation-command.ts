import { loadConfig } from '../config/load.ts'
import { coordinate } from '../engine/coordinator.ts'
import { runIsolationMatrix } from '../scenarios/isolation/matrix.ts'
import { isolationLevels, parseIsolationLevel, type IsolationLevel } from '../scenarios/isolation/levels.ts'
import { renderMatrixJson, renderMatrixMarkdown, renderMatrixTable } from '../scenarios/isolation/render.ts'
import { createLogger } from '../config/logger.ts'
import { openConnection } from '../server/connect.ts'
import { RigRun } from '../server/rig-run.ts'
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
  await using run = await RigRun.start(config, origins, createLogger(config.logging))
  const { server } = run
  await using scratch = await run.database('isolation')
  const connect = () => openConnection(server.endpoint, { database: scratch.name })
  const matrix = await runIsolationMatrix({
    engine: server.info.engine,
    version: server.info.version,
    capabilities: server.info.capabilities,
    blockedAfterMs: config.test.blockedAfterMs,
    connect,
    coordinate: (sessions) => coordinate({ ...sessions, connect }),
  }, { levels, ...(mode ? { transactionMode: mode } : {}) })
  output.out(options.format === 'json' ? renderMatrixJson(matrix) : options.format === 'markdown' ? renderMatrixMarkdown(matrix) : renderMatrixTable(matrix))
  return matrix.anomalies.some((id) => levels.some((level) => matrix.cells[id]?.[level]?.outcome === 'error')) ? 1 : 0
}
