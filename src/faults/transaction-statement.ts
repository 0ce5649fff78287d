import type { FaultableMethod } from './fault-controller.ts'

/** The transaction methods a statement sent as SQL can stand for. */
export type TransactionMethod = Extract<FaultableMethod, 'beginTransaction' | 'commit' | 'rollback'>

/**
 * The transaction method a statement sent through `query` or `execute` stands for: `COMMIT`
 * (`COMMIT WORK`, `COMMIT;` as Knex sends it), `BEGIN` / `START TRANSACTION` (TiDB's `BEGIN
 * PESSIMISTIC` / `OPTIMISTIC` too), `ROLLBACK` (not `ROLLBACK TO SAVEPOINT`, which keeps the
 * transaction), in any case, after comments and blanks; undefined for any other statement. ORMs
 * send these as queries, so a fault armed on `commit` fires on them as on `conn.commit()`.
 */
export function transactionStatementOf(sql: string | undefined): TransactionMethod | undefined {
  if (sql === undefined || sql.length > 200 || !mayBeTransactionControl(sql)) return undefined
  const words = withoutComments(sql).replace(/;\s*$/, '').trim().toLowerCase().split(/\s+/)
  const [first, second, third] = words
  switch (first) {
    case 'commit':
      return words.length === 1 || (second === 'work' && words.length === 2) || second === 'and' || second === 'release' || second === 'no' ? 'commit' : undefined
    case 'rollback':
      // ROLLBACK [WORK] TO [SAVEPOINT] x ends no transaction.
      return second === 'to' || third === 'to' ? undefined : 'rollback'
    case 'begin':
      // MariaDB's BEGIN NOT ATOMIC opens a compound statement, not a transaction.
      return second === 'not' ? undefined : words.length <= 2 ? 'beginTransaction' : undefined
    case 'start':
      return second === 'transaction' ? 'beginTransaction' : undefined
    default:
      return undefined
  }
}

/** The words that can open transaction control, and the characters that open a comment. */
const openers = new Set(['commit', 'rollback', 'begin', 'start'])
const commentStart = /^(\/\*|--\s|#)/

/** A cheap first look (every statement of a test with faults armed passes here): false when the first word cannot open transaction control. */
function mayBeTransactionControl(sql: string): boolean {
  const trimmed = sql.trimStart()
  if (commentStart.test(trimmed)) return true
  const end = trimmed.search(/[\s;/#(-]|$/)
  return openers.has(trimmed.slice(0, end).toLowerCase())
}

/** The statement without its comments (`-- …`, `# …`, `/* … *\/`); executable comments (`/*! … *\/`) keep their text. */
function withoutComments(sql: string): string {
  return sql
    .replace(/\/\*![0-9]*([\s\S]*?)\*\//g, ' $1 ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/(--\s|#)[^\n]*/g, ' ')
}
