import { Readable } from 'node:stream'
import type { FaultableMethod } from '../fault-controller.ts'
import { defineMethod, statementOf, type CallStatement } from './call-shapes.ts'
import type { FaultSource } from './instrument-connection.ts'
import { claim, connectionMethods, decide, instrumentedObjects, raise, recorded, refusedConnect, statementMethods, type StatementRecorder } from './mariadb-calls.ts'

/** A connection of the `mariadb` connector's callback API, as far as the faults touch it. */
export interface MariadbCallbackConnection {
  readonly threadId: number | null
  destroy(): void
  rollback(callback: (error: Error | null) => void): void
}

/** A pool of the `mariadb` connector's callback API, as far as the faults touch it. */
export interface MariadbCallbackPool {
  getConnection(callback: (error: Error | null, connection?: MariadbCallbackConnection) => void): void
  end(callback: (error: Error | null) => void): void
  on?(event: 'connection', listener: (connection: MariadbCallbackConnection) => void): unknown
}

/** A pool cluster of the `mariadb` connector's callback API, as far as the faults touch it. */
export interface MariadbCallbackPoolCluster {
  add(id: string, config: object): void
  getConnection(...args: unknown[]): void
}

/** The `mariadb` connector's callback API module (`import mariadb from 'mariadb/callback'`), as far as the rig uses it. */
export interface MariadbCallbackModule {
  createConnection(config: object | string): MariadbCallbackConnection
  createPool(config: object): MariadbCallbackPool
  createPoolCluster?(options?: object): MariadbCallbackPoolCluster
}

type Callback = (error: Error | null, ...results: unknown[]) => void

/**
 * The `mariadb` connector's callback API with the test's driver faults, with the promise API's
 * semantics (see `instrumentedMariadb`): a fault's error reaches the call's callback on a later
 * tick, as the server's would; fatal ones close the connection first, ones that end a transaction
 * roll it back first. A refused connect goes through the connector's own `stream` option, so the
 * connection fails to connect as it would on a refused socket (`connect(callback)` and its `error`
 * event get the fault's error); a pool's or cluster's `getConnection` and the connection a pool's
 * own `query`, `execute` or `batch` borrows get it in their callback. `queryStream` faults arrive
 * as the stream's error.
 */
export function instrumentedMariadbCallback<M extends MariadbCallbackModule>(driver: M, source: FaultSource, record?: StatementRecorder): M {
  const instrumentPool = <P extends object>(pool: P, config: object, borrow: string): P => {
    if (!claim(pool)) return pool
    const getConnection = (pool as Record<string, unknown>)[borrow] as (...args: unknown[]) => void
    defineMethod(pool, borrow, (...args: unknown[]) => {
      const callback = args.at(-1) as Callback
      const error = refusedConnect(source, configOf(config, args))
      if (error) return later(callback, error)
      getConnection.apply(pool, [...args.slice(0, -1), (failure: Error | null, connection?: MariadbCallbackConnection) => callback(failure, connection && instrumentConnection(connection, source, record))])
    })
    for (const [method, point] of Object.entries({ query: 'query', execute: 'execute', batch: 'batch' } as const)) {
      const original = (pool as Record<string, unknown>)[method]
      if (typeof original !== 'function') continue
      defineMethod(pool, method, (...args: unknown[]) => {
        const statement = statementOf(point, args)
        const error = refusedConnect(source, config) ?? decide(source, point, statement, null)
        if (error) return later(callbackOf(args), error)
        return callRecorded(record, point, statement, null, args, (next) => (original as (...a: unknown[]) => unknown).apply(pool, next))
      })
    }
    return pool
  }
  const instrumented: MariadbCallbackModule = {
    createConnection(config) {
      const error = refusedConnect(source, config)
      // The connector's own path for a socket that could not be opened.
      // (A moment later, as a socket refuses: `connect(callback)` called now still hears it.)
      // A connection string is read into options first (the connector's own parser), to add the stream.
      const base = typeof config === 'string' ? ((driver as { defaultOptions?: (url: string) => object }).defaultOptions?.(config) ?? {}) : config
      const options = error ? { ...base, stream: (opened: (failure: Error) => void) => void setImmediate(opened, error) } : config
      return instrumentConnection(driver.createConnection(options), source, record)
    },
    createPool(config) {
      return instrumentPool(driver.createPool(config), config, 'getConnection')
    },
    ...(driver.createPoolCluster === undefined ? {} : {
      createPoolCluster(options?: object) {
        const cluster = (driver.createPoolCluster as NonNullable<MariadbCallbackModule['createPoolCluster']>)(options)
        if (instrumentedObjects.has(cluster)) return cluster
        const nodes = new Map<string, object>()
        const add = cluster.add.bind(cluster)
        defineMethod(cluster, 'add', (id: string | object, config?: object) => {
          nodes.set(typeof id === 'string' ? id : `#${nodes.size}`, (typeof id === 'string' ? config : id) ?? {})
          add(id as string, config as object)
        })
        instrumentPool(cluster, { nodes }, 'getConnection')
        // The connector's `of(pattern)` view borrows from the cluster inside, past this one's
        // getConnection: the view is made here instead, borrowing through it.
        defineMethod(cluster, 'of', (pattern?: string, selector?: string) => filteredView(cluster, pattern, selector))
        return cluster
      },
    }),
  }
  return { ...driver, ...instrumented }
}

