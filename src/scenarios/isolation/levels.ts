import type { EngineCapabilities } from '../../server/engine.ts'

/** The four ANSI isolation levels, weakest first. */
export const isolationLevels = ['READ UNCOMMITTED', 'READ COMMITTED', 'REPEATABLE READ', 'SERIALIZABLE'] as const

/** An isolation level. */
export type IsolationLevel = (typeof isolationLevels)[number]

/** A level as people write it: `READ COMMITTED`, `read-committed`, `read_committed`, `RC`, … */
export type IsolationLevelInput = IsolationLevel | (string & {})

const abbreviations: Readonly<Record<string, IsolationLevel>> = { RU: 'READ UNCOMMITTED', RC: 'READ COMMITTED', RR: 'REPEATABLE READ', SR: 'SERIALIZABLE' }

/**
 * Reads a level in any of the spellings the API and the CLI accept (any case; words joined by a
 * space, `-` or `_`; or RU, RC, RR, SR); throws a TypeError listing them for anything else.
 */
export function parseIsolationLevel(text: IsolationLevelInput): IsolationLevel {
  const words = text.trim().toUpperCase().replace(/[-_\s]+/g, ' ')
  const level = abbreviations[words] ?? isolationLevels.find((known) => known === words)
  if (!level) throw new TypeError(`unknown isolation level "${text}"; known: ${isolationLevels.join(', ')} (any case, words joined by a space, - or _; or RU, RC, RR, SR)`)
  return level
}

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
