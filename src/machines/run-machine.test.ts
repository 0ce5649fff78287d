import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { MachineDefinitionError } from './errors.ts'
import { defineMachine, type StateHandler } from './machine.ts'
import { runMachine } from './run-machine.ts'
import { scriptedConnection } from './test-connection.ts'

describe('defineMachine', () => {
  test('names every problem of a broken definition', () => {
    expect(() => defineMachine({ id: 'm', initial: 'nope', states: { a: { next: ['zz'], execute: () => 'zz' }, b: {} as never } })).toThrow(MachineDefinitionError)
    try {
      defineMachine({ id: 'm', initial: 'nope', states: { a: { next: ['zz'], execute: () => 'zz' }, b: {} as never, c: { execute: () => 'a' } as never } })
    } catch (error) {
      expect((error as Error).message).toMatch(/initial state "nope" is not one of its states \(a, b, c\)/)
      expect((error as Error).message).toMatch(/no final state/)
      expect((error as Error).message).toMatch(/lists next state "zz", which does not exist/)
      expect((error as Error).message).toMatch(/state "b" is neither final nor has an execute handler/)
      expect((error as Error).message).toMatch(/state "c" lists no next states: give it next: \[\.\.\.\]/)
    }
  })

  test('withState adds a state without touching the original (dynamic states)', async () => {
    const base = defineMachine({ id: 'm', initial: 'a', states: { a: { next: ['done'], execute: () => 'done' }, done: { final: true } } })
    const extended = base.withState('extra', { next: ['done'], execute: ({ data }) => { (data as { saw: boolean }).saw = true; return 'done' } }).withState('a', { next: ['extra'], execute: () => 'extra' })
    const result = await runMachine(extended, { conn: scriptedConnection(), data: { saw: false } })
    expect(result.visited).toEqual(['a', 'extra', 'done'])
    expect(base.stateNames).toEqual(['a', 'done'])
  })
})

