import { tracingChannel, type TracingChannelSubscribers } from 'node:diagnostics_channel'
import { callingThread } from '../faults/driver/calling-thread.ts'
import type { LoggedStatement, StatementLog } from './statement-log.ts'

/** What mysql2 (>= 3.20) publishes on `mysql2:query` and `mysql2:execute`. */
interface StatementContext {
  readonly query?: unknown
  readonly values?: unknown
  readonly database?: unknown
  readonly result?: unknown
  readonly error?: unknown
}

// The one piece of module state of the statement logs, forced by the runtime: mysql2's tracing
// channels are process-wide, so one subscription per worker routes each statement to the log of
// the test whose database it went to — the rig's connections, and the app's and its ORM's alike.
const logsByDatabase = new Map<string, StatementLog>()
const entries = new WeakMap<object, LoggedStatement>()
let subscribed = false

/**
 * Sends every statement the driver runs in `database` to `log` until the returned function is
 * called (the test's end). Statements are matched by the database the connection is in, as mysql2
 * knows it: each test has a database of its own, so they are the test's.
 */
export function logStatementsOf(database: string, log: StatementLog): () => void {
  subscribe()
  logsByDatabase.set(database, log)
  return () => {
    if (logsByDatabase.get(database) === log) logsByDatabase.delete(database)
  }
}

function subscribe(): void {
  if (subscribed) return
  subscribed = true
  for (const method of ['query', 'execute'] as const) {
    const handlers: TracingChannelSubscribers<StatementContext> = {
      start(context) {
        const log = typeof context.database === 'string' ? logsByDatabase.get(context.database) : undefined
        if (log) entries.set(context, log.begin(method, String(context.query ?? ''), context.values, callingThread()))
      },
      // A callback-API statement answers through asyncStart; a promise or event one ends in asyncEnd.
      asyncStart: (context) => complete(context),
      asyncEnd: (context) => complete(context),
      error: (context) => complete(context),
      end() {},
    }
    tracingChannel<StatementContext>(`mysql2:${method}`).subscribe(handlers)
  }
}

function complete(context: StatementContext): void {
  const entry = entries.get(context)
  if (!entry || entry.durationMs !== undefined) return
  const log = typeof context.database === 'string' ? logsByDatabase.get(context.database) : undefined
  if (!log) {
    entry.durationMs = -1
    return
  }
  log.end(entry, context.result, context.error)
}
