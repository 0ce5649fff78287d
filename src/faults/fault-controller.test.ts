import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { InjectedFaultError } from './errors.ts'
import { FaultController, faultableMethods, type FaultableMethod } from './fault-controller.ts'

const call = (point: FaultableMethod, sql?: string) => ({ point, sql, params: undefined, threadId: 1 })
const connect = { host: 'h', port: 1, user: 'u', database: 'd' }

describe('FaultController', () => {
  test('is idle until something is armed, and idle again after it fired once', () => {
    const faults = new FaultController()
    expect(faults.idle).toBe(true)
    faults.failNext('query')
    expect(faults.idle).toBe(false)
    expect(faults.checkCall(call('query', 'SELECT 1'))).toBeInstanceOf(InjectedFaultError)
    expect(faults.idle).toBe(true)
    expect(faults.checkCall(call('query', 'SELECT 1'))).toBeUndefined()
  })

  test('a string becomes an InjectedFaultError with that message; an Error is raised as it is', () => {
    const faults = new FaultController()
    const own = new Error('mine')
    faults.failNext('ping', 'gone')
    faults.failNext('commit', own)
    expect(faults.checkCall(call('ping'))).toMatchObject({ message: 'gone', point: 'ping', code: 'TEST_RIG_INJECTED_FAULT' })
    expect(faults.checkCall(call('commit'))).toBe(own)
  })

  test('a fault on commit, beginTransaction or rollback fires however the statement is sent: the method, or the SQL through query or execute', () => {
    const faults = new FaultController()
    faults.failNext('commit', 'no commit', { times: 3 })
    expect(faults.checkCall(call('query', 'SELECT 1'))).toBeUndefined()
    expect(faults.checkCall(call('query', 'COMMIT;'))).toMatchObject({ message: 'no commit' })
    expect(faults.checkCall(call('execute', '/* orm */ commit'))).toMatchObject({ message: 'no commit' })
    expect(faults.checkCall(call('commit'))).toMatchObject({ message: 'no commit' })
    expect(faults.fired.map((fired) => fired.point)).toEqual(['commit', 'commit', 'commit'])
    faults.failNext('beginTransaction', 'no begin', { times: 2 })
    expect(faults.checkCall(call('query', 'START TRANSACTION'))).toMatchObject({ message: 'no begin' })
    expect(faults.checkCall(call('query', 'BEGIN'))).toMatchObject({ message: 'no begin' })
    faults.failNext('rollback', 'no rollback')
    expect(faults.checkCall(call('query', 'ROLLBACK TO SAVEPOINT s1'))).toBeUndefined()
    expect(faults.checkCall(call('query', 'rollback'))).toMatchObject({ message: 'no rollback' })
    expect(faults.unfired()).toEqual([])
  })

  test('a query fault still fires on a COMMIT sent as a query when no commit fault is armed', () => {
    const faults = new FaultController()
    faults.failNext('query', 'any query', { when: /^commit/i })
    expect(faults.checkCall(call('query', 'COMMIT'))).toMatchObject({ message: 'any query' })
  })

  test('only the armed method fires', () => {
    const faults = new FaultController()
    faults.failNext('execute')
    expect(faults.checkCall(call('query', 'x'))).toBeUndefined()
    expect(faults.checkConnect(connect)).toBeUndefined()
    expect(faults.checkCall(call('execute', 'x'))).toBeDefined()
  })

  test('fires exactly `times` times for any number, on matching SQL only', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.boolean(), { maxLength: 30 }), (times, matching) => {
      const faults = new FaultController()
      faults.failNext('query', undefined, { times, when: 'INSERT' })
      let fired = 0
      let matched = 0
      for (const isInsert of matching) {
        const error = faults.checkCall(call('query', isInsert ? 'INSERT INTO t VALUES (1)' : 'SELECT 1'))
        if (isInsert) matched++
        if (error) fired++
        if (error) expect(isInsert).toBe(true)
      }
      expect(fired).toBe(Math.min(times, matched))
      expect(faults.firedCount('query')).toBe(fired)
    }))
  })

  test('a string `when` matches in any case (ORMs send lower-case SQL); a RegExp as written', () => {
    const faults = new FaultController()
    faults.failNext('query', undefined, { when: 'UPDATE', times: 'always' })
    expect(faults.checkCall(call('query', 'update `orders` set `total` = ? where `id` = ?'))).toBeInstanceOf(InjectedFaultError)
    expect(faults.checkCall(call('query', 'select 1'))).toBeUndefined()
    const exact = new FaultController()
    exact.failNext('query', undefined, { when: /^UPDATE/, times: 'always' })
    expect(exact.checkCall(call('query', 'update t set a = 1'))).toBeUndefined()
    exact.failNext('query', undefined, { when: /^update/i, times: 'always' })
    expect(exact.checkCall(call('query', 'UPDATE t SET a = 1'))).toBeInstanceOf(InjectedFaultError)
  })

  test('callbacks decide per call and count calls per method', () => {
    const faults = new FaultController()
    faults.onCall((c) => (c.call % 2 === 0 ? `even call ${c.call}` : undefined), ['query'])
    const results = [1, 2, 3, 4].map(() => faults.checkCall(call('query', 'SELECT 1'))?.message)
    expect(results).toEqual([undefined, 'even call 2', undefined, 'even call 4'])
    expect(faults.checkCall(call('ping'))).toBeUndefined()
  })

  test('lists faults that never fired, and the summary says what fired', () => {
    const faults = new FaultController()
    faults.failNext('query', 'boom')
    faults.failNextConnect()
    faults.checkCall(call('query', 'SELECT 42'))
    expect(faults.unfired().map((f) => f.description)).toEqual(['connect (once)'])
    expect(faults.summary()).toMatch(/query SELECT 42 → boom/)
  })

  test('clear disarms everything but keeps the record', () => {
    const faults = new FaultController()
    faults.failNext('query', 'x', { times: 'always' })
    faults.checkCall(call('query', 'a'))
    faults.clear()
    expect(faults.idle).toBe(true)
    expect(faults.checkCall(call('query', 'b'))).toBeUndefined()
    expect(faults.fired).toHaveLength(1)
  })

  test('rejects nonsense counts', () => {
    expect(() => new FaultController().failNext('query', 'x', { times: 0 })).toThrow(/positive whole number/)
  })

  test('knows every method of mysql2 and of the mariadb connector that faults can fail', () => {
    expect([...faultableMethods].sort()).toEqual(['batch', 'beginTransaction', 'changeUser', 'commit', 'end', 'execute', 'getConnection', 'ping', 'prepare', 'query', 'reset', 'rollback'])
  })
})
