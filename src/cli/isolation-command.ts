import { coordinate } from '../machines/coordinator.ts'
import { runContention, type ContentionOutcome } from '../scenarios/isolation/contention.ts'
import { runIsolationMatrix } from '../scenarios/isolation/matrix.ts'
import { isolationLevels, parseIsolationLevel, type IsolationLevel } from '../scenarios/isolation/levels.ts'
import { renderMatrixJson, renderMatrixMarkdown, renderMatrixTable } from '../scenarios/isolation/render.ts'
import { openConnection } from '../server/connect.ts'
import { RigRun } from '../server/rig-run.ts'
import { loadCliConfig } from './cli-config.ts'
import type { CliOutput } from './cli-output.ts'
import { UsageError, type ConnectionFlags } from './flags.ts'

/** Options of `test-rig isolation`. */
export interface IsolationCommandOptions extends ConnectionFlags {
  readonly format: 'table' | 'json' | 'markdown'
  readonly levels?: readonly string[]
  readonly isolationLevel?: string
  readonly transactionMode?: string
  readonly testRows?: string
  readonly concurrentConnections?: string
}

/**
 * Starts (or reaches) a server as a test run would, runs the anomaly matrix in a database of its
 * own (and, with `--concurrent-connections`, the seed's contention check: lost updates among that
 * many sessions making `--test-rows` increments each), prints it, and removes everything it made.
 * Exit code 1 when a cell could not be decided.
 */
export async function isolationCommand(cwd: string, options: IsolationCommandOptions, output: CliOutput): Promise<number> {
  let levels: IsolationLevel[]
  try {
    levels = [...(options.levels ?? []), ...(options.isolationLevel ? [options.isolationLevel] : [])].map(parseIsolationLevel)
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
  if (levels.length === 0) levels = [...isolationLevels]
  const mode = options.transactionMode
  if (mode !== undefined && mode !== 'pessimistic' && mode !== 'optimistic') throw new UsageError(`unknown transaction mode "${mode}"; known: pessimistic, optimistic (TiDB only)`)
  const sessions = options.concurrentConnections === undefined ? undefined : atLeastOne(options.concurrentConnections, '--concurrent-connections')
  const testRows = options.testRows === undefined ? undefined : atLeastOne(options.testRows, '--test-rows')
  const { config, origins, logger } = await loadCliConfig(cwd, { ...options, set: [...(options.set ?? []), ...(testRows === undefined ? [] : [`test.rows=${testRows}`])] }, output)
  await using run = await RigRun.start(config, origins, logger)
  logger.info(run.startLine)
  const { server } = run
  await using scratch = await run.database('isolation')
  const connect = () => openConnection(server.endpoint, { database: scratch.name })
  const matrix = await runIsolationMatrix({
    engine: server.info.engine,
    version: server.info.version,
    capabilities: server.info.capabilities,
    blockedAfterMs: config.test.blockedAfterMs,
    connect,
    coordinate: (run) => coordinate({ ...run, connect }),
  }, { levels, ...(mode ? { transactionMode: mode } : {}) })
  const contention: ContentionOutcome[] = []
  if (sessions !== undefined) {
    for (const level of levels) {
      const refused = matrix.anomalies.every((id) => matrix.cells[id]?.[level]?.outcome === 'unsupported')
      if (!refused) contention.push(await runContention({ connect, capabilities: server.info.capabilities, level, sessions, rows: config.test.rows, ...(mode ? { transactionMode: mode } : {}) }))
    }
  }
  if (options.format === 'json') {
    output.out(JSON.stringify({ ...(JSON.parse(renderMatrixJson(matrix)) as object), ...(sessions === undefined ? {} : { contention: { sessions, rows: config.test.rows, levels: contention } }) }, null, 2))
  } else {
    output.out(options.format === 'markdown' ? renderMatrixMarkdown(matrix) : renderMatrixTable(matrix))
    if (sessions !== undefined) {
      output.out(`\ncontention: ${sessions} sessions × ${config.test.rows} read-modify-write increments over ${config.test.rows} rows`)
      for (const outcome of contention) {
        const aborted = Object.entries(outcome.aborted).map(([name, n]) => `${n} ${name}`).join(', ') || 'none'
        output.out(`  ${outcome.level.padEnd(16)} committed ${outcome.committed}, lost ${outcome.lost}, aborted: ${aborted}`)
      }
    }
  }
  return matrix.anomalies.some((id) => levels.some((level) => matrix.cells[id]?.[level]?.outcome === 'error')) ? 1 : 0
}

function atLeastOne(text: string, flag: string): number {
  const value = Number(text)
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag} ${text}: a whole number of at least 1`)
  return value
}
