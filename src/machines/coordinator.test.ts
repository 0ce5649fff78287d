import { describe, expect, test } from 'vitest'
import { coordinate } from './coordinator.ts'
import { defineMachine } from './machine.ts'
import { stateDiagram } from './mermaid.ts'
import { sqlSession } from './sql-session.ts'
import { scriptedConnection } from './test-connection.ts'

const connect = async () => scriptedConnection()

describe('coordinate', () => {
  test('an explicit order interleaves the sessions step by step', async () => {
    const started: string[] = []
    const session = (name: string) => defineMachine({ id: name, initial: 'one', states: {
      one: { next: ['two'], execute: () => { started.push(`${name}:one`); return 'two' } },
      two: { next: ['done'], execute: () => { started.push(`${name}:two`); return 'done' } },
      done: { final: true },
    } })
    const run = await coordinate({ sessions: { a: session('a'), b: session('b') }, order: ['b:one', 'a:one', 'a:two', 'b:two'], connect })
    expect(run.completed).toBe(true)
    expect(started).toEqual(['b:one', 'a:one', 'a:two', 'b:two'])
  })

  test('a session waiting for a turn that never comes ends at its timeout, saying what it waited for', async () => {
    const session = (name: string) => defineMachine({ id: name, initial: 'one', states: {
      one: { next: ['two'], execute: () => 'two' },
      two: { next: ['done'], execute: () => 'done' },
      done: { final: true },
    } })
    // 'a:two' comes first, but a reaches it only after 'a:one', listed last: no turn ever comes.
    const startedAt = performance.now()
    const run = await coordinate({ sessions: { a: session('a'), b: session('b') }, order: ['a:two', 'b:one', 'a:one'], timeoutMs: 150, blockedAfterMs: 1_000, connect })
    expect(performance.now() - startedAt).toBeLessThan(5_000)
    expect(run.completed).toBe(false)
    const waiting = Object.values(run.sessions).filter((result) => result.error?.phase === 'turn')
    expect(waiting.length).toBeGreaterThan(0)
    expect(waiting[0]?.error?.message).toMatch(/timed out after 150 ms while ".:\w+" waited for its turn/)
  })

  test('a session that completes without running a step its order lists fails the run, naming the step (unless allowUnreachedSteps)', async () => {
    // The machine skips "retry" when the first try works: the order's "a:retry" never runs.
    const machine = defineMachine({ id: 'm', initial: 'try', states: {
      try: { next: ['retry', 'done'], execute: () => 'done' },
      retry: { next: ['done'], execute: () => 'done' },
      done: { final: true },
    } })
    const run = coordinate({ sessions: { a: machine, b: machine }, order: ['a:try', 'b:try', 'a:retry'], connect })
    await expect(run).rejects.toMatchObject({ code: 'TEST_RIG_UNREACHED_STEPS', steps: ['a:retry'] })
    await expect(coordinate({ sessions: { a: machine, b: machine }, order: ['a:try', 'b:try', 'a:retry'], connect })).rejects.toThrow(/a step of the order never ran, though its session completed: a:retry\.\nFix: .*allowUnreachedSteps/)
    const allowed = await coordinate({ sessions: { a: machine, b: machine }, order: ['a:try', 'b:try', 'a:retry'], connect, allowUnreachedSteps: true })
    expect(allowed.completed).toBe(true)
  })

  test('an order naming a session or state that does not exist fails at once with the valid names', async () => {
    const machine = defineMachine({ id: 'm', initial: 'one', states: { one: { next: ['done'], execute: () => 'done' }, done: { final: true } } })
    let connected = 0
    const counting = async () => { connected++; return scriptedConnection() }
    // The compiler refuses "b:one" (no session b); the runtime check is what this test is about.
    await expect(coordinate({ sessions: { a: machine }, order: ['a:onee', 'b:one'] as never, connect: counting })).rejects.toThrow(
      /"a:onee": session "a" \(machine "m"\) has no state "onee"; states: one, done[\s\S]*"b:one": no session "b"; sessions: a/)
    expect(connected).toBe(0)
  })

  test('a step that does not return in time is recorded as blocked, the others go on, and its end is recorded', async () => {
    const run = await coordinate({
      sessions: { slow: sqlSession('slow', ['SLEEP 150', 'SELECT after']), fast: sqlSession('fast', ['SELECT 1', 'SELECT 2']) },
      order: ['slow:s1', 'fast:s1', 'fast:s2', 'slow:s2'],
      blockedAfterMs: 40,
      connect,
    })
    expect(run.blockedSteps).toHaveLength(1)
    const [blocked] = run.blockedSteps
    expect(blocked).toMatchObject({ session: 'slow', state: 's1' })
    expect(blocked?.endedAtMs).toBeGreaterThan(blocked?.blockedAtMs ?? Infinity)
    // fast ran both its steps while slow was blocked
    const fast = run.sessions.fast?.trace ?? []
    expect((fast[1]?.enteredAtMs ?? Infinity)).toBeLessThan(blocked?.endedAtMs ?? 0)
    expect(run.toMermaid()).toMatch(/Note over slow: blocked in s1/)
  })

  test("a statement's caller stack holds the handler but not the coordinator (mysql2's per-query stack capture stays cheap)", async () => {
    const stacks: string[] = []
    const capturing = async () => Object.assign(scriptedConnection(), {
      query: (sql: string) => {
        stacks.push(new Error(sql).stack ?? '')
        return Promise.resolve([[], []])
      },
    }) as unknown as Awaited<ReturnType<typeof connect>>
    const machine = defineMachine({ id: 'm', initial: 'work', states: {
      work: { next: ['done'], async execute({ conn }) {
        await conn.query('SELECT 1')
        await conn.query('SELECT 2')
        return 'done'
      } },
      done: { final: true },
    } })
    const run = await coordinate({ sessions: { a: machine }, connect: capturing })
    expect(run.completed).toBe(true)
    expect(stacks).toHaveLength(2)
    // The first statement runs in the call that starts the session; from the first await on, the
    // coordinator is off the stack (asynchronous frames included).
    expect(stacks[1]).toContain('execute')
    expect(stacks[1]).not.toContain('coordinator.ts')
  })

  test('an error outside the machines (here: opening a connection) rejects the run', async () => {
    const session = defineMachine({ id: 's', initial: 'done', states: { done: { final: true } } })
    await expect(coordinate({ sessions: { a: session }, connect: () => Promise.reject(new Error('no server')) })).rejects.toThrow('no server')
  })

  test('barriers hold every session until all have arrived', async () => {
    const order: string[] = []
    const session = (name: string, delay: number) => defineMachine({ id: name, initial: 'prepare', states: {
      prepare: { next: ['go'], execute: async ({ conn, barrier }) => { await conn.query(`SLEEP ${delay}`); order.push(`${name} ready`); await barrier('ready'); return 'go' } },
      go: { next: ['done'], execute: () => { order.push(`${name} go`); return 'done' } },
      done: { final: true },
    } })
    await coordinate({ sessions: { a: session('a', 5), b: session('b', 60), c: session('c', 20) }, connect })
    expect(order.slice(0, 3).every((line) => line.endsWith('ready'))).toBe(true)
    expect(order.slice(3).every((line) => line.endsWith('go'))).toBe(true)
  })

  test('a failing session breaks the barrier the others wait at, naming it', async () => {
    const waiter = defineMachine({ id: 'w', initial: 'wait', states: { wait: { next: ['done'], execute: async ({ barrier }) => { await barrier('both'); return 'done' } }, done: { final: true } } })
    const failer = defineMachine({ id: 'f', initial: 'boom', states: { boom: { next: ['done'], execute: async ({ conn }) => { await conn.query('FAIL on purpose'); return 'done' } }, done: { final: true } } })
    const run = await coordinate({ sessions: { w: waiter, f: failer }, connect })
    expect(run.completed).toBe(false)
    expect(run.sessions.w?.error?.message).toMatch(/barrier "both" is broken: session "f" failed/)
  })

  test('errors are outcomes of an SQL session, not crashes', async () => {
    const run = await coordinate({ sessions: { a: sqlSession('a', ['SELECT 1', 'FAIL deadlock', 'SELECT 2']) }, connect })
    expect(run.completed).toBe(true)
    expect(run.sessions.a?.data).toMatchObject({ outcomes: [{ step: 's1' }, { step: 's2', error: { code: 'ER_TEST' } }, { step: 's3' }] })
  })

  test('dozens of sessions run at once', async () => {
    const sessions = Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`s${i}`, sqlSession(`s${i}`, Array.from({ length: 20 }, (_, j) => `SELECT ${j}`))]))
    const run = await coordinate({ sessions, connect })
    expect(run.completed).toBe(true)
    expect(Object.values(run.sessions).every((result) => result.visited.length === 21)).toBe(true)
  })
})

describe('Mermaid', () => {
  test('a state diagram shows the declared transitions, the start and the end', () => {
    const machine = defineMachine({ id: 'basic', initial: 'connecting', states: {
      connecting: { next: ['testing-connection'], execute: () => 'testing-connection' },
      'testing-connection': { next: ['completed'], execute: () => 'completed' },
      completed: { final: true },
    } })
    expect(stateDiagram(machine)).toBe([
      'stateDiagram-v2',
      '  state "testing-connection" as testing_connection',
      '  [*] --> connecting',
      '  connecting --> testing_connection',
      '  testing_connection --> completed',
      '  completed --> [*]',
    ].join('\n'))
  })
})