describe('runMachine', () => {
  test('runs enter, execute and exit of each state and records the trace with SQL per state', async () => {
    const calls: string[] = []
    const machine = defineMachine<{ count: number }>({
      id: 'counter', initial: 'start', data: () => ({ count: 0 }),
      states: {
        start: { next: ['loop'], enter: () => void calls.push('enter start'), execute: async ({ conn }) => { await conn.query('SELECT 1'); return 'loop' }, exit: () => void calls.push('exit start') },
        loop: { next: ['loop', 'done'], execute: async ({ data, conn }) => { await conn.query(`SELECT ${++data.count}`); return data.count < 3 ? 'loop' : 'done' } },
        done: { final: true, enter: ({ note }) => note('finished') },
      },
    })
    const result = await runMachine(machine, { conn: scriptedConnection() })
    expect(result.status).toBe('completed')
    expect(result.visited).toEqual(['start', 'loop', 'loop', 'loop', 'done'])
    expect(result.data.count).toBe(3)
    expect(result.trace.map((e) => e.statements.map((s) => s.sql))).toEqual([['SELECT 1'], ['SELECT 1'], ['SELECT 2'], ['SELECT 3'], []])
    expect(result.trace[4]?.notes).toEqual(['finished'])
    expect(calls).toEqual(['enter start', 'exit start'])
  })

  test('the context spreads and destructures like a plain object, and its signal is made on first use', async () => {
    let seen: Record<string, unknown> = {}
    let aborted: boolean | undefined
    const machine = defineMachine<{ n: number }>({ id: 'm', initial: 'a', data: () => ({ n: 1 }), states: {
      a: { next: ['done'], execute: (context) => {
        seen = { ...context }
        aborted = context.signal.aborted
        return 'done'
      } },
      done: { final: true },
    } })
    await runMachine(machine, { conn: scriptedConnection(), session: 's1' })
    expect(seen).toMatchObject({ machineId: 'm', session: 's1', state: 'a', data: { n: 1 } })
    expect(typeof seen.barrier).toBe('function')
    expect(typeof seen.note).toBe('function')
    expect(seen.conn).toBeDefined()
    expect(aborted).toBe(false)
  })

  test('an unknown next state is an error naming the valid ones', async () => {
    const machine = defineMachine({ id: 'm', initial: 'a', states: { a: { next: ['b'], execute: () => 'nowhere' }, b: { next: ['done'], execute: () => 'done' }, done: { final: true } } })
    const result = await runMachine(machine, { conn: scriptedConnection() })
    expect(result.status).toBe('failed')
    expect(result.error?.code).toBe('TEST_RIG_UNKNOWN_STATE')
    expect(result.error?.message).toBe('machine "m", state "a" (transition): execute returned "nowhere", which is not a state of the machine; valid: b')
  })

  test('a next state outside the declared ones is refused', async () => {
    const machine = defineMachine({ id: 'm', initial: 'a', states: { a: { next: ['b'], execute: () => 'done' }, b: { next: ['done'], execute: () => 'done' }, done: { final: true } } })
    const result = await runMachine(machine, { conn: scriptedConnection() })
    expect(result.error?.message).toMatch(/does not list as a next state; valid: b/)
  })

  test.each(['enter', 'execute', 'exit'] as const)('an error in %s ends the machine in that state, and exit still runs', async (phase) => {
    let exits = 0
    const handler: StateHandler<object> = {
      enter: () => { if (phase === 'enter') throw new Error('boom in enter') },
      execute: () => { if (phase === 'execute') throw new Error('boom in execute'); return 'done' },
      exit: () => { exits++; if (phase === 'exit') throw new Error('boom in exit') },
      next: ['done'],
    }
    const machine = defineMachine({ id: 'm', initial: 'work', states: { work: handler, done: { final: true } } })
    const result = await runMachine(machine, { conn: scriptedConnection() })
    expect(result.status).toBe('failed')
    expect(result.finalState).toBe('work')
    expect(result.error).toMatchObject({ state: 'work', phase, code: 'TEST_RIG_STATE_FAILED' })
    expect(result.error?.message).toContain(`boom in ${phase}`)
    expect(exits).toBe(1)
  })

  test('a hung query ends in a state timeout naming the machine, the state and the SQL, and exit still runs', async () => {
    const conn = scriptedConnection()
    let exited = false
    const machine = defineMachine({ id: 'importer', initial: 'load', states: {
      load: { timeoutMs: 50, next: ['done'], execute: async ({ conn: c }) => { await c.query('HANG'); return 'done' }, exit: () => { exited = true } },
      done: { final: true },
    } })
    const result = await runMachine(machine, { conn, onTimeout: () => conn.destroy() })
    expect(result.status).toBe('timed-out')
    expect(result.error?.code).toBe('TEST_RIG_STATE_TIMEOUT')
    expect(result.error?.message).toBe('machine "importer", state "load" (execute): the state timed out after 50 ms\n  while running: HANG')
    expect(exited).toBe(true)
    expect(conn.destroyed).toBe(true)
  })

  test('the machine timeout bounds the whole run', async () => {
    const machine = defineMachine({ id: 'slow', initial: 'a', timeoutMs: 80, states: {
      a: { next: ['a'], execute: async ({ conn }) => { await conn.query('SLEEP 30'); return 'a' } },
      done: { final: true },
    } })
    const result = await runMachine(machine, { conn: scriptedConnection() })
    expect(result.status).toBe('timed-out')
    expect(result.error?.code).toBe('TEST_RIG_MACHINE_TIMEOUT')
    expect(result.visited.length).toBeGreaterThanOrEqual(2)
  })

  test('exit still runs after the machine timeout (bounded by a grace of its own)', async () => {
    const conn = scriptedConnection()
    let exited = 0
    const machine = defineMachine({ id: 'holder', initial: 'hold', timeoutMs: 60, states: {
      hold: { next: ['done'], execute: async ({ conn: c }) => { await c.query('HANG'); return 'done' }, exit: async () => { await new Promise((resolve) => setTimeout(resolve, 5)); exited++ } },
      done: { final: true },
    } })
    const result = await runMachine(machine, { conn, onTimeout: () => conn.destroy() })
    expect(result.error?.code).toBe('TEST_RIG_MACHINE_TIMEOUT')
    expect(exited).toBe(1)
  })

  test("the machine's own timeout wins over the run's default, and an explicit timeout wins over both", async () => {
    const machine = defineMachine({ id: 'own', initial: 'a', timeoutMs: 50, states: {
      a: { next: ['done'], execute: async ({ conn }) => { await conn.query('HANG'); return 'done' } },
      done: { final: true },
    } })
    const own = await runMachine(machine, { conn: scriptedConnection(), defaultTimeoutMs: 60_000 })
    expect(own.error?.message).toContain('the machine timed out after 50 ms')
    const explicit = await runMachine(machine, { conn: scriptedConnection(), timeoutMs: 30, defaultTimeoutMs: 60_000 })
    expect(explicit.error?.message).toContain('the machine timed out after 30 ms')
  })

  test('random machines: the trace follows the transitions, a failure stops where it was put, exit runs once per visit', async () => {
    const machineShape = fc.record({
      size: fc.integer({ min: 1, max: 6 }),
      table: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 7, maxLength: 7 }),
      loops: fc.integer({ min: 0, max: 3 }),
      failAt: fc.option(fc.record({ visit: fc.integer({ min: 0, max: 12 }), phase: fc.constantFrom('enter', 'execute', 'exit') }), { nil: undefined }),
    })
    await fc.assert(fc.asyncProperty(machineShape, async ({ size, table, loops, failAt }) => {
      // States s0..s(size-1) and "end". State i goes to table[i] (if a valid state) until it has been
      // visited `loops` times, then to the next state, and the last one to "end".
      const names = Array.from({ length: size }, (_, i) => `s${i}`)
      const visits = new Map<string, number>()
      let visitIndex = 0
      const exits: string[] = []
      const expected: string[] = []
      const states: Record<string, StateHandler<object>> = { end: { final: true } }
      names.forEach((name, i) => {
        states[name] = {
          enter: () => { if (failAt?.phase === 'enter' && failAt.visit === visitIndex) throw new Error('planned') },
          execute: () => {
            if (failAt?.phase === 'execute' && failAt.visit === visitIndex) throw new Error('planned')
            const seen = (visits.get(name) ?? 0) + 1
            visits.set(name, seen)
            const jump = table[i] as number
            return seen <= loops && jump < size ? (names[jump] as string) : (names[i + 1] ?? 'end')
          },
          exit: () => {
            exits.push(name)
            const thisVisit = visitIndex++
            if (failAt?.phase === 'exit' && failAt.visit === thisVisit) throw new Error('planned')
          },
          next: [...new Set([...(table[i] as number) < size ? [names[table[i] as number] as string] : [], names[i + 1] ?? 'end'])],
        }
      })
      const machine = defineMachine({ id: 'random', initial: 's0', states, timeoutMs: 5_000 })
      const result = await runMachine(machine, { conn: scriptedConnection() })
      // Replay the same rules to know the expected path.
      const replay = new Map<string, number>()
      let state = 's0'
      for (let step = 0; state !== 'end'; step++) {
        expected.push(state)
        if (failAt && failAt.visit === step) break
        const i = names.indexOf(state)
        const seen = (replay.get(state) ?? 0) + 1
        replay.set(state, seen)
        const jump = table[i] as number
        state = seen <= loops && jump < size ? (names[jump] as string) : (names[i + 1] ?? 'end')
      }
      if (state === 'end' && !(failAt && failAt.visit < expected.length)) expected.push('end')
      expect(result.visited).toEqual(expected)
      expect(result.trace).toHaveLength(result.visited.length)
      expect(exits).toEqual(result.visited.filter((name) => name !== 'end'))
      const failed = failAt !== undefined && failAt.visit < expected.length && expected[failAt.visit] !== 'end'
      expect(result.status).toBe(failed ? 'failed' : 'completed')
      if (failed) expect(result.error).toMatchObject({ state: expected[failAt.visit], phase: failAt.phase })
    }), { numRuns: 200 })
  })
})
