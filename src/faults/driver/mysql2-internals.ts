import type { EventEmitter } from 'node:events'

/**
 * The few parts of mysql2's callback-API objects that the driver faults touch, typed by shape so
 * that any mysql2 3.x the project installs fits (the rig's own or the app's copy).
 */

/** A queued protocol command (`Query`, `Execute`, `Ping`, `Quit`…); errors reach it as a server error would. */
export interface DriverCommand extends EventEmitter {
  /** The callback of a command run in callback mode; absent in event mode. */
  onResult?: ((error: Error | null, ...rest: unknown[]) => void) | null
}

/** A mysql2 connection of the callback API (what `mysql.createConnection` returns, and what a promise connection wraps). */
export interface CoreConnection extends EventEmitter {
  /** The server's thread id, once connected. */
  readonly threadId: number | null
  /** Queues a command; every statement, ping, change of user and quit passes here. */
  addCommand(command: DriverCommand): DriverCommand
  /** Closes the socket at once. */
  destroy(): void
}

/** A mysql2 pool of the callback API (what `mysql.createPool` returns, and what a promise pool wraps). */
export interface CorePool extends EventEmitter {
  /** Hands out a connection through the callback. */
  getConnection(callback: (error: Error | null, connection?: CoreConnection) => void): void
}

/** A mysql2 pool cluster of the callback API. */
export interface CorePoolCluster extends EventEmitter {
  /** Hands out a connection of a pool matching the pattern through the callback. */
  getConnection(...args: unknown[]): void
}

/** The mysql2 module (`import mysql from 'mysql2'`) as far as the rig uses it. */
export interface CoreDriver {
  /** Opens a connection (it connects in the background). */
  createConnection(config: unknown): CoreConnection
  /** Creates a pool. */
  createPool(config: unknown): CorePool
  /** Creates a pool cluster. */
  createPoolCluster(config?: unknown): CorePoolCluster
}

/** A promise connection or pool of mysql2 keeps the callback-API object it wraps under a known name. */
export function coreOf<T>(wrapped: object, field: 'connection' | 'pool' | 'poolCluster'): T | undefined {
  const inner = (wrapped as Record<string, unknown>)[field]
  return typeof inner === 'object' && inner !== null ? (inner as T) : undefined
}
