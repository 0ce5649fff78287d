import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { Barriers } from './barriers.ts'
import { BarrierBrokenError } from './errors.ts'

const settle = () => new Promise((resolve) => setImmediate(resolve))

describe('Barriers', () => {
  test('nobody passes before every running session has arrived or finished; then everyone does (random arrivals)', async () => {
    const sessions = fc.integer({ min: 2, max: 6 }).chain((n) => fc.tuple(
      fc.constant(Array.from({ length: n }, (_, i) => `s${i}`)),
      fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: n, maxLength: n }),
      fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    ))
    await fc.assert(fc.asyncProperty(sessions, async ([names, order, finishesInstead]) => {
      const barriers = new Barriers(names)
      const passed: string[] = []
      const waits: Promise<void>[] = []
      let pending = names.length
      for (const index of order) {
        const session = names[index] as string
        pending--
        if (finishesInstead[index]) barriers.finished(session)
        else waits.push(barriers.wait('meet', session).then(() => void passed.push(session)))
        await settle()
        // Before the last session has arrived or finished, nobody has passed.
        if (pending > 0) expect(passed).toEqual([])
      }
      await Promise.all(waits)
      expect(passed.sort()).toEqual(names.filter((_, i) => !finishesInstead[i]).sort())
    }), { numRuns: 200 })
  })

  test('a failed session breaks the barrier for everyone waiting there now and later, naming it', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 0, max: 4 }), async (n, waitingBefore) => {
      const names = Array.from({ length: n + 1 }, (_, i) => `s${i}`)
      const barriers = new Barriers(names)
      const early = names.slice(0, Math.min(waitingBefore, n - 1)).map((session) => barriers.wait('meet', session).then(() => 'passed', (error: unknown) => error))
      barriers.failed(names[n] as string, 'deadlock')
      const late = barriers.wait('other', names[0] as string).then(() => 'passed', (error: unknown) => error)
      for (const outcome of await Promise.all([...early, late])) {
        expect(outcome).toBeInstanceOf(BarrierBrokenError)
        expect((outcome as Error).message).toMatch(new RegExp(`session "s${n}" failed: deadlock`))
      }
    }), { numRuns: 100 })
  })
})
