import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { Turnstile } from './turnstile.ts'

/** Runs sessions that go through their states in their own order, each state ending at once. */
async function run(turnstile: Turnstile, sessions: Readonly<Record<string, readonly string[]>>): Promise<string[]> {
  const started: string[] = []
  await Promise.all(Object.entries(sessions).map(async ([session, states]) => {
    for (const state of states) {
      const turn = turnstile.turn(session, state)
      if (turn) await turn
      turnstile.started(session, state)
      started.push(`${session}:${state}`)
      await Promise.resolve()
      turnstile.ended(session, state)
    }
    turnstile.sessionEnded(session)
  }))
  turnstile.close()
  return started
}

/** A random interleaving of the sessions' own step sequences (every valid `order`). */
const interleaving = fc.integer({ min: 1, max: 4 }).chain((sessionCount) => fc.tuple(
  fc.array(fc.integer({ min: 1, max: 4 }), { minLength: sessionCount, maxLength: sessionCount }),
  fc.infiniteStream(fc.nat()),
)).map(([lengths, picks]) => {
  const sessions = Object.fromEntries(lengths.map((length, i) => [`s${i}`, Array.from({ length }, (_, j) => `st${j}`)]))
  const cursors = lengths.map(() => 0)
  const order: string[] = []
  const pick = picks[Symbol.iterator]()
  while (cursors.some((cursor, i) => cursor < (lengths[i] as number))) {
    const open = cursors.flatMap((cursor, i) => (cursor < (lengths[i] as number) ? [i] : []))
    const i = open[(pick.next().value as number) % open.length] as number
    order.push(`s${i}:st${cursors[i]}`)
    cursors[i] = (cursors[i] as number) + 1
  }
  return { sessions, order }
})

describe('Turnstile', () => {
  test('steps start exactly in the listed order, for any interleaving of the sessions\' own orders', async () => {
    await fc.assert(fc.asyncProperty(interleaving, async ({ sessions, order }) => {
      expect(await run(new Turnstile(order, 1_000), sessions)).toEqual(order)
    }), { numRuns: 200 })
  })

  test('steps the order does not list run freely, and never hold the listed ones up', async () => {
    await fc.assert(fc.asyncProperty(interleaving, fc.nat(), async ({ sessions, order }, seed) => {
      // Leave some steps out of the order: the listed ones still keep their relative order.
      const listed = order.filter((_, i) => (i + seed) % 3 !== 0)
      const started = await run(new Turnstile(listed, 1_000), sessions)
      expect(started.filter((step) => listed.includes(step))).toEqual(listed)
      expect(started.sort()).toEqual([...order].sort())
    }), { numRuns: 200 })
  })
})
