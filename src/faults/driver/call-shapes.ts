import type { FaultableMethod } from '../fault-controller.ts'

/** The SQL and parameters of a call (both undefined for a call that is no statement). */
export interface CallStatement {
  readonly sql: string | undefined
  readonly params: unknown
}

/** The methods whose first argument is a statement. */
const statementMethods: ReadonlySet<FaultableMethod> = new Set(['query', 'execute', 'batch', 'prepare'])

/**
 * The SQL and parameters of a statement call, in the call shapes mysql2 and the `mariadb`
 * connector share: `(sql, values?, callback?)` or `({ sql, values }, values?, callback?)`.
 */
export function statementOf(method: FaultableMethod, args: readonly unknown[]): CallStatement {
  if (!statementMethods.has(method)) return { sql: undefined, params: undefined }
  const [first, second] = args
  if (typeof first === 'string') return { sql: first, params: typeof second === 'function' ? undefined : second }
  const options = first as { sql?: unknown; values?: unknown } | undefined
  return { sql: typeof options?.sql === 'string' ? options.sql : undefined, params: second !== undefined && typeof second !== 'function' ? second : options?.values }
}

/** Puts `value` in place of a driver object's method, as the object's own (not enumerable) property. */
export function defineMethod(target: object, method: string, value: (...args: never[]) => unknown): void {
  Object.defineProperty(target, method, { value, writable: true, configurable: true, enumerable: false })
}
