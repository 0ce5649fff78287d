import type { Connection, RowDataPacket } from 'mysql2/promise'
import type { CoordinatedRun, CoordinateOptions, OrderStep, Sessions } from '../../machines/coordinator.ts'
import { sqlSession, type SqlStep, type StepOutcome } from '../../machines/sql-session.ts'
import { classifyError } from '../../resilience/classify.ts'
import type { EngineCapabilities } from '../../server/engine.ts'
import type { AnomalyScenario, Observation } from './anomaly.ts'
import { parseIsolationLevel, readIsolationSql, setIsolationSql, type IsolationLevel, type IsolationLevelInput } from './levels.ts'

/** How an anomaly fared at a level. */
export type OutcomeKind = 'anomaly' | 'prevented:blocked' | 'prevented:aborted' | 'prevented:consistent' | 'unsupported' | 'error'

/** The outcome of one anomaly at one level, with what decided it. */
export interface AnomalyOutcome {
  readonly anomaly: string
  readonly level: IsolationLevel
  readonly outcome: OutcomeKind
  /** What the sessions saw, in words. */
  readonly evidence: string
  /** Server errors the sessions got (e.g. `T2: ER_LOCK_DEADLOCK`). */
  readonly errors: readonly string[]
  /** Steps recorded as blocked (`T2:step3`). */
  readonly blocked: readonly string[]
  /** Run time in ms. */
  readonly durationMs: number
}

/** What running anomalies needs from the rig. */
export interface IsolationEnvironment {
  /** What the server can do (the isolation variable's name). */
  readonly capabilities: EngineCapabilities
  /** A new connection into the test's database. */
  connect(): Promise<Connection>
  /** Runs sessions on connections of their own. */
  coordinate<S extends Sessions>(options: Omit<CoordinateOptions<S>, 'connect'>): Promise<CoordinatedRun<S>>
  /** Blocked threshold in ms. Default 150. */
  readonly blockedAfterMs?: number
  /** Timeout of each session in ms. Default 20 000. */
  readonly timeoutMs?: number
}

/** TiDB's transaction modes: pessimistic (its default: locks as it goes) or optimistic (conflicts found at commit). */
export type TransactionMode = 'pessimistic' | 'optimistic'

/** How to run an anomaly beyond the level. */
export interface AnomalyRunOptions {
  /** TiDB only: the sessions' `tidb_txn_mode`; unset keeps the server's default. */
  readonly transactionMode?: TransactionMode
}

/** Runs one anomaly at one level on a fresh `test` table and decides its outcome from what the sessions saw. */
export async function runAnomaly(scenario: AnomalyScenario, levelInput: IsolationLevelInput, env: IsolationEnvironment, options: AnomalyRunOptions = {}): Promise<AnomalyOutcome> {
  const level = parseIsolationLevel(levelInput)
  const startedAt = performance.now()
  const done = (outcome: OutcomeKind, evidence: string, errors: string[] = [], blocked: string[] = []): AnomalyOutcome =>
    ({ anomaly: scenario.id, level, outcome, evidence, errors, blocked, durationMs: performance.now() - startedAt })
  const admin = await env.connect()
  try {
    try {
      await admin.query(setIsolationSql(env.capabilities, level))
    } catch (error) {
      return done('unsupported', `the server refused the level: ${(error as Error).message}`)
    }
    await admin.query('DROP TABLE IF EXISTS test')
    await admin.query('CREATE TABLE test (id INT PRIMARY KEY, value INT)')
    const rows = scenario.rows ?? [[1, 10], [2, 20]]
    await admin.query(`INSERT INTO test VALUES ${rows.map(() => '(?, ?)').join(', ')}`, rows.flat())

    const names = [...new Set(scenario.steps.map(([session]) => session))]
    const stepNames = scenario.steps.map(([, , label], index) => label ?? `step${index + 1}`)
    const sessions = Object.fromEntries(names.map((session) => {
      const steps: SqlStep[] = [
        { name: 'isolation', sql: setIsolationSql(env.capabilities, level) },
        { name: 'check-isolation', sql: readIsolationSql(env.capabilities) },
        { name: 'lock-timeout', sql: 'SET SESSION innodb_lock_wait_timeout = 5' },
        ...(options.transactionMode ? [{ name: 'transaction-mode', sql: `SET SESSION tidb_txn_mode = '${options.transactionMode}'` }] : []),
        ...scenario.steps.flatMap(([owner, sql], index) => (owner === session ? [{ name: stepNames[index] as string, sql }] : [])),
      ]
      return [session, sqlSession(session, steps)]
    }))
    const run = await env.coordinate({
      sessions,
      order: scenario.steps.map(([session], index): OrderStep => `${session}:${stepNames[index]}`),
      blockedAfterMs: env.blockedAfterMs ?? 150,
      timeoutMs: env.timeoutMs ?? 20_000,
    })
    const blocked = run.blockedSteps.map((step) => `${step.session}:${step.state}`)
    const failed = Object.values(run.sessions).find((session) => session.status !== 'completed')
    if (failed) return done('error', `session ${failed.session} did not finish: ${failed.error?.message ?? failed.status}`, [], blocked)

    const outcomes = new Map<string, StepOutcome>()
    const bySession = new Map<string, StepOutcome[]>()
    for (const [session, result] of Object.entries(run.sessions)) {
      const data = result.data
      bySession.set(session, data.outcomes)
      for (const outcome of data.outcomes) outcomes.set(outcome.step, outcome)
    }
    for (const [session, list] of bySession) {
      const actual = String(list.find((o) => o.step === 'check-isolation')?.rows?.[0]?.level ?? '').replace(/-/g, ' ')
      if (actual !== level) return done('error', `session ${session} runs at ${actual || 'an unknown level'}, not ${level}`)
    }
    const [finalRows] = await admin.query<RowDataPacket[]>('SELECT id, value FROM test ORDER BY id')
    const observation = observe(outcomes, bySession, new Map(finalRows.map((row) => [Number(row.id), Number(row.value)])))
    const verdict = scenario.decide(observation)
    const errors = [...bySession].flatMap(([session, list]) => list.flatMap((o) => (o.error ? [`${session}: ${o.error.code}`] : [])))
    if (verdict.anomaly) return done('anomaly', verdict.evidence, errors, blocked)
    const aborted = [...bySession.values()].some((list) => list.some((o) => o.error && classifyError({ code: o.error.code, errno: o.error.errno }).recovery === 'retry-transaction'))
    return done(aborted ? 'prevented:aborted' : blocked.length > 0 ? 'prevented:blocked' : 'prevented:consistent', verdict.evidence, errors, blocked)
  } finally {
    await admin.query('DROP TABLE IF EXISTS test').catch(() => {})
    admin.destroy()
  }
}

function observe(outcomes: ReadonlyMap<string, StepOutcome>, bySession: ReadonlyMap<string, readonly StepOutcome[]>, final: ReadonlyMap<number, number>): Observation {
  const step = (label: string) => {
    const found = outcomes.get(label)
    if (!found) throw new Error(`no step labelled "${label}"`)
    return found
  }
  return {
    value: (label) => {
      const rows = step(label).rows
      if (!rows || rows.length === 0) return null
      const value = rows[0]?.value
      return value === null || value === undefined ? null : Number(value)
    },
    rows: (label) => step(label).rows ?? [],
    affected: (label) => step(label).affectedRows ?? 0,
    committed: (session) => {
      const list = bySession.get(session) ?? []
      const commit = [...list].reverse().find((o) => /^\s*COMMIT\b/i.test(o.sql))
      return commit !== undefined && !commit.error && !commit.skipped
    },
    final,
  }
}
