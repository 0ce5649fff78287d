import { Duplex } from 'node:stream'
import type { Connection as CallbackConnection, ConnectionOptions, Pool as CallbackPool, PoolCluster, PoolClusterOptions, PoolOptions } from 'mysql2'
import type { Connection as PromiseConnection, Pool as PromisePool } from 'mysql2/promise'
import { instrumentCoreConnection, type FaultSource } from './instrument-connection.ts'
import { instrumentCorePool, instrumentCorePoolCluster } from './instrument-pool.ts'
import type { CoreConnection, CoreDriver } from './mysql2-internals.ts'
import { withDriverOptions } from './driver-options.ts'

/** mysql2's callback-API factories (`import mysql from 'mysql2'`), with driver faults. */
export interface CallbackFactories {
  /** Like `mysql.createConnection`: a URL or options; connect faults arrive as a refused connect would. */
  createConnection(config: string | ConnectionOptions): CallbackConnection
  /** Like `mysql.createPool`: a URL or options. Usable as Kysely's and Knex's pool. */
  createPool(config: string | PoolOptions): CallbackPool
  /** Like `mysql.createPoolCluster`. */
  createPoolCluster(config?: PoolClusterOptions): PoolCluster
}

/** mysql2's promise-API factories (`import mysql from 'mysql2/promise'`), with driver faults. */
export interface PromiseFactories {
  /** Like `mysql.createConnection`: a URL or options. */
  createConnection(config: string | ConnectionOptions): Promise<PromiseConnection>
  /** Like `mysql.createPool`: a URL or options. */
  createPool(config: string | PoolOptions): PromisePool
}

/**
 * mysql2's factories over `core` (the callback-API module) whose connections, pools and pool
 * clusters consult `source` for driver faults at every call. The promise factories wrap the same
 * instrumented objects the way `mysql2/promise` does, so both APIs see the same faults.
 */
export function instrumentedMysql(core: CoreDriver, source: FaultSource): { callback: CallbackFactories; promise: PromiseFactories } {
  const callback: CallbackFactories = {
    createConnection(config) {
      const controller = source()
      const refused = controller === undefined || controller.idle ? undefined : controller.checkConnect(connectTarget(config))
      const connection = core.createConnection(refused ? withDriverOptions(config, { stream: () => refusingStream(refused) }) : config)
      return instrumentCoreConnection(connection, source) as unknown as CallbackConnection
    },
    createPool: (config) => instrumentCorePool(core.createPool(config), source) as unknown as CallbackPool,
    createPoolCluster: (config) => instrumentCorePoolCluster(core.createPoolCluster(config), source) as unknown as PoolCluster,
  }
  return {
    callback,
    promise: {
      createConnection: (config) => connected(callback.createConnection(config) as unknown as CoreConnection),
      createPool: (config) => callback.createPool(config).promise(),
    },
  }
}

/** What `mysql2/promise`'s createConnection does with a callback-API connection: resolve on connect, reject on its error. */
function connected(connection: CoreConnection): Promise<PromiseConnection> {
  return new Promise((resolve, reject) => {
    connection.once('connect', () => resolve((connection as unknown as CallbackConnection).promise()))
    // Kept after the connect, as mysql2 keeps it: a later error then has a listener.
    connection.once('error', reject)
  })
}

/**
 * The socket of a connect that a fault refused: it fails with the fault's error before any byte,
 * so mysql2 takes its own path for a refused connect (the connection's `error` event, or the
 * callbacks of the commands queued on it, with `fatal: true`).
 */
function refusingStream(error: Error): Duplex {
  const stream = new Duplex({ read() {}, write(_chunk, _encoding, done) { done() } })
  setImmediate(() => stream.destroy(error))
  return stream
}

/** The server a connection config points at, for connect fault callbacks. */
function connectTarget(config: string | ConnectionOptions): { host: string; port: number; user: string; database: string | undefined } {
  const uri = typeof config === 'string' ? config : config.uri
  const fields = typeof config === 'string' ? {} : config
  const url = uri === undefined ? undefined : URL.canParse(uri) ? new URL(uri) : undefined
  return {
    host: fields.host ?? (url?.hostname || 'localhost'),
    port: Number(fields.port ?? (url?.port || 3306)),
    user: fields.user ?? (url ? decodeURIComponent(url.username) : ''),
    database: fields.database ?? (url && url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : undefined),
  }
}
