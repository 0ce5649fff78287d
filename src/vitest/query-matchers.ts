import { expect } from 'vitest'
import { Rig } from './rig.ts'
import type { LoggedStatement } from './statement-log.ts'

/** What `toHaveRunQueries` expects: an exact count, or bounds, of the statements (matching a pattern, when given). */
export type QueryCountExpectation = number | { readonly atLeast?: number; readonly atMost?: number; readonly matching?: string | RegExp }

declare module 'vitest' {
  interface Matchers<R> {
    /**
     * The test (`rig`) or a block of it (what `rig.queries()` returned) ran `expected` statements:
     * a number, or `{ atLeast, atMost, matching }`; `0` (or `.not`) for none. A failure lists the
     * statements that ran, numbered.
     */
    toHaveRunQueries(expected: QueryCountExpectation): R
    /**
     * Some statement shape (the SQL with its literals taken out) ran `times` times or more (default
     * 2): `expect(rig).not.toHaveRepeatedStatement(3)` catches an N+1 loop.
     */
    toHaveRepeatedStatement(times?: number): R
  }
}

/** The statements of `received`, and how many ran in all (a ring may have let the oldest go). */
function statementsOf(received: unknown): { statements: readonly LoggedStatement[]; total: number } | undefined {
  if (received instanceof Rig) return { statements: received.statements, total: received.statementCount }
  if (Array.isArray(received)) return { statements: received as LoggedStatement[], total: received.length }
  return undefined
}

/** The numbered list a failure shows (Django's and Rails' query assertions do the same). */
function listing(statements: readonly LoggedStatement[], total: number): string {
  if (total === 0) return '  (none)'
  const lines = statements.map((statement) => `  ${statement.index}. ${statement.sql.replace(/\s+/g, ' ').trim()}${statement.error ? `  ✗ ${statement.error.message}` : ''}`)
  return total > statements.length ? [`  … ${total - statements.length} earlier statement(s) not kept`, ...lines].join('\n') : lines.join('\n')
}

/** A statement's shape: its SQL with numbers, strings and IN lists replaced, so N+1 loops look alike. */
export function statementShape(sql: string): string {
  return sql
    .replace(/'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.)*"/g, '?')
    .replace(/\b\d+(\.\d+)?\b/g, '?')
    .replace(/\(\s*\?(\s*,\s*\?)*\s*\)/g, '(?)')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase()
}

expect.extend({
  toHaveRunQueries(received: unknown, expected: QueryCountExpectation) {
    const found = statementsOf(received)
    if (!found) return { pass: false, message: () => `expected rig or the statements rig.queries() returned, got ${this.utils.printReceived(received)}` }
    const bounds = typeof expected === 'number' ? { atLeast: expected, atMost: expected } : expected
    const matching = bounds.matching
    const test = matching === undefined ? () => true : typeof matching === 'string' ? (sql: string) => sql.toLowerCase().includes(matching.toLowerCase()) : (sql: string) => matching.test(sql)
    const counted = matching === undefined ? found.statements : found.statements.filter((statement) => test(statement.sql))
    const count = matching === undefined ? found.total : counted.length
    const pass = (bounds.atLeast === undefined || count >= bounds.atLeast) && (bounds.atMost === undefined || count <= bounds.atMost)
    const wanted = typeof expected === 'number' ? `${expected}` : [bounds.atLeast === undefined ? '' : `at least ${bounds.atLeast}`, bounds.atMost === undefined ? '' : `at most ${bounds.atMost}`].filter(Boolean).join(' and ')
    const what = matching === undefined ? 'statement(s)' : `statement(s) matching ${String(matching)}`
    return {
      pass,
      actual: count,
      expected: typeof expected === 'number' ? expected : wanted,
      message: () => `expected ${this.isNot ? 'not ' : ''}${wanted} ${what}, ${count} ran:\n${listing(counted, matching === undefined ? found.total : counted.length)}`,
    }
  },
  toHaveRepeatedStatement(received: unknown, times = 2) {
    const found = statementsOf(received)
    if (!found) return { pass: false, message: () => `expected rig or the statements rig.queries() returned, got ${this.utils.printReceived(received)}` }
    const counts = new Map<string, LoggedStatement[]>()
    for (const statement of found.statements) {
      const shape = statementShape(statement.sql)
      counts.set(shape, [...(counts.get(shape) ?? []), statement])
    }
    const repeated = [...counts.entries()].filter(([, statements]) => statements.length >= times).sort((a, b) => b[1].length - a[1].length)
    const top = repeated[0]
    return {
      pass: repeated.length > 0,
      message: () => top
        ? `expected ${this.isNot ? 'no' : 'a'} statement shape to run ${times} times or more, but "${top[0]}" ran ${top[1].length} times:\n${listing(top[1], top[1].length)}`
        : `expected a statement shape to run ${times} times or more; the most any ran was ${Math.max(0, ...[...counts.values()].map((statements) => statements.length))}:\n${listing(found.statements, found.total)}`,
    }
  },
})