/** A pool cluster's view of the nodes matching `pattern`, as the connector's `of()` gives it, borrowing through the cluster's (instrumented) getConnection. */
function filteredView(cluster: MariadbCallbackPoolCluster, pattern: string | undefined, selector: string | undefined): object {
  const borrow = (callback: (error: Error | null, connection?: Record<string, unknown>) => void) => cluster.getConnection(pattern, selector, callback)
  const run = (method: string) => (sql: unknown, values?: unknown, maybeCallback?: Callback) => {
    const callback = (typeof values === 'function' ? values : maybeCallback) as Callback | undefined
    const args = typeof values === 'function' || values === undefined ? [sql] : [sql, values]
    borrow((error, connection) => {
      if (error || !connection) return callback?.(error)
      ;(connection[method] as (...a: unknown[]) => void)(...args, (failure: Error | null, ...results: unknown[]) => {
        ;(connection.release as (done?: () => void) => void)(() => {})
        callback?.(failure, ...results)
      })
    })
  }
  return { getConnection: borrow, query: run('query'), execute: run('execute'), batch: run('batch') }
}

/** The config a borrow connects with: a cluster's node matching the pattern, else the pool's. */
function configOf(config: object, args: readonly unknown[]): object {
  const nodes = (config as { nodes?: Map<string, object> }).nodes
  if (nodes === undefined) return config
  const pattern = typeof args[0] === 'string' ? args[0] : undefined
  return [...nodes].find(([id]) => pattern === undefined || new RegExp(pattern).test(id))?.[1] ?? {}
}

/** Puts the faults in front of a callback connection's methods. */
function instrumentConnection<C extends MariadbCallbackConnection>(connection: C, source: FaultSource, record: StatementRecorder | undefined): C {
  if (!claim(connection)) return connection
  const rollback = () => new Promise<void>((resolve) => connection.rollback(() => resolve()))
  for (const [method, point] of Object.entries(connectionMethods)) {
    const original = (connection as unknown as Record<string, unknown>)[method]
    if (typeof original !== 'function') continue
    defineMethod(connection, method, (...args: unknown[]) => {
      const statement = statementOf(point, args)
      const error = decide(source, point, statement, connection.threadId)
      if (error) {
        const callback = callbackOf(args)
        const raised = raise(connection, point, statement.sql, error, rollback)
        if (callback !== undefined || method !== 'query') {
          raised.catch((failure: Error) => callback?.(failure))
          return undefined
        }
        // A query without a callback returns its command, an emitter: the fault is its error.
        const command = new Readable({ objectMode: true, read() {} })
        raised.catch((failure: Error) => command.destroy(failure))
        return command
      }
      return callRecorded(record, point, statement, connection.threadId, args, (next) => (original as (...a: unknown[]) => unknown).apply(connection, next))
    })
  }
  const queryStream = (connection as unknown as Record<string, unknown>).queryStream
  if (typeof queryStream === 'function') {
    defineMethod(connection, 'queryStream', (...args: unknown[]) => {
      const statement = statementOf('query', args)
      const error = decide(source, 'query', statement, connection.threadId)
      if (!error) return recorded(record, 'query', statement, connection.threadId, () => (queryStream as (...a: unknown[]) => unknown).apply(connection, args))
      // A stream is returned at once: the fault arrives as its error, as the connector's would.
      const stream = new Readable({ objectMode: true, read() {} })
      raise(connection, 'query', statement.sql, error, rollback).catch((failure: Error) => stream.destroy(failure))
      return stream
    })
  }
  return connection
}

/** Runs a callback call, telling `record` of it (and, through its callback, of its answer) when it is a statement. */
function callRecorded(record: StatementRecorder | undefined, point: FaultableMethod, { sql, params }: CallStatement, threadId: number | null, args: readonly unknown[], call: (args: unknown[]) => unknown): unknown {
  const method = record === undefined ? undefined : statementMethods[point]
  const done = method === undefined || sql === undefined ? undefined : record?.(method, sql, params, threadId ?? undefined)
  if (done === undefined) return call([...args])
  const callback = callbackOf(args)
  if (callback === undefined) {
    // No callback: the connector returns the command, an emitter that ends or fails.
    const command = call([...args]) as { once?: (event: string, listener: (error?: unknown) => void) => unknown } | undefined
    command?.once?.('end', () => done(undefined, undefined))
    command?.once?.('error', (error) => done(undefined, error))
    return command
  }
  return call([...args.slice(0, -1), (error: Error | null, ...results: unknown[]) => {
    done(results[0], error ?? undefined)
    callback(error, ...results)
  }])
}

/** The call's callback: its last argument when that is a function. */
function callbackOf(args: readonly unknown[]): Callback | undefined {
  const last = args.at(-1)
  return typeof last === 'function' ? (last as Callback) : undefined
}

/** Calls `callback` with `error` on a later tick, as the connector answers. */
function later(callback: Callback | undefined, error: Error): undefined {
  if (callback) process.nextTick(callback, error)
  return undefined
}
