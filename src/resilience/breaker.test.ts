import { BrokenCircuitError, CircuitState } from 'cockatiel'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { breakerPolicy } from './policies.ts'

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
})
afterEach(() => {
  vi.useRealTimers()
})

type Step = 'ok' | 'fail' | 'wait'

/** The breaker the seed describes, as a plain model: what state it is in and whether a call reaches the dependency. */
class BreakerModel {
  state: 'closed' | 'open' | 'half-open' = 'closed'
  failures = 0
  successes = 0
  openedAt = 0
  readonly threshold: number
  readonly halfOpenAfter: number
  readonly successThreshold: number
  constructor(threshold: number, halfOpenAfter: number, successThreshold: number) {
    this.threshold = threshold
    this.halfOpenAfter = halfOpenAfter
    this.successThreshold = successThreshold
  }

  call(now: number, ok: boolean): 'ran' | 'rejected' {
    if (this.state === 'open') {
      if (now - this.openedAt < this.halfOpenAfter) return 'rejected'
      this.state = 'half-open'
      this.successes = 0
    }
    if (this.state === 'half-open') {
      if (!ok) this.open(now)
      else if (++this.successes >= this.successThreshold) this.close()
      return 'ran'
    }
    if (ok) this.failures = 0
    else if (++this.failures >= this.threshold) this.open(now)
    return 'ran'
  }

  open(now: number) {
    this.state = 'open'
    this.openedAt = now
    this.failures = 0
  }

  close() {
    this.state = 'closed'
    this.failures = 0
  }
}

const cockatielState: Record<CircuitState, BreakerModel['state'] | 'isolated'> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
}

describe('breakerPolicy', () => {
  test('opens after the threshold, fails fast, half-opens after the recovery time, closes after the success threshold', async () => {
    const breaker = breakerPolicy({ breakerFailureThreshold: 2, breakerHalfOpenAfterMs: 1000, breakerSuccessThreshold: 2 })
    const events: string[] = []
    breaker.onBreak(() => events.push('break'))
    breaker.onHalfOpen(() => events.push('half-open'))
    breaker.onReset(() => events.push('reset'))
    const fail = () => breaker.execute(async () => { throw new Error('down') })
    const ok = () => breaker.execute(async () => 'up')
    await expect(fail()).rejects.toThrow('down')
    await expect(fail()).rejects.toThrow('down')
    expect(breaker.state).toBe(CircuitState.Open)
    await expect(ok()).rejects.toBeInstanceOf(BrokenCircuitError)
    vi.advanceTimersByTime(1000)
    await expect(ok()).resolves.toBe('up')
    expect(breaker.state).toBe(CircuitState.HalfOpen)
    await expect(ok()).resolves.toBe('up')
    expect(breaker.state).toBe(CircuitState.Closed)
    expect(events).toEqual(['break', 'half-open', 'reset'])
  })

  test('follows the model over random sequences of successes, failures and waits', async () => {
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }),
      fc.array(fc.constantFrom<Step>('ok', 'fail', 'wait'), { minLength: 1, maxLength: 40 }),
      async (threshold, successThreshold, steps) => {
        const halfOpenAfter = 100
        vi.setSystemTime(0)
        const breaker = breakerPolicy({ breakerFailureThreshold: threshold, breakerHalfOpenAfterMs: halfOpenAfter, breakerSuccessThreshold: successThreshold })
        const model = new BreakerModel(threshold, halfOpenAfter, successThreshold)
        for (const step of steps) {
          if (step === 'wait') {
            vi.advanceTimersByTime(halfOpenAfter)
            continue
          }
          let ran = false
          const outcome = await breaker.execute(async () => {
            ran = true
            if (step === 'fail') throw new Error('down')
          }).then(() => 'ok', (error: unknown) => (error instanceof BrokenCircuitError ? 'rejected' : 'failed'))
          const expected = model.call(Date.now(), step === 'ok')
          expect(ran ? 'ran' : 'rejected').toBe(expected)
          if (!ran) expect(outcome).toBe('rejected')
          expect(cockatielState[breaker.state]).toBe(model.state)
        }
      },
    ), { numRuns: 300 })
  })
})
