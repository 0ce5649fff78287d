import { describe, expect, test } from 'vitest'
import { WaitTimeoutError } from './errors.ts'
import { pollUntil } from './poll.ts'

describe('pollUntil', () => {
  test('returns the first success after failures', async () => {
    let calls = 0
    const value = await pollUntil(async () => {
      calls++
      if (calls < 4) throw new Error('not yet')
      return 'ready'
    }, { what: 'the thing', timeoutMs: 2000, intervalMs: 1 })
    expect(value).toBe('ready')
    expect(calls).toBe(4)
  })

  test('names what it waited for and the last error when the deadline passes', async () => {
    const wait = pollUntil(async () => {
      throw new Error('connection refused')
    }, { what: 'the server to answer', timeoutMs: 50, intervalMs: 5 })
    await expect(wait).rejects.toBeInstanceOf(WaitTimeoutError)
    await expect(wait).rejects.toThrow(/waiting for the server to answer; last error: connection refused/)
  })

  test('stops at once with the abort reason when the signal fires', async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(new Error('server exited with code 1')), 20)
    const startedAt = Date.now()
    await expect(pollUntil(async () => {
      throw new Error('refused')
    }, { what: 'x', timeoutMs: 5000, intervalMs: 5, signal: controller.signal })).rejects.toThrow('server exited with code 1')
    expect(Date.now() - startedAt).toBeLessThan(2000)
  })
})
