import type { MachineError } from './errors.ts'
import type { RecordedStatement } from './statement-recorder.ts'

/** One visit of a state: when, how long, what SQL it issued, where it went next. */
export interface TraceEntry {
  /** The state. */
  readonly state: string
  /** When it was entered, in ms since the run began. */
  readonly enteredAtMs: number
  /** How long enter, execute and exit took together, in ms. */
  durationMs: number
  /** Statements issued in this state, in order. */
  readonly statements: RecordedStatement[]
  /** Notes the handlers added. */
  readonly notes: string[]
  /** The state it went to, if any. */
  next?: string
  /** Set when the state took longer than the coordinator's blocked threshold (ms since the run began). */
  blockedAtMs?: number
  /** The error that ended the machine here. */
  error?: string
}

/** How a run ended. */
export type RunStatus = 'completed' | 'failed' | 'timed-out'

/** The outcome of `rig.run(machine)`: status, the states visited, the trace, the data, the error. */
export interface RunResult<Data> {
  /** The machine. */
  readonly machineId: string
  /** The session name (the machine id when run alone). */
  readonly session: string
  /** How it ended. */
  readonly status: RunStatus
  /** The state it ended in (final state, or where it failed). */
  readonly finalState: string
  /** States in the order visited (with repeats). */
  readonly visited: readonly string[]
  /** Every visit with timings and SQL. */
  readonly trace: readonly TraceEntry[]
  /** The data after the run. */
  readonly data: Data
  /** The error that ended it, if any. */
  readonly error?: MachineError
  /** Run time in ms. */
  readonly durationMs: number
  /** When the run began (epoch ms), to line several runs up. */
  readonly startedAt: number
  /** The machine as a Mermaid state diagram, with the transitions this run took. */
  toMermaid(): string
}

/** A readable trace: one line per state visit, statements indented below it. */
export function formatTrace(result: Pick<RunResult<unknown>, 'machineId' | 'session' | 'status' | 'trace' | 'durationMs'>): string {
  const lines = [`${result.session === result.machineId ? result.machineId : `${result.session} (${result.machineId})`}: ${result.status} in ${ms(result.durationMs)}`]
  for (const entry of result.trace) {
    const next = entry.next ? ` → ${entry.next}` : ''
    const blocked = entry.blockedAtMs === undefined ? '' : ` [blocked at ${ms(entry.blockedAtMs)}]`
    lines.push(`  ${ms(entry.enteredAtMs).padStart(9)}  ${entry.state} (${ms(entry.durationMs)})${blocked}${next}${entry.error ? `  ✗ ${entry.error}` : ''}`)
    for (const note of entry.notes) lines.push(`             # ${note}`)
    for (const statement of entry.statements) {
      const outcome = statement.error ? ` ✗ ${statement.error}` : statement.durationMs === undefined ? ' (still running)' : ` (${ms(statement.durationMs)})`
      lines.push(`             ${statement.sql}${outcome}`)
    }
  }
  return lines.join('\n')
}

function ms(value: number): string {
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`
}
