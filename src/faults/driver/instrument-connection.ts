import type { FaultController, FaultableMethod } from '../fault-controller.ts'
import { closesConnection, endsTransaction, type RaisedFault } from './fault-effects.ts'
import { withCallingThread } from './calling-thread.ts'
import type { CoreConnection, DriverCommand } from './mysql2-internals.ts'
import { defineMethod, statementOf } from './call-shapes.ts'

/** Where instrumented objects find the faults to consult at each call: the test's controller, or none outside a test. */
export type FaultSource = () => FaultController | undefined

const connectionMethods = ['query', 'execute', 'beginTransaction', 'commit', 'rollback', 'ping', 'end', 'changeUser'] as const satisfies readonly FaultableMethod[]
const instrumented = new WeakSet<object>()

/** A fault decided for the method being called, waiting for the command that method queues. */
type PendingFault = RaisedFault

/**
 * Lets faults fail the named methods of a mysql2 connection of the callback API (and so of the
 * promise connection that wraps it). The fault is decided when the method is called and raised
 * on the very command mysql2 builds for it, the way a server error arrives: through the callback,
 * or as the command's `error` event followed by `end` (streaming rows and `.stream()` see it too).
 * An error with `fatal: true` then closes the connection, as mysql2 does when a connection is lost
 * (a pool drops it). With no fault armed each call costs one check.
 */
export function instrumentCoreConnection<C extends CoreConnection>(connection: C, source: FaultSource): C {
  if (instrumented.has(connection)) return connection
  instrumented.add(connection)
  let pending: PendingFault | undefined
  // Inside a method already decided (beginTransaction runs query): the inner call is not a second one.
  let depth = 0
  hookAddCommand(connection, (command, queue) => {
    const fault = pending
    if (!fault) return queue(command)
    // execute queues a Prepare and then the Execute; the Execute carries the error, the Prepare never leaves.
    if (fault.method === 'execute' && command.constructor.name !== 'Execute') return command
    pending = undefined
    // The faulted statement never reaches the server; where a real error would have ended the
    // transaction, a ROLLBACK goes in its place (in queue order) and the error follows it.
    const rollback = endsTransaction(fault) ? rollbackCommand(connection, () => deliver(connection, command, fault)) : undefined
    if (rollback) queue(rollback)
    else setImmediate(() => deliver(connection, command, fault))
    return command
  })
  const target = connection as unknown as Record<string, unknown>
  for (const method of connectionMethods) {
    const original = target[method]
    if (typeof original !== 'function') continue
    defineMethod(connection, method, function (this: unknown, ...args: unknown[]) {
      const controller = depth === 0 ? source() : undefined
      controller?.usedConnections.add(connection)
      if (controller !== undefined && !controller.idle) {
        const statement = statementOf(method, args)
        const error = controller.checkCall({ point: method, ...statement, threadId: connection.threadId ?? undefined })
        if (error) pending = { method, sql: statement.sql, error }
      }
      depth++
      try {
        return withCallingThread(connection.threadId, () => (original as (...a: unknown[]) => unknown).apply(this, args))
      } finally {
        depth--
        if (depth === 0) pending = undefined
      }
    })
  }
  return connection
}

/**
 * Puts a hook in front of the connection's `addCommand`. mysql2 swaps that method itself when the
 * connection closes (`this.addCommand = …`); the hook stays in front of whatever it swaps in.
 */
function hookAddCommand(connection: CoreConnection, hook: (command: DriverCommand, queue: (command: DriverCommand) => DriverCommand) => DriverCommand): void {
  let current = connection.addCommand
  const queue = (command: DriverCommand) => current.call(connection, command)
  const hooked = (command: DriverCommand) => hook(command, queue)
  Object.defineProperty(connection, 'addCommand', {
    configurable: true,
    enumerable: false,
    get: () => hooked,
    set: (replacement: CoreConnection['addCommand']) => {
      current = replacement
    },
  })
}

/** Raises the fault on the command exactly where mysql2 raises a server error (commands/command.js). */
function deliver(connection: CoreConnection, command: DriverCommand, fault: PendingFault): void {
  if (typeof command.onResult === 'function') command.onResult(fault.error)
  else command.emit('error', fault.error)
  command.emit('end')
  // A lost connection is gone for good; a failed QUIT leaves nothing to use either.
  if (closesConnection(fault)) connection.destroy()
}

/** A ROLLBACK built the way mysql2 builds a query, to queue without passing the faults again. */
function rollbackCommand(connection: CoreConnection, done: () => void): DriverCommand | undefined {
  const type = connection.constructor as { createQuery?: (sql: string, values: unknown[], callback: () => void, config: unknown) => DriverCommand }
  if (typeof type.createQuery !== 'function') return undefined
  return type.createQuery('ROLLBACK', [], done, (connection as unknown as { config?: unknown }).config)
}
