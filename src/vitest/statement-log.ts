import type { StatementRecorder } from '../faults/driver/mariadb-calls.ts'

/** One statement a test's database received, as the driver saw it. */
export interface LoggedStatement {
  /** Position in the test's log, from 1 (counts every statement, also those the ring let go). */
  readonly index: number
  /** `query` or `execute` (a prepared statement). */
  readonly method: 'query' | 'execute'
  /** The SQL as sent (for `query`, with the parameters formatted in). */
  readonly sql: string
  /** The parameters given (for `execute`, and `query` with placeholders). */
  readonly params: unknown
  /** The server thread of the connection that sent it, when the rig instruments that connection (conn, rig.connect(), the rig's pools, intercept mode). */
  readonly threadId: number | undefined
  /** When it was sent, in ms since the test's start. */
  readonly atMs: number
  /** How long until its answer, in ms; undefined while it runs. */
  durationMs: number | undefined
  /** Rows a read returned. */
  rows: number | undefined
  /** Rows a write affected. */
  affected: number | undefined
  /** The server's (or driver's) error, when it failed. */
  error: { readonly code: string | undefined; readonly errno: number | undefined; readonly message: string } | undefined
  /** Sent by the rig itself (the rollback-mode transaction, its checks): not the test's. */
  readonly internal: boolean
}

/**
 * The statements of one test, newest last: a ring of the last `capacity` (older ones are let go,
 * but still counted), written by the driver's tracing channels and read when the test fails and
 * by the query matchers.
 */
export class StatementLog {
  readonly #capacity: number
  readonly #ring: LoggedStatement[] = []
  readonly #origin = performance.now()
  #next = 0
  #total = 0
  #internal = 0
  #listeners: ((entry: LoggedStatement) => void)[] = []

  constructor(capacity: number) {
    this.#capacity = Math.max(1, capacity)
  }

  /** Statements logged so far, the test's own (internal ones left out unless asked). */
  statements(options: { readonly internal?: boolean } = {}): LoggedStatement[] {
    const ordered = this.#ring.length < this.#capacity ? [...this.#ring] : [...this.#ring.slice(this.#next), ...this.#ring.slice(0, this.#next)]
    return options.internal ? ordered : ordered.filter((statement) => !statement.internal)
  }

  /** How many statements the test sent in all (internal ones not counted), also those the ring let go. */
  get total(): number {
    return this.#total
  }

  /** Milliseconds since the log was made (the test's start). */
  now(): number {
    return performance.now() - this.#origin
  }

  /** Records a statement being sent; returns its entry, to be completed by {@link end}. */
  begin(method: LoggedStatement['method'], sql: string, params: unknown, threadId: number | undefined): LoggedStatement {
    const internal = this.#internal > 0
    if (!internal) this.#total++
    const entry: LoggedStatement = { index: this.#total, method, sql, params, threadId, atMs: this.now(), durationMs: undefined, rows: undefined, affected: undefined, error: undefined, internal }
    if (this.#ring.length < this.#capacity) this.#ring.push(entry)
    else this.#ring[this.#next] = entry
    this.#next = (this.#next + 1) % this.#capacity
    return entry
  }

  /** Completes an entry with the answer (rows or result header) or the error. */
  end(entry: LoggedStatement, result: unknown, error: unknown): void {
    entry.durationMs = this.now() - entry.atMs
    if (error !== undefined && error !== null) {
      const { code, errno, message } = error as { code?: unknown; errno?: unknown; message?: unknown }
      entry.error = { code: typeof code === 'string' ? code : undefined, errno: typeof errno === 'number' ? errno : undefined, message: typeof message === 'string' ? message : String(error) }
    } else if (Array.isArray(result)) entry.rows = result.length
    else if (typeof (result as { affectedRows?: unknown } | null)?.affectedRows === 'number') entry.affected = (result as { affectedRows: number }).affectedRows
    for (const listener of this.#listeners) listener(entry)
  }

  /** This log as a recorder of the `mariadb` connector's statements (which publishes no tracing channel of its own). */
  readonly recorder: StatementRecorder = (method, sql, params, threadId) => {
    const entry = this.begin(method, sql, params, threadId)
    return (result, error) => this.end(entry, result, error)
  }

  /** Calls `listener` with every statement that ends from now on (before its caller hears the answer). */
  listen(listener: (entry: LoggedStatement) => void): void {
    this.#listeners.push(listener)
  }

  /** Runs `work` with the statements it sends marked as the rig's own. */
  async internal<T>(work: () => Promise<T>): Promise<T> {
    this.#internal++
    try {
      return await work()
    } finally {
      this.#internal--
    }
  }
}
