import { coordinate } from '../machines/coordinator.ts'
import { runMachine } from '../machines/run-machine.ts'
import { formatTrace, type RunResult } from '../machines/trace.ts'
import { basicConnection } from '../scenarios/basic-connection.ts'
import { multiConnection } from '../scenarios/multi-connection.ts'
import { openConnection } from '../server/connect.ts'
import { RigRun } from '../server/rig-run.ts'
import { loadCliConfig } from './cli-config.ts'
import type { CliOutput } from './cli-output.ts'
import { UsageError, type ConnectionFlags } from './flags.ts'

/** Options of `test-rig run <scenario>`. */
export interface RunCommandOptions extends ConnectionFlags {
  readonly format: 'text' | 'json'
  readonly mermaid?: boolean
  readonly connections?: string
  readonly testRows?: string
}

/** The built-in scenarios `test-rig run` knows. */
export const runnableScenarios = ['basic', 'multi-connection'] as const

/**
 * Runs a built-in scenario against the server a test run would use (or the external one given), in
 * a database of its own that is dropped afterwards; prints the trace (and the Mermaid diagram on
 * request). Exit code 0 when the machine completes, 1 when it does not.
 */
export async function runCommand(cwd: string, scenario: string, options: RunCommandOptions, output: CliOutput): Promise<number> {
  if (!(runnableScenarios as readonly string[]).includes(scenario)) throw new UsageError(`no scenario "${scenario}"; known: ${runnableScenarios.join(', ')}`)
  const testRows = options.testRows === undefined ? undefined : positive(options.testRows, '--test-rows')
  const connections = options.connections === undefined ? 4 : positive(options.connections, '--connections')
  const { config, origins, logger } = await loadCliConfig(cwd, { ...options, set: [...(options.set ?? []), ...(testRows === undefined ? [] : [`test.rows=${testRows}`])] }, output)
  await using run = await RigRun.start(config, origins, logger)
  logger.info(run.startLine)
  await using scratch = await run.database(scenario === 'basic' ? 'run_basic' : 'run_multi')
  const connect = () => openConnection(run.server.endpoint, { database: scratch.name })

  let results: RunResult<unknown>[]
  let diagram: string
  if (scenario === 'basic') {
    const conn = await connect()
    try {
      const result = await runMachine(basicConnection, { conn, data: { expectedDatabase: scratch.name }, defaultTimeoutMs: config.test.timeoutSecs * 1000, onTimeout: () => conn.destroy() })
      results = [result]
      diagram = result.toMermaid()
    } finally {
      conn.destroy()
    }
  } else {
    const coordinated = await coordinate({ ...multiConnection({ connections, rows: config.test.rows }), connect, blockedAfterMs: config.test.blockedAfterMs, defaultTimeoutMs: config.test.timeoutSecs * 1000 })
    results = Object.values(coordinated.sessions)
    diagram = coordinated.toMermaid()
  }
  const completed = results.every((result) => result.status === 'completed')
  if (options.format === 'json') {
    output.out(JSON.stringify({
      scenario, completed, server: run.server.info,
      sessions: results.map(({ session, status, finalState, visited, durationMs, data, error, trace }) => ({ session, status, finalState, visited, durationMs, data, error: error?.message, trace })),
      ...(options.mermaid ? { mermaid: diagram } : {}),
    }, null, 2))
  } else {
    for (const result of results) output.out(formatTrace(result))
    if (options.mermaid) output.out(diagram)
    output.out(completed ? `${scenario}: completed` : `${scenario}: did not complete (${results.filter((r) => r.status !== 'completed').map((r) => `${r.session} ${r.status}`).join(', ')})`)
  }
  return completed ? 0 : 1
}

function positive(text: string, flag: string): number {
  const value = Number(text)
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag} ${text}: a whole number of at least 1`)
  return value
}
