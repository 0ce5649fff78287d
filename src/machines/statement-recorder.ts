import type { Connection } from 'mysql2/promise'

/** One statement a state issued. */
export interface RecordedStatement {
  /** The SQL. */
  readonly sql: string
  /** When it started, in ms since the run began. */
  readonly startedAtMs: number
  /** How long it took, in ms (undefined while it runs). */
  durationMs?: number
  /** The error code or message, if it failed. */
  error?: string
}

/** Where a traced connection records statements: the current state's list. */
export interface StatementSink {
  /** Ms since the run began. */
  now(): number
  /** The list of the state that is running now. */
  current(): RecordedStatement[]
}

type Statement = (sql: unknown, values?: unknown) => Promise<unknown>

/**
 * A view of a connection that records every `query`/`execute` into the sink; everything else passes
 * through. The recorded calls return mysql2's own promise (the recording hangs off it), so a traced
 * statement costs the caller no extra promise hop.
 */
export function traceConnection(connection: Connection, sink: StatementSink): Connection {
  const query = recording(connection, connection.query as Statement | undefined, sink)
  const execute = recording(connection, connection.execute as Statement | undefined, sink)
  const bound = new Map<PropertyKey, unknown>()
  return new Proxy(connection, {
    get(target, property, receiver) {
      if (property === 'query') return query
      if (property === 'execute') return execute
      const value: unknown = Reflect.get(target, property, receiver)
      if (typeof value !== 'function') return value
      let wrapper = bound.get(property)
      if (!wrapper) bound.set(property, (wrapper = value.bind(target)))
      return wrapper
    },
  })
}

function recording(target: Connection, method: Statement | undefined, sink: StatementSink): Statement | undefined {
  if (typeof method !== 'function') return undefined
  return (sql, values) => {
    const text = typeof sql === 'string' ? sql : String((sql as { sql?: unknown } | undefined)?.sql ?? '')
    const statement: RecordedStatement = { sql: text, startedAtMs: sink.now() }
    sink.current().push(statement)
    const pending = method.call(target, sql, values)
    if (typeof pending?.then !== 'function') return pending
    pending.then(
      () => {
        statement.durationMs = sink.now() - statement.startedAtMs
      },
      (error: unknown) => {
        statement.durationMs = sink.now() - statement.startedAtMs
        statement.error = String((error as { code?: unknown }).code ?? (error as Error).message)
      },
    )
    return pending
  }
}

/** The statement of a list still running (no duration yet), if any. */
export function inFlight(statements: readonly RecordedStatement[]): RecordedStatement | undefined {
  return [...statements].reverse().find((s) => s.durationMs === undefined)
}
