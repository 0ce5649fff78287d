import { TaskCancelledError } from 'cockatiel'
import { describe, expect, test } from 'vitest'
import { classifyError } from './classify.ts'
import { knownErrors } from './error-codes.ts'

/** An error shaped like mysql2's server errors. */
const serverError = (errno: number, code = 'UNKNOWN_CODE_PLEASE_REPORT') => Object.assign(new Error(`server error ${errno}`), { errno, code, sqlState: 'HY000' })

describe('classifyError', () => {
  test.each(knownErrors.filter((e) => e.errno !== undefined).map((e) => [e.errno, e.code, e.kind, e.recovery] as const))(
    'server error %i (%s) is %s, recovery %s',
    (errno, code, kind, recovery) => {
      expect(classifyError(serverError(errno as number))).toMatchObject({ kind, recovery, code: `${errno} ${code}` })
    },
  )

  test.each(knownErrors.filter((e) => e.errno === undefined).map((e) => [e.code, e.kind, e.recovery] as const))(
    'client or network error %s is %s, recovery %s',
    (code, kind, recovery) => {
      expect(classifyError(Object.assign(new Error(code), { code }))).toMatchObject({ kind, recovery, code })
    },
  )

  test('the issue’s transient codes are all transient', () => {
    for (const errno of [1213, 1205, 8002, 8022, 8028, 9001, 9002, 9005, 9007]) expect(classifyError(serverError(errno)).kind).toBe('transient')
  })

  test('deadlocks and TiDB write conflicts ask for the whole transaction again', () => {
    expect(classifyError(serverError(1213)).recovery).toBe('retry-transaction')
    expect(classifyError(serverError(9007)).recovery).toBe('retry-transaction')
  })

  test('follows the cause chain', () => {
    const wrapped = new Error('query failed', { cause: new Error('inner', { cause: Object.assign(new Error('reset'), { code: 'ECONNRESET' }) }) })
    expect(classifyError(wrapped)).toMatchObject({ kind: 'transient', recovery: 'reconnect', code: 'ECONNRESET' })
  })

  test('timeouts from cockatiel are transient', () => {
    expect(classifyError(new TaskCancelledError()).kind).toBe('transient')
  })

  test('anything else is unknown and not retried', () => {
    expect(classifyError(new Error('something odd'))).toMatchObject({ kind: 'unknown', recovery: 'investigate' })
    expect(classifyError(serverError(1105)).kind).toBe('unknown')
    expect(classifyError('a string')).toMatchObject({ kind: 'unknown' })
  })

  test('every code is listed once', () => {
    const errnos = knownErrors.flatMap((e) => (e.errno === undefined ? [] : [e.errno]))
    expect(new Set(errnos).size).toBe(errnos.length)
    expect(new Set(knownErrors.map((e) => e.code)).size).toBe(knownErrors.length)
  })
})
