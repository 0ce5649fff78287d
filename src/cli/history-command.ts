import { readFile, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { openConnection } from '../server/connect.ts'
import { RigRun } from '../server/rig-run.ts'
import { checkHistory, type CheckResult } from '../scenarios/history/check.ts'
import { explainAnomaly, type SqlOf } from '../scenarios/history/explain.ts'
import { HistoryFormatError, parseHistory, type History } from '../scenarios/history/history.ts'
import { consistencyModels, parseConsistencyModel, prohibits, type ConsistencyModel } from '../scenarios/history/models.ts'
import { runWorkload } from '../scenarios/history/workload.ts'
import { loadCliConfig } from './cli-config.ts'
import type { CliOutput } from './cli-output.ts'
import { exitCodes } from './exit-codes.ts'
import { UsageError, type ConnectionFlags } from './flags.ts'

/** Options of `test-rig history check`. */
export interface HistoryCheckOptions {
  readonly model: string
  readonly workload?: string
  readonly timeLimit?: string
  readonly format: 'text' | 'json'
}

/** Options of `test-rig history run`. */
export interface HistoryRunOptions extends ConnectionFlags, Omit<HistoryCheckOptions, 'timeLimit'> {
  readonly sessions?: string
  readonly transactions?: string
  readonly keys?: string
  readonly isolationLevel?: string
  readonly transactionMode?: string
  readonly seed?: string
  readonly out?: string
}

/** Checks a Jepsen-format history file; exit code 1 when it violates `--model`. */
export async function historyCheck(cwd: string, file: string, options: HistoryCheckOptions, output: CliOutput): Promise<number> {
  const model = modelOf(options.model)
  let history: History
  try {
    history = parseHistory(JSON.parse(await readFile(resolve(cwd, file), 'utf8')))
  } catch (error) {
    if (error instanceof HistoryFormatError || error instanceof SyntaxError) throw new UsageError(`${file}: ${error.message}`)
    throw error
  }
  const result = checkHistory(history, { ...workloadOf(options.workload), ...(options.timeLimit === undefined ? {} : { timeLimitMs: wholeNumber(options.timeLimit, '--time-limit') }) })
  return report(result, model, options.format, output, () => undefined)
}

/**
 * Runs a generated workload against the server a test run would use (in a database of its own,
 * dropped after), writes its history, checks it, and prints the verdicts; exit code 1 when it
 * violates `--model`.
 */
export async function historyRun(cwd: string, options: HistoryRunOptions, output: CliOutput): Promise<number> {
  const model = modelOf(options.model)
  const mode = options.transactionMode
  if (mode !== undefined && mode !== 'pessimistic' && mode !== 'optimistic') throw new UsageError(`unknown transaction mode "${mode}"; known: pessimistic, optimistic (TiDB only)`)
  const { config, origins, logger } = await loadCliConfig(cwd, options, output)
  await using run = await RigRun.start(config, origins, logger)
  logger.info(run.startLine)
  await using scratch = await run.database('history')
  const recorded = await runWorkload(() => openConnection(run.server.endpoint, { database: scratch.name }), run.server.info.capabilities, {
    ...workloadOf(options.workload),
    ...(options.sessions === undefined ? {} : { sessions: wholeNumber(options.sessions, '--sessions') }),
    ...(options.transactions === undefined ? {} : { transactions: wholeNumber(options.transactions, '--transactions') }),
    ...(options.keys === undefined ? {} : { keys: wholeNumber(options.keys, '--keys') }),
    ...(options.isolationLevel === undefined ? {} : { isolation: options.isolationLevel }),
    ...(mode === undefined ? {} : { transactionMode: mode }),
    ...(options.seed === undefined ? {} : { seed: wholeNumber(options.seed, '--seed') }),
  })
  const file = resolve(cwd, options.out ?? 'history.json')
  await writeFile(file, `${JSON.stringify(recorded.history)}\n`)
  logger.info(`wrote the history of ${recorded.history.length / 2} transactions (${recorded.counts.ok} ok, ${recorded.counts.fail} fail, ${recorded.counts.info} info) to ${file}`)
  return report(checkHistory(recorded.history, workloadOf(options.workload)), model, options.format, output, recorded.sqlOf)
}

function report(result: CheckResult, model: ConsistencyModel, format: 'text' | 'json', output: CliOutput, sqlOf: SqlOf): number {
  const verdict = result.verdicts[model]
  if (format === 'json') {
    output.out(JSON.stringify({ model, valid: verdict.valid, anomalies: result.anomalies, verdicts: result.verdicts, ruledOut: result.ruledOut, unfinished: result.unfinished, transactions: result.transactions.length, durationMs: Math.round(result.durationMs) }, null, 2))
  } else {
    output.out(`${result.transactions.length} transactions checked in ${Math.round(result.durationMs)} ms; anomalies: ${result.anomalyNames.join(', ') || 'none'}`)
    for (const candidate of consistencyModels) {
      const each = result.verdicts[candidate]
      output.out(`  ${candidate.padEnd(20)} ${each.valid === true ? 'valid' : each.valid === false ? `violated (${each.violations.join(', ')})` : 'unknown (the cycle search ran out of time)'}`)
    }
    const smallest = result.anomalies.filter((anomaly) => prohibits(model, anomaly.name)).sort((a, b) => (a.cycle?.length ?? 0) - (b.cycle?.length ?? 0))[0]
    if (smallest) output.out(`\nthe smallest counterexample to ${model}:\n${explainAnomaly(smallest, result.transactions, sqlOf)}`)
  }
  return verdict.valid === true ? exitCodes.success : exitCodes.failed
}

function modelOf(text: string): ConsistencyModel {
  try {
    return parseConsistencyModel(text)
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

function workloadOf(text: string | undefined): { workload?: 'list-append' | 'rw-register' } {
  if (text === undefined) return {}
  if (text !== 'list-append' && text !== 'rw-register') throw new UsageError(`--workload ${text}: list-append or rw-register`)
  return { workload: text }
}

function wholeNumber(text: string, flag: string): number {
  const value = Number(text)
  if (!Number.isInteger(value) || value < 0) throw new UsageError(`${flag} ${text}: a whole number`)
  return value
}
