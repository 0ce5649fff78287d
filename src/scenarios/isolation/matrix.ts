import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { AnomalyScenario } from './anomaly.ts'
import { anomalyCatalogue } from './catalogue.ts'
import { isolationLevels, parseIsolationLevel, type IsolationLevel, type IsolationLevelInput } from './levels.ts'
import { runAnomaly, type AnomalyOutcome, type IsolationEnvironment, type OutcomeKind, type TransactionMode } from './run-anomaly.ts'

/** Anomaly × level → outcome, for one server. */
export interface IsolationMatrix {
  /** Engine and version the matrix was taken on. */
  readonly engine: string
  readonly version: string
  /** Levels, in column order. */
  readonly levels: readonly IsolationLevel[]
  /** Anomaly ids, in row order. */
  readonly anomalies: readonly string[]
  /** Every cell with its evidence. */
  readonly cells: Readonly<Record<string, Readonly<Partial<Record<IsolationLevel, AnomalyOutcome>>>>>
  /** Run time in ms. */
  readonly durationMs: number
}

/** The outcomes alone (what expectation files hold). */
export type MatrixOutcomes = Record<string, Partial<Record<IsolationLevel, OutcomeKind>>>

/** An expectation file: the matrix an engine version is known to give. */
export interface IsolationExpectation {
  readonly engine: string
  readonly version: string
  /** Where the expectation comes from (documentation, and the live run that verified it). */
  readonly source: string
  readonly matrix: MatrixOutcomes
}

/** Options of {@link runIsolationMatrix}. */
export interface MatrixOptions {
  /** Anomalies to run. Default: the whole catalogue. */
  readonly scenarios?: readonly AnomalyScenario[]
  /** Levels to run, in any spelling {@link parseIsolationLevel} takes. Default: all four. */
  readonly levels?: readonly IsolationLevelInput[]
  /** TiDB only: run every session in this transaction mode (default: the server's, pessimistic). */
  readonly transactionMode?: TransactionMode
}

/** Runs every anomaly at every level (one after another, each on a fresh table). */
export async function runIsolationMatrix(env: IsolationEnvironment & { readonly engine: string; readonly version: string }, options: MatrixOptions = {}): Promise<IsolationMatrix> {
  const startedAt = performance.now()
  const scenarios = options.scenarios ?? anomalyCatalogue
  const levels = (options.levels ?? isolationLevels).map(parseIsolationLevel)
  const cells: Record<string, Partial<Record<IsolationLevel, AnomalyOutcome>>> = {}
  for (const scenario of scenarios) {
    const row: Partial<Record<IsolationLevel, AnomalyOutcome>> = {}
    for (const level of levels) row[level] = await runAnomaly(scenario, level, env, options.transactionMode ? { transactionMode: options.transactionMode } : {})
    cells[scenario.id] = row
  }
  return { engine: env.engine, version: env.version, levels, anomalies: scenarios.map((s) => s.id), cells, durationMs: performance.now() - startedAt }
}

/** The outcomes of a matrix. */
export function matrixOutcomes(matrix: IsolationMatrix): MatrixOutcomes {
  return Object.fromEntries(matrix.anomalies.map((id) => [id, Object.fromEntries(matrix.levels.map((level) => [level, matrix.cells[id]?.[level]?.outcome]))]))
}

/** Cells where the matrix differs from the expectation, in words; empty when they agree. */
export function differencesFrom(matrix: IsolationMatrix, expectation: IsolationExpectation): string[] {
  const differences: string[] = []
  for (const id of matrix.anomalies) {
    for (const level of matrix.levels) {
      const expected = expectation.matrix[id]?.[level]
      const cell = matrix.cells[id]?.[level]
      if (expected === undefined) differences.push(`${id} at ${level}: no expectation (got ${cell?.outcome})`)
      else if (cell?.outcome !== expected) differences.push(`${id} at ${level}: expected ${expected}, got ${cell?.outcome} — ${cell?.evidence}`)
    }
  }
  return differences
}

/**
 * Reads the expectation for an engine and version (`<engine>-<major>.<minor>.json` in `folder`, or
 * `<engine>-<major>.<minor>-<mode>.json` for a TiDB transaction mode), if there is one.
 */
export async function loadExpectation(folder: string, engine: string, version: string, transactionMode?: TransactionMode): Promise<IsolationExpectation | undefined> {
  const [major, minor] = version.split('.')
  try {
    return JSON.parse(await readFile(join(folder, `${engine}-${major}.${minor}${transactionMode ? `-${transactionMode}` : ''}.json`), 'utf8')) as IsolationExpectation
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}
