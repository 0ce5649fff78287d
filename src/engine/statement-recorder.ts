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

const traced = new Set(['query', 'execute'])

/** A view of a connection that records every `query`/`execute` into the sink; everything else passes through. */
export function traceConnection(connection: Connection, sink: StatementSink): Connection {
  const wrappers = new Map<PropertyKey, unknown>()
  return new Proxy(connection, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver)
      if (typeof value !== 'function') return value
      const cached = wrappers.get(property)
      if (cached) return cached
      const wrapper = typeof property === 'string' && traced.has(property) ? recording(target, value as (...a: unknown[]) => Promise<unknown>, sink) : value.bind(target)
      wrappers.set(property, wrapper)
      return wrapper
    },
  })
}

function recording(target: Connection, method: (...args: unknown[]) => Promise<unknown>, sink: StatementSink): (...args: unknown[]) => Promise<unknown> {
  return (...args: unknown[]) => {
    const first = args[0]
    const sql = typeof first === 'string' ? first : String((first as { sql?: unknown } | undefined)?.sql ?? '')
    const statement: RecordedStatement = { sql, startedAtMs: sink.now() }
    sink.current().push(statement)
    return method.apply(target, args).then(
      (result) => {
        statement.durationMs = sink.now() - statement.startedAtMs
        return result
      },
      (error: unknown) => {
        statement.durationMs = sink.now() - statement.startedAtMs
        statement.error = String((error as { code?: unknown }).code ?? (error as Error).message)
        throw error
      },
    )
  }
}

/** The statement of a list still running (no duration yet), if any. */
export function inFlight(statements: readonly RecordedStatement[]): RecordedStatement | undefined {
  return [...statements].reverse().find((s) => s.durationMs === undefined)
}
