import { Readable } from 'node:stream'
import type { FaultableMethod } from '../fault-controller.ts'
import type { FaultSource } from './instrument-connection.ts'
import { defineMethod, statementOf } from './call-shapes.ts'
import { claim, connectionMethods, decide, raise, recorded, refusedConnect, type StatementRecorder } from './mariadb-calls.ts'

export type { StatementRecorder } from './mariadb-calls.ts'

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

/** A pool cluster of the `mariadb` connector's promise API, as far as the faults touch it. */
export interface MariadbPoolCluster {
  add(id: string, config: object): void
  getConnection(pattern?: string, selector?: string): Promise<MariadbConnection>
}

/** The `mariadb` connector's promise API module (`import mariadb from 'mariadb'`), as far as the rig uses it. */
export interface MariadbModule {
  createConnection(config: object): Promise<MariadbConnection>
  createPool(config: object): MariadbPool
  createPoolCluster?(options?: object): MariadbPoolCluster
}

/** The methods of a promise connection that faults can fail: its `queryStream` too (a fault is the stream's error). */
const promiseConnectionMethods: Readonly<Record<string, FaultableMethod>> = { ...connectionMethods, queryStream: 'query' }

/** The statement methods of a `mariadb` pool: each runs on a connection the pool takes itself. */
const poolMethods: Readonly<Record<string, FaultableMethod>> = { query: 'query', execute: 'execute', batch: 'batch' }

/**
 * The `mariadb` connector's promise API with the test's driver faults: its connections', pools'
 * and pool clusters' calls consult the faults before they run, as mysql2's do. A fault's error is
 * raised as the connector raises a server error (a rejected promise); an error with `fatal: true`
 * closes the connection; where the server would have ended the transaction (a deadlock, a TiDB
 * write conflict, a failed COMMIT, however it was sent) a ROLLBACK runs before the error is
 * raised. A refused connect fails `createConnection`, a pool's or cluster's `getConnection`, and
 * the connection a pool's own `query`, `execute` or `batch` borrows. `record`, when given, is told
 * of each statement (`query`, `execute`, `batch`, a prepared statement's `execute`) that goes to
 * the server, and of its answer.
 */
export function instrumentedMariadb<M extends MariadbModule>(driver: M, source: FaultSource, record?: StatementRecorder): M {
  const instrumentPool = <P extends MariadbPool>(pool: P, config: object): P => {
    if (!claim(pool)) return pool
    const getConnection = pool.getConnection.bind(pool)
    defineMethod(pool, 'getConnection', async () => {
      const error = refusedConnect(source, config)
      if (error) throw error
      return instrumentConnection(await getConnection(), source, record)
    })
    for (const [method, point] of Object.entries(poolMethods)) {
      const original = (pool as unknown as Record<string, unknown>)[method]
      if (typeof original !== 'function') continue
      defineMethod(pool, method, function (this: unknown, ...args: unknown[]) {
        const statement = statementOf(point, args)
        // The pool borrows a connection first: a connect fault meets that borrow.
        const error = refusedConnect(source, config) ?? decide(source, point, statement, null)
        if (error) return Promise.reject(error)
        return recorded(record, point, statement, null, () => (original as (...a: unknown[]) => unknown).apply(pool, args))
      })
    }
    return pool
  }
  const instrumented: MariadbModule = {
    async createConnection(config) {
      const error = refusedConnect(source, config)
      if (error) throw error
      return instrumentConnection(await driver.createConnection(config), source, record)
    },
    createPool(config) {
      return instrumentPool(driver.createPool(config), config)
    },
    ...(driver.createPoolCluster === undefined ? {} : {
      createPoolCluster(options?: object) {
        const cluster = (driver.createPoolCluster as NonNullable<MariadbModule['createPoolCluster']>)(options)
        if (!claim(cluster)) return cluster
        const nodes = new Map<string, object>()
        const add = cluster.add.bind(cluster)
        defineMethod(cluster, 'add', (id: string | object, config?: object) => {
          nodes.set(typeof id === 'string' ? id : `#${nodes.size}`, (typeof id === 'string' ? config : id) ?? {})
          add(id as string, config as object)
        })
        const getConnection = cluster.getConnection.bind(cluster)
        // `of(pattern)` gives a view whose calls borrow through this method too.
        defineMethod(cluster, 'getConnection', async (pattern?: string, selector?: string) => {
          const first = [...nodes].find(([id]) => pattern === undefined || new RegExp(pattern).test(id))
          const error = refusedConnect(source, first?.[1] ?? {})
          if (error) throw error
          return instrumentConnection(await getConnection(pattern, selector), source, record)
        })
        return cluster
      },
    }),
  }
  return { ...driver, ...instrumented }
}

/** Puts the faults in front of a connection's methods. */
function instrumentConnection<C extends MariadbConnection>(connection: C, source: FaultSource, record: StatementRecorder | undefined): C {
  if (!claim(connection)) return connection
  const rollback = connection.rollback.bind(connection)
  for (const [method, point] of Object.entries(promiseConnectionMethods)) {
    const original = (connection as unknown as Record<string, unknown>)[method]
    if (typeof original !== 'function') continue
    defineMethod(connection, method, function (this: unknown, ...args: unknown[]) {
      const statement = statementOf(point, args)
      const error = decide(source, point, statement, connection.threadId)
      if (!error && method === 'prepare') return ((original as (...a: unknown[]) => Promise<object>).apply(connection, args)).then((prepared) => instrumentPrepared(prepared, statement.sql, connection, source, record, rollback))
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


/** Puts the faults in front of a prepared statement's `execute` (point `execute`, the prepared SQL). */
function instrumentPrepared<P extends object>(prepared: P, sql: string | undefined, connection: MariadbConnection, source: FaultSource, record: StatementRecorder | undefined, rollback: () => Promise<unknown>): P {
  const execute = (prepared as { execute?: unknown }).execute
  if (typeof execute !== 'function' || !claim(prepared)) return prepared
  defineMethod(prepared, 'execute', (...args: unknown[]) => {
    const statement = { sql, params: args[0] }
    const error = decide(source, 'execute', statement, connection.threadId)
    if (error) return raise(connection, 'execute', sql, error, rollback)
    return recorded(record, 'execute', statement, connection.threadId, () => (execute as (...a: unknown[]) => unknown).apply(prepared, args))
  })
  return prepared
}
