import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { transactionStatementOf } from './transaction-statement.ts'

describe('the transaction method a statement stands for', () => {
  test.each([
    ['COMMIT', 'commit'], ['commit', 'commit'], ['COMMIT;', 'commit'], ['  Commit Work ; ', 'commit'], ['/* kysely */ COMMIT', 'commit'], ['-- done\nCOMMIT', 'commit'],
    ['COMMIT AND NO CHAIN', 'commit'], ['BEGIN', 'beginTransaction'], ['begin;', 'beginTransaction'], ['BEGIN WORK', 'beginTransaction'], ['BEGIN PESSIMISTIC', 'beginTransaction'],
    ['START TRANSACTION', 'beginTransaction'], ['start transaction read only', 'beginTransaction'], ['START TRANSACTION WITH CONSISTENT SNAPSHOT', 'beginTransaction'],
    ['ROLLBACK', 'rollback'], ['rollback;', 'rollback'], ['ROLLBACK WORK', 'rollback'], ['# undo\nROLLBACK', 'rollback'],
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
