import { describe, expect, test } from 'vitest'
import { ContextualError, ErrorContextBuilder } from './error-context.ts'

describe('ErrorContextBuilder', () => {
  test('wraps an error with operation, attempt, elapsed time, server, database, SQL and metadata', () => {
    const cause = Object.assign(new Error('Deadlock found when trying to get lock'), { code: 'ER_LOCK_DEADLOCK', errno: 1213 })
    const error = ErrorContextBuilder.for('transfer funds')
      .attempt(3).elapsed(412.4)
      .server({ host: '127.0.0.1', port: 4000, user: 'app' })
      .database('shop').sql('UPDATE accounts SET balance = balance - 10 WHERE id = 1')
      .with('orderId', 42)
      .wrap(cause)
    expect(error).toBeInstanceOf(ContextualError)
    expect(error.code).toBe('ER_LOCK_DEADLOCK')
    expect(error.cause).toBe(cause)
    expect(error.context).toMatchObject({ operation: 'transfer funds', attempt: 3, host: '127.0.0.1', database: 'shop', metadata: { orderId: 42 } })
    expect(error.message).toBe([
      'transfer funds failed: Deadlock found when trying to get lock',
      '  attempt 3, 412 ms after the first',
      '  server app@127.0.0.1:4000/shop',
      '  sql UPDATE accounts SET balance = balance - 10 WHERE id = 1',
      '  orderId 42',
      '  transient (1213 ER_LOCK_DEADLOCK): retry-transaction — Deadlock: the server rolled back this transaction so the other can go on.',
    ].join('\n'))
  })

  test('never carries a password: not from the server, metadata or the message', () => {
    const server = { host: 'db', port: 4000, user: 'app', password: 'hunter2' }
    const error = ErrorContextBuilder.for('connect').server(server).with('password', 'hunter2').with('url', 'mysql://app:hunter2@db:4000/x')
      .wrap(new Error('failed for mysql://app:hunter2@db:4000/x'))
    expect(JSON.stringify(error.context)).not.toContain('hunter2')
    expect(error.message).not.toContain('hunter2')
  })
})
