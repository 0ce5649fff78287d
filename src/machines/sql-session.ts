import { classifyError } from '../resilience/classify.ts'
import { lookupError } from '../resilience/error-codes.ts'
import { defineMachine, type Machine, type StateHandler } from './machine.ts'

/** One step of an SQL session: a statement, optionally named and with parameters. */
export type SqlStep = string | { readonly name: string; readonly sql: string; readonly params?: readonly unknown[] }

/** What one step of an SQL session saw. */
export interface StepOutcome {
  /** Step (state) name. */
  readonly step: string
  /** The statement. */
  readonly sql: string
  /** Rows returned, for reads. */
  readonly rows?: readonly Record<string, unknown>[]
  /** Rows changed, for writes. */
  readonly affectedRows?: number
  /** The server's error, e.g. a deadlock: recorded, and the session goes on (the server rolled back). */
  readonly error?: { readonly code: string; readonly errno: number | undefined; readonly message: string }
  /** Why the step did not run: its transaction had been aborted by an earlier error. */
  readonly skipped?: string
}

/** Data of an SQL session: every step's outcome, by step name. */
export interface SqlSessionData {
  /** Outcomes in the order the steps ran. */
  readonly outcomes: StepOutcome[]
  /** Set while the session's transaction has been aborted by an error (until its COMMIT or ROLLBACK). */
  aborted?: string
}

const endsTransaction = /^\s*(COMMIT|ROLLBACK)\b/i

/**
 * A machine that runs statements one per state (`s1`, `s2`, … unless named), for interleavings
 * written as SQL. A failing statement is recorded as the step's outcome, not a crash: deadlocks and
 * lock-wait timeouts are results to assert on. After an error that ends the transaction, the
 * transaction's remaining statements are skipped and its COMMIT becomes a ROLLBACK.
 */
export function sqlSession(id: string, steps: readonly SqlStep[]): Machine<SqlSessionData> {
  const named = steps.map((step, index) => (typeof step === 'string' ? { name: `s${index + 1}`, sql: step, params: undefined } : { params: undefined, ...step }))
  const states: Record<string, StateHandler<SqlSessionData>> = {}
  named.forEach((step, index) => {
    const next = named[index + 1]?.name ?? 'done'
    states[step.name] = {
      next: [next],
      async execute({ conn, data }) {
        if (data.aborted) {
          // The server ended the transaction (deadlock, conflict): its other statements do not run;
          // its COMMIT becomes a ROLLBACK, which releases what the transaction still holds.
          if (endsTransaction.test(step.sql)) {
            await conn.query('ROLLBACK').catch(() => {})
            data.aborted = undefined
          }
          data.outcomes.push({ step: step.name, sql: step.sql, skipped: 'transaction aborted by an earlier error' })
          return next
        }
        try {
          const [result] = await conn.query(step.sql, step.params as unknown[] | undefined)
          data.outcomes.push(Array.isArray(result)
            ? { step: step.name, sql: step.sql, rows: result as Record<string, unknown>[] }
            : { step: step.name, sql: step.sql, affectedRows: (result as { affectedRows?: number }).affectedRows ?? 0 })
        } catch (error) {
          const { errno, message } = error as { errno?: number; message: string }
          // mysql2 knows MySQL's names only: TiDB's codes (9007, 8048, …) get theirs from the rig's table.
          const code = errorName(error)
          data.outcomes.push({ step: step.name, sql: step.sql, error: { code, errno, message } })
          if (classifyError(error).recovery === 'retry-transaction' && !endsTransaction.test(step.sql)) data.aborted = code
        }
        return next
      },
    }
  })
  states.done = { final: true }
  return defineMachine<SqlSessionData>({ id, initial: named[0]?.name ?? 'done', states, data: () => ({ outcomes: [] }) })
}

/** The error's name: mysql2's code when it knows one, else the rig's name for the errno, else `ERROR`. */
function errorName(error: unknown): string {
  const { code, errno } = error as { code?: string; errno?: number }
  if (code !== undefined && code !== 'ERROR' && !/^ER_UNKNOWN/.test(code)) return code
  return lookupError(errno, undefined)?.code ?? code ?? 'ERROR'
}
