import type { Connection, FieldPacket, QueryResult } from 'mysql2/promise'
import { needsReconnect, type Resilient } from './resilient.ts'

/**
 * A connection that survives what a connection can survive: each `query`/`execute` runs under a
 * {@link Resilient} wrapper, and after an error that needs a new connection (reset, lost, killed)
 * the next attempt opens one through `connect`.
 */
export class ResilientConnection implements AsyncDisposable {
  readonly #connect: () => Promise<Connection>
  readonly #resilient: Resilient
  #connection: Connection | undefined
  /** Connections opened so far (the first one included). */
  connections = 0

  constructor(connect: () => Promise<Connection>, resilient: Resilient) {
    this.#connect = connect
    this.#resilient = resilient
  }

  /** Runs `connection.query` with retries, reconnecting when needed. */
  query<T extends QueryResult>(sql: string, values?: unknown[]): Promise<[T, FieldPacket[]]> {
    return this.#run(sql, (connection) => connection.query<T>(sql, values))
  }

  /** Runs `connection.execute` (prepared statement) with retries, reconnecting when needed. */
  execute<T extends QueryResult>(sql: string, values?: unknown[]): Promise<[T, FieldPacket[]]> {
    return this.#run(sql, (connection) => connection.execute<T>(sql, values as never))
  }

  /** Closes the current connection. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.#connection?.destroy()
    this.#connection = undefined
  }

  #run<T>(sql: string, work: (connection: Connection) => Promise<T>): Promise<T> {
    return this.#resilient.execute(`query ${sql.length > 60 ? `${sql.slice(0, 60)}…` : sql}`, async () => {
      if (!this.#connection) {
        this.#connection = await this.#connect()
        this.connections++
      }
      try {
        return await work(this.#connection)
      } catch (error) {
        if (needsReconnect(error)) {
          this.#connection?.destroy()
          this.#connection = undefined
        }
        throw error
      }
    })
  }
}
