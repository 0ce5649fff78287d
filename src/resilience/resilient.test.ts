import { describe, expect, test } from 'vitest'
import { ContextualError } from './error-context.ts'
import { resilient } from './resilient.ts'

const transient = () => Object.assign(new Error('Deadlock found'), { errno: 1213, code: 'ER_LOCK_DEADLOCK' })
const permanent = () => Object.assign(new Error('Access denied'), { errno: 1045, code: 'ER_ACCESS_DENIED_ERROR' })
const fast = { retryInitialDelayMs: 1, retryMaxDelayMs: 2 }

describe('resilient', () => {
  test('retries transient errors with backoff and reports each retry', async () => {
    const wrapper = resilient({ ...fast, retryMaxAttempts: 5, noBreaker: true })
    const retries: number[] = []
    wrapper.onRetry((event) => retries.push(event.attempt))
    const result = await wrapper.execute('flaky', async ({ attempt }) => {
      if (attempt < 3) throw transient()
      return attempt
    })
    expect(result).toBe(3)
    expect(retries).toEqual([1, 2])
  })

  test('does not retry a permanent error, and wraps it with context', async () => {
    const wrapper = resilient({ ...fast, noBreaker: true })
    let calls = 0
    const error = await wrapper.execute('log in', async () => {
      calls++
      throw permanent()
    }).catch((e: unknown) => e)
    expect(calls).toBe(1)
    expect(error).toBeInstanceOf(ContextualError)
    expect((error as ContextualError).message).toMatch(/^log in failed: Access denied\n {2}attempt 1/)
    expect((error as ContextualError).classification.kind).toBe('permanent')
  })

  test('gives up after the max attempts with the last attempt in the context', async () => {
    const wrapper = resilient({ ...fast, retryMaxAttempts: 3, noBreaker: true })
    const error = (await wrapper.execute('always deadlocks', async () => { throw transient() }).catch((e: unknown) => e)) as ContextualError
    expect(error.context.attempt).toBe(3)
  })

  test('an attempt timeout turns a hung call into a retried timeout', async () => {
    const wrapper = resilient({ ...fast, retryMaxAttempts: 2, attemptTimeoutMs: 20, noBreaker: true })
    let calls = 0
    const error = (await wrapper.execute('hangs', ({ signal }) => new Promise((_, reject) => {
      calls++
      signal.addEventListener('abort', () => reject(new Error('aborted')))
    })).catch((e: unknown) => e)) as ContextualError
    expect(calls).toBe(2)
    expect(error.classification.kind).toBe('transient')
  })

  test('an open breaker fails fast and says so', async () => {
    const wrapper = resilient({ ...fast, retryMaxAttempts: 1, breakerFailureThreshold: 1, breakerHalfOpenAfterMs: 60_000 })
    await expect(wrapper.execute('first', async () => { throw permanent() })).rejects.toThrow()
    let called = false
    const error = (await wrapper.execute('second', async () => { called = true }).catch((e: unknown) => e)) as ContextualError
    expect(called).toBe(false)
    expect(error.message).toMatch(/breaker open: failing fast/)
  })
})
