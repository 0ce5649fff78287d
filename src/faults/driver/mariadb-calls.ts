import { Readable } from 'node:stream'
import type { FaultableMethod } from '../fault-controller.ts'
import type { CallStatement } from './call-shapes.ts'
import { closesConnection, endsTransaction } from './fault-effects.ts'
import type { FaultSource } from './instrument-connection.ts'

// What the `mariadb` connector's promise and callback APIs share when faults stand in front of
// them: which calls are statements, how a statement is told to the log, how a connect and a call
// are decided, and how a fault is raised as the server's error would arrive.

/**
 * Told of each statement a connection or pool sends to the server (after the faults let it pass):
 * returns what to call with its answer or error, or undefined to keep nothing.
 */
export type StatementRecorder = (method: 'query' | 'execute', sql: string, params: unknown, threadId: number | undefined) => ((result: unknown, error: unknown) => void) | undefined

/** The methods of a `mariadb` connection (either API) that faults can fail, and the fault point each consults. */
export const connectionMethods: Readonly<Record<string, FaultableMethod>> = {
  query: 'query',
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

/** The methods whose calls are statements, and how a statement log names them. */
export const statementMethods: Readonly<Partial<Record<FaultableMethod, 'query' | 'execute'>>> = { query: 'query', execute: 'execute', batch: 'execute' }

/**
 * The connections, pools and clusters that have the faults in front already: one made through
 * `rig.mariadb()` from an intercepted module (a facade) is not instrumented twice.
 */
export const instrumentedObjects = new WeakSet<object>()

/** Marks `target` as instrumented; false when it was already. */
export function claim(target: object): boolean {
  if (instrumentedObjects.has(target)) return false
  instrumentedObjects.add(target)
  return true
}

/** Where a connection goes, for connect faults. */
export interface Target {
  readonly host?: string
  readonly port?: number
  readonly database?: string
  readonly user?: string
}

/** The error the test's faults give a connect to `config`'s server, or undefined. */
export function refusedConnect(source: FaultSource, config: object | string): Error | undefined {
  const controller = source()
  if (controller === undefined || controller.idle) return undefined
  const target = typeof config === 'string' ? targetOfUrl(config) : (config as Target)
  return controller.checkConnect({ host: target.host ?? 'localhost', port: target.port ?? 3306, database: target.database, user: target.user ?? 'root' })
}

/** Where a connection string (`mariadb://user@host:port/database?…`) goes. */
function targetOfUrl(url: string): Target {
  try {
    const parsed = new URL(url)
    return { host: parsed.hostname, port: Number(parsed.port || 3306), database: decodeURIComponent(parsed.pathname.slice(1)) || undefined, user: decodeURIComponent(parsed.username) || undefined }
  } catch {
    return {}
  }
}

/** Runs a call, telling `record` of it when it is a statement. */
export function recorded(record: StatementRecorder | undefined, point: FaultableMethod, { sql, params }: CallStatement, threadId: number | null, call: () => unknown): unknown {
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
export function decide(source: FaultSource, point: FaultableMethod, { sql, params }: CallStatement, threadId: number | null): Error | undefined {
  const controller = source()
  if (controller === undefined || controller.idle) return undefined
  return controller.checkCall({ point, sql, params, threadId: threadId ?? undefined })
}

/** Raises a fault as the server's error would arrive: the connection closed when fatal, the transaction rolled back when it would have ended. */
export async function raise(connection: { destroy(): void }, point: FaultableMethod, sql: string | undefined, error: Error, rollback: () => Promise<unknown>): Promise<never> {
  const fault = { method: point, sql, error }
  if (closesConnection(fault)) connection.destroy()
  else if (endsTransaction(fault)) await rollback().catch(() => {})
  throw error
}

