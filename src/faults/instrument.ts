import type { Connection as CallbackConnection, Pool as CallbackPool } from 'mysql2'
import type { Connection, Pool } from 'mysql2/promise'
import type { FaultController } from './fault-controller.ts'
import { instrumentCoreConnection } from './driver/instrument-connection.ts'
import { instrumentCorePool, poolTarget, type PoolTarget } from './driver/instrument-pool.ts'
import { coreOf, type CoreConnection, type CorePool } from './driver/mysql2-internals.ts'

export type { PoolTarget } from './driver/instrument-pool.ts'

/**
 * Lets `controller` fail the named methods of a mysql2 connection made elsewhere, promise API or
 * callback API. The connection keeps its identity and type; faults arrive the way mysql2 raises
 * a server error (a rejected promise, the callback's error, or the `error` event).
 */
export function instrumentConnection<C extends Connection | CallbackConnection>(connection: C, controller: FaultController): C {
  const core = coreOf<CoreConnection>(connection, 'connection') ?? (connection as unknown as CoreConnection)
  instrumentCoreConnection(core, () => controller)
  return connection
}

/**
 * Lets `controller` fail a mysql2 pool made elsewhere (promise or callback API): connect faults
 * fail its next acquisition, method faults its queries and the connections it hands out.
 * `target` (default: the pool's own config) is what connect fault callbacks are told.
 */
export function instrumentPool<P extends Pool | CallbackPool>(pool: P, controller: FaultController, target?: PoolTarget): P {
  const core = coreOf<CorePool>(pool, 'pool') ?? (pool as unknown as CorePool)
  instrumentCorePool(core, () => controller, target ?? poolTarget(core))
  return pool
}
