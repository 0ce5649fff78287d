import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { FaultController } from './fault-controller.ts'
import { Faults } from './faults.ts'
import { NetworkFaults } from './network-faults.ts'
import { faultSchedules } from './schedule-arbitrary.ts'
import { describeSchedule, faultSchedule, isTransientKind, permanentFaults } from './schedule.ts'

describe('fault schedules', () => {
  test('are sorted by call, refuse two faults on one call and calls below 1, and read as a list', () => {
    const schedule = faultSchedule([{ call: 5, kind: 'syntaxError' }, { call: 2, kind: 'deadlock' }])
    expect(describeSchedule(schedule)).toBe('call 2: deadlock (transient); call 5: syntaxError (permanent)')
    expect(describeSchedule(faultSchedule([]))).toBe('no faults')
    expect(permanentFaults(schedule)).toEqual([{ call: 5, kind: 'syntaxError' }])
    expect(() => faultSchedule([{ call: 2, kind: 'deadlock' }, { call: 2, kind: 'lockWaitTimeout' }])).toThrow('two faults are scheduled on call 2')
    expect(() => faultSchedule([{ call: 0, kind: 'deadlock' }])).toThrow("a scheduled fault's call must be a whole number from 1")
  })

  test('the arbitrary draws at most maxFaults faults on distinct calls in range, of the kinds given, printed as the list', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 5 }), fc.nat(), (calls, maxFaults, seed) => {
      const [schedule] = fc.sample(faultSchedules({ calls, maxFaults, kinds: ['deadlock', 'syntaxError'] }), { numRuns: 1, seed })
      if (!schedule) return
      expect(schedule.faults.length).toBeLessThanOrEqual(Math.min(maxFaults, calls))
      expect(new Set(schedule.faults.map((fault) => fault.call)).size).toBe(schedule.faults.length)
      for (const fault of schedule.faults) {
        expect(fault.call).toBeGreaterThanOrEqual(1)
        expect(fault.call).toBeLessThanOrEqual(calls)
        expect(['deadlock', 'syntaxError']).toContain(fault.kind)
      }
      expect(fc.stringify(schedule)).toBe(describeSchedule(schedule))
    }))
  })

  test('by default it draws transient driver faults only', () => {
    for (const schedule of fc.sample(faultSchedules({ calls: 10 }), 50)) for (const fault of schedule.faults) expect(isTransientKind(fault.kind) && fault.kind !== 'networkReset').toBe(true)
  })

  test('a failing property shrinks to one fault on the earliest failing call', () => {
    const result = fc.check(fc.property(faultSchedules({ calls: 20, maxFaults: 4 }), (schedule) => schedule.faults.every((fault) => fault.call < 7)), { seed: 1 })
    expect(result.failed).toBe(true)
    expect(describeSchedule(result.counterexample?.[0] as never)).toBe('call 7: deadlock (transient)')
  })

  test('faults.schedule() fails exactly the scheduled statements, counted from when it is armed', async () => {
    const driver = new FaultController()
    // A proxy in front of nothing: this test sends no traffic, it only needs the faults whole.
    await using network = await NetworkFaults.start({ host: '127.0.0.1', port: 9 }, () => 'mysql://unused', () => Promise.reject(new Error('no connections here')))
    const faults = new Faults(driver, network)
    const call = () => driver.checkCall({ point: 'query', sql: 'SELECT 1', params: undefined, threadId: undefined })
    call()
    const armed = faults.schedule(faultSchedule([{ call: 2, kind: 'deadlock' }, { call: 4, kind: 'syntaxError' }]))
    expect([call(), call(), call(), call(), call()].map((error) => (error as { code?: string } | undefined)?.code)).toEqual([undefined, 'ER_LOCK_DEADLOCK', undefined, 'ER_PARSE_ERROR', undefined])
    expect(armed.description).toBe('schedule (call 2: deadlock (transient); call 4: syntaxError (permanent))')
    expect(faults.unfired()).toEqual([])
    expect(faults.schedule(faultSchedule([])).active).toBe(false)
  })
})
