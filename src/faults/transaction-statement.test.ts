import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { transactionStatementOf } from './transaction-statement.ts'

describe('the transaction method a statement stands for', () => {
  test.each([
    ['COMMIT', 'commit'], ['commit', 'commit'], ['COMMIT;', 'commit'], ['  Commit Work ; ', 'commit'], ['/* kysely */ COMMIT', 'commit'], ['-- done\nCOMMIT', 'commit'],
    ['COMMIT AND NO CHAIN', 'commit'], ['BEGIN', 'beginTransaction'], ['begin;', 'beginTransaction'], ['BEGIN WORK', 'beginTransaction'], ['BEGIN PESSIMISTIC', 'beginTransaction'],
    ['START TRANSACTION', 'beginTransaction'], ['start transaction read only', 'beginTransaction'], ['START TRANSACTION WITH CONSISTENT SNAPSHOT', 'beginTransaction'],
    ['ROLLBACK', 'rollback'], ['rollback;', 'rollback'], ['ROLLBACK WORK', 'rollback'], ['# undo\nROLLBACK', 'rollback'], ['commit/* orm */', 'commit'], ['\tBEGIN;', 'beginTransaction'], ['/*!40101 COMMIT */', 'commit'],
  ] as const)('%j is %s', (sql, method) => {
    expect(transactionStatementOf(sql)).toBe(method)
  })

  test.each(['ROLLBACK TO SAVEPOINT sp1', 'rollback to sp1', 'ROLLBACK WORK TO SAVEPOINT a', 'BEGIN NOT ATOMIC SELECT 1; END', 'SELECT 1', 'COMMITTED', "INSERT INTO t VALUES ('COMMIT')", 'SAVEPOINT sp1', 'RELEASE SAVEPOINT sp1', 'SET autocommit = 0'])('%j stands for none', (sql) => {
    expect(transactionStatementOf(sql)).toBeUndefined()
  })

  test('any statement that does not start with a transaction word stands for none', () => {
    fc.assert(fc.property(fc.string(), (sql) => {
      const first = sql.replace(/\/\*[\s\S]*?\*\/|(--\s|#)[^\n]*/g, ' ').trim().split(/\s+/)[0]?.toLowerCase()
      if (!['commit', 'rollback', 'begin', 'start'].includes(first ?? '')) expect(transactionStatementOf(sql)).toBeUndefined()
    }))
  })
})

test('a transaction word in any case, with any blanks and comments around it, is found (the quick first look never hides one)', () => {
  const blank = fc.constantFrom('', ' ', '\n', '\t ', '/* c */ ', '-- c\n', '# c\n')
  const word = fc.constantFrom(['COMMIT', 'commit'], ['ROLLBACK', 'rollback'], ['BEGIN', 'beginTransaction'], ['START TRANSACTION', 'beginTransaction']).chain(([text, method]) => fc.tuple(fc.constant(method), fc.array(fc.boolean(), { minLength: text.length, maxLength: text.length }).map((upper) => [...text].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join(''))))
  fc.assert(fc.property(blank, word, fc.constantFrom('', ';', ' ;', '/* end */'), (before, [method, text], after) => {
    expect(transactionStatementOf(`${before}${text}${after}`)).toBe(method)
  }))
})
