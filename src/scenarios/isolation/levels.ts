import type { EngineCapabilities } from '../../server/engine.ts'

/** The four ANSI isolation levels, weakest first. */
export const isolationLevels = ['READ UNCOMMITTED', 'READ COMMITTED', 'REPEATABLE READ', 'SERIALIZABLE'] as const

/** An isolation level. */
export type IsolationLevel = (typeof isolationLevels)[number]

/**
 * The statement that sets a session's level in the engine's own way: MariaDB before 11.1 has only
 * `tx_isolation`, MySQL and TiDB use `transaction_isolation` (values spelt with hyphens).
 */
export function setIsolationSql(capabilities: Pick<EngineCapabilities, 'isolationVariable'>, level: IsolationLevel): string {
  return `SET SESSION ${capabilities.isolationVariable} = '${level.replace(' ', '-')}'`
}

/** The statement that reads the session's level back, to check it took. */
export function readIsolationSql(capabilities: Pick<EngineCapabilities, 'isolationVariable'>): string {
  return `SELECT @@SESSION.${capabilities.isolationVariable} AS level`
}
