import { Readable } from 'node:stream'
import type { FaultableMethod } from '../fault-controller.ts'
import { closesConnection, endsTransaction } from './fault-effects.ts'
import type { FaultSource } from './instrument-connection.ts'
import { defineMethod, statementOf, type CallStatement } from './call-shapes.ts'

/** A connection of the `mariadb` connector's promise API, as far as the faults touch it. */
export interface MariadbConnection {
  readonly threadId: number | null
  destroy(): void
  rollback(): Promise<unknown>
}

/** A pool of the `mariadb` connector's promise API, as far as the faults touch it. */
export interface MariadbPool {
  getConnection(): Promise<MariadbConnection>
  /** Closes the pool's connections. */
  end(): Promise<void>
  /** The pool's events; `connection` comes with each connection it opens. */
  on?(event: 'connection', listener: (connection: MariadbConnection) => void): unknown
}

/** The `mariadb` connector's promise API module (`import mariadb from 'mariadb'`), as far as the rig uses it. */
export interface MariadbModule {
  createConnection(config: object): Promise<MariadbConnection>
  createPool(config: object): MariadbPool
}

/** The methods of a `mariadb` promise connection that faults can fail, and the fault point each consults. */
const connectionMethods: Readonly<Record<string, FaultableMethod>> = {
  query: 'query',
  queryStream: 'query',
  execute: 'execute',
  batch: 'batch',
  prepare: 'prepare',
  beginTransaction: 'beginTransaction',
  commit: 'commit',
  rollback: 'rollback',
  ping: 'ping',
  reset: 'reset',
  changeUser: 'changeUser',
  end: 'end',
}

/** The statement methods of a `mariadb` pool: each runs on a connection the pool takes itself. */
const poolMethods: Readonly<Record<string, FaultableMethod>> = { query: 'query', execute: 'execute', batch: 'batch' }

/**
 * Told of each statement a connection or pool sends to the server (after the faults let it pass):
 * returns what to call with its answer or error, or undefined to keep nothing.
 */
export type StatementRecorder = (method: 'query' | 'execute', sql: string, params: unknown, threadId: number | undefined) => ((result: unknown, error: unknown) => void) | undefined

/** The methods whose calls are statements, and how a statement log names them. */
const statementMethods: Readonly<Partial<Record<FaultableMethod, 'query' | 'execute'>>> = { query: 'query', execute: 'execute', batch: 'execute' }

/** Where a connection goes, for connect faults. */
interface Target {
  readonly host?: string
  readonly port?: number
  readonly database?: string
  readonly user?: string
}

/**
 * The `mariadb` connector's promise API with the test's driver faults: its connections' and
 * pools' calls consult the faults before they run, as mysql2's do. A fault's error is raised
 * as the connector raises a server error (a rejected promise); an error with `fatal: true` closes
 * the connection; where the server would have ended the transaction (a deadlock, a TiDB write
 * conflict, a failed COMMIT, however it was sent) a ROLLBACK runs before the error is raised. A
 * refused connect fails `createConnection` and a pool's `getConnection`. `record`, when given, is
 * told of each statement (`query`, `execute`, `batch`) that goes to the server, and of its answer.
 */
export function instrumentedMariadb(driver: MariadbModule, source: FaultSource, record?: StatementRecorder): MariadbModule {
  const refused = (config: object): Error | undefined => {
    const controller = source()
    if (controller === undefined || controller.idle) return undefined
    const target = config as Target
    return controller.checkConnect({ host: target.host ?? 'localhost', port: target.port ?? 3306, database: target.database, user: target.user ?? 'root' })
  }
  return {
    async createConnection(config) {
      const error = refused(config)
      if (error) throw error
      return instrumentConnection(await driver.createConnection(config), source, record)
    },
    createPool(config) {
      const pool = driver.createPool(config)
      const getConnection = pool.getConnection.bind(pool)
      defineMethod(pool, 'getConnection', async () => {
        const error = refused(config)
        if (error) throw error
        return instrumentConnection(await getConnection(), source, record)
      })
      for (const [method, point] of Object.entries(poolMethods)) {
        const original = (pool as unknown as Record<string, unknown>)[method]
        if (typeof original !== 'function') continue
        defineMethod(pool, method, function (this: unknown, ...args: unknown[]) {
          const statement = statementOf(point, args)
          const error = decide(source, point, statement, null)
          if (error) return Promise.reject(error)
          return recorded(record, point, statement, null, () => (original as (...a: unknown[]) => unknown).apply(pool, args))
        })
      }
      return pool
    },
  }
}

/** Puts the faults in front of a connection's methods. */
function instrumentConnection<C extends MariadbConnection>(connection: C, source: FaultSource, record: StatementRecorder | undefined): C {
  const rollback = connection.rollback.bind(connection)
  for (const [method, point] of Object.entries(connectionMethods)) {
    const original = (connection as unknown as Record<string, unknown>)[method]
    if (typeof original !== 'function') continue
    defineMethod(connection, method, function (this: unknown, ...args: unknown[]) {
      const statement = statementOf(point, args)
      const error = decide(source, point, statement, connection.threadId)
      if (!error) return recorded(record, point, statement, connection.threadId, () => (original as (...a: unknown[]) => unknown).apply(connection, args))
      const raised = raise(connection, point, statement.sql, error, rollback)
      if (method !== 'queryStream') return raised
      // A stream is returned at once: the fault arrives as its error, as the connector's would.
      const stream = new Readable({ objectMode: true, read() {} })
      raised.catch((failure: unknown) => stream.destroy(failure as Error))
      return stream
    })
  }
  return connection
}

/** Runs a call, telling `record` of it when it is a statement. */
function recorded(record: StatementRecorder | undefined, point: FaultableMethod, { sql, params }: CallStatement, threadId: number | null, call: () => unknown): unknown {
  const method = record === undefined ? undefined : statementMethods[point]
  if (method === undefined) return call()
  const done = sql === undefined ? undefined : record?.(method, sql, params, threadId ?? undefined)
  const result = call()
  if (done === undefined) return result
  if (result instanceof Promise) result.then((answer: unknown) => done(answer, undefined), (error: unknown) => done(undefined, error))
  else if (result instanceof Readable) {
    // A query stream: its rows are not counted (a listener on them would start the flow).
    let ended = false
    const end = (error: unknown) => {
      if (!ended) done(undefined, error)
      ended = true
    }
    result.once('end', () => end(undefined)).once('error', end)
  }
  return result
}

/** The error the test's faults give this call, or undefined. */
function decide(source: FaultSource, point: FaultableMethod, { sql, params }: CallStatement, threadId: number | null): Error | undefined {
  const controller = source()
  if (controller === undefined || controller.idle) return undefined
  return controller.checkCall({ point, sql, params, threadId: threadId ?? undefined })
}

/** Raises a fault as the server's error would arrive: the connection closed when fatal, the transaction rolled back when it would have ended. */
async function raise(connection: MariadbConnection, point: FaultableMethod, sql: string | undefined, error: Error, rollback: () => Promise<unknown>): Promise<never> {
  const fault = { method: point, sql, error }
  if (closesConnection(fault)) connection.destroy()
  else if (endsTransaction(fault)) await rollback().catch(() => {})
  throw error
}

