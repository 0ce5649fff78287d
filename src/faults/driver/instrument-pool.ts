import { instrumentCoreConnection, type FaultSource } from './instrument-connection.ts'
import type { CoreConnection, CorePool, CorePoolCluster } from './mysql2-internals.ts'
import { defineMethod } from './call-shapes.ts'

/** Where a pool's connect faults are checked: the details of the server it connects to. */
export interface PoolTarget {
  /** Server host. */
  readonly host: string
  /** Server port. */
  readonly port: number
  /** User. */
  readonly user: string
  /** Database the pool's connections use. */
  readonly database: string | undefined
}

const instrumented = new WeakSet<object>()

type Acquired = (error: Error | null, connection?: CoreConnection) => void

/**
 * Lets faults fail a mysql2 pool of the callback API (and the promise pool that wraps it): a
 * connect fault fails the next acquisition of a connection (the app's `getConnection`, or the one
 * inside `pool.query`/`pool.execute`), raised through its callback; a `getConnection` fault fails
 * the app's own `getConnection`; every connection the pool hands out is instrumented, so method
 * faults reach `pool.query` as well as a borrowed connection.
 */
export function instrumentCorePool<P extends CorePool>(pool: P, source: FaultSource, target: PoolTarget = poolTarget(pool)): P {
  if (instrumented.has(pool)) return pool
  instrumented.add(pool)
  const getConnection = pool.getConnection
  // pool.query and pool.execute borrow a connection themselves: that is a connect, not the app's getConnection.
  let borrowing = 0
  defineMethod(pool, 'getConnection', function (this: unknown, callback: Acquired) {
    const controller = source()
    if (controller !== undefined && !controller.idle) {
      const refused = controller.checkConnect(target) ?? (borrowing === 0 ? controller.checkCall({ point: 'getConnection', sql: undefined, params: undefined, threadId: undefined }) : undefined)
      if (refused) {
        setImmediate(callback, refused)
        return
      }
    }
    getConnection.call(this, (error, connection) => callback(error, connection && instrumentCoreConnection(connection, source)))
  })
  for (const method of ['query', 'execute'] as const) {
    const original = (pool as unknown as Record<string, unknown>)[method]
    if (typeof original !== 'function') continue
    defineMethod(pool, method, function (this: unknown, ...args: unknown[]) {
      borrowing++
      try {
        return (original as (...a: unknown[]) => unknown).apply(this, args)
      } finally {
        borrowing--
      }
    })
  }
  return pool
}

/**
 * Lets faults reach the connections of a mysql2 pool cluster (callback API). Every way into the
 * cluster (`cluster.getConnection`, `cluster.of(…).query/execute/getConnection`) borrows through
 * its one internal `_getConnection(node, callback)`: the hook instruments the node's pool there,
 * so faults fail its acquisitions as a refused connect would (the cluster counts the error
 * against the node, as it does for real ones).
 */
export function instrumentCorePoolCluster<C extends CorePoolCluster>(cluster: C, source: FaultSource): C {
  if (instrumented.has(cluster)) return cluster
  instrumented.add(cluster)
  const borrow = (cluster as unknown as Record<string, unknown>)._getConnection
  if (typeof borrow !== 'function') throw new TypeError('this mysql2 version has no PoolCluster._getConnection, so its pool clusters cannot get driver faults (mysql2 3.x has it); use pools instead')
  defineMethod(cluster, '_getConnection', function (this: unknown, node: { pool?: CorePool }, callback: Acquired) {
    if (node.pool) instrumentCorePool(node.pool, source, poolTarget(node.pool))
    return (borrow as (node: unknown, callback: Acquired) => unknown).call(this, node, callback)
  })
  return cluster
}

/** The server a mysql2 pool connects to, read from its resolved config. */
export function poolTarget(pool: CorePool): PoolTarget {
  const config = (pool as unknown as { config?: { connectionConfig?: Record<string, unknown> } }).config?.connectionConfig ?? {}
  return {
    host: String(config.host ?? 'localhost'),
    port: Number(config.port ?? 3306),
    user: String(config.user ?? ''),
    database: typeof config.database === 'string' ? config.database : undefined,
  }
}
