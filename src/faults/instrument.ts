import type { Connection, Pool, PoolConnection } from 'mysql2/promise'
import type { FaultController, FaultableMethod } from './fault-controller.ts'

const connectionMethods: readonly FaultableMethod[] = ['query', 'execute', 'beginTransaction', 'commit', 'rollback', 'ping', 'end', 'changeUser']
const instrumented = new WeakSet<object>()

/** Where a pool's connect faults are checked: the details of the server it connects to. */
export interface PoolTarget {
  readonly host: string
  readonly port: number
  readonly user: string
  readonly database: string | undefined
}

/**
 * Lets the controller fail the named methods of a mysql2 promise connection. The connection keeps
 * its identity and type; with no fault armed each call goes straight to mysql2 after one check.
 */
export function instrumentConnection<C extends Connection>(connection: C, controller: FaultController): C {
  if (instrumented.has(connection)) return connection
  instrumented.add(connection)
  for (const method of connectionMethods) intercept(connection, method, controller, () => connection.threadId ?? undefined)
  return connection
}

/**
 * Lets the controller fail a pool's `query`, `execute` and `getConnection`, and the methods of every
 * connection it hands out. A connect fault fails the next acquisition of a connection from the pool
 * (`getConnection`, or the one inside `pool.query`): that is the app's connect.
 */
export function instrumentPool(pool: Pool, controller: FaultController, target: PoolTarget): Pool {
  if (instrumented.has(pool)) return pool
  instrumented.add(pool)
  for (const method of ['query', 'execute', 'getConnection'] as const) {
    const original = pool[method] as (...args: unknown[]) => Promise<unknown>
    define(pool, method, function (this: unknown, ...args: unknown[]) {
      if (controller.idle) return method === 'getConnection' ? wrapAcquired(original.apply(this, args), controller) : original.apply(this, args)
      const refused = controller.checkConnect(target) ?? controller.checkCall({ point: method, ...statementOf(method, args), threadId: undefined })
      if (refused) return Promise.reject(refused)
      return method === 'getConnection' ? wrapAcquired(original.apply(this, args), controller) : original.apply(this, args)
    })
  }
  return pool
}

async function wrapAcquired(acquired: Promise<unknown>, controller: FaultController): Promise<unknown> {
  return instrumentConnection((await acquired) as PoolConnection, controller)
}

function intercept(target: object, method: FaultableMethod, controller: FaultController, threadId: () => number | undefined): void {
  const original = (target as Record<string, unknown>)[method]
  if (typeof original !== 'function') return
  define(target, method, function (this: unknown, ...args: unknown[]) {
    if (!controller.idle) {
      const error = controller.checkCall({ point: method, ...statementOf(method, args), threadId: threadId() })
      if (error) return Promise.reject(error)
    }
    return (original as (...a: unknown[]) => unknown).apply(this, args)
  })
}

function define(target: object, method: string, value: (...args: unknown[]) => unknown): void {
  Object.defineProperty(target, method, { value, writable: true, configurable: true, enumerable: false })
}

function statementOf(method: FaultableMethod, args: readonly unknown[]): { sql: string | undefined; params: unknown } {
  if (method !== 'query' && method !== 'execute') return { sql: undefined, params: undefined }
  const [first, second] = args
  if (typeof first === 'string') return { sql: first, params: second }
  const options = first as { sql?: unknown; values?: unknown } | undefined
  return { sql: typeof options?.sql === 'string' ? options.sql : undefined, params: second ?? options?.values }
}
