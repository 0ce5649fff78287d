import { settingDefaults } from '../config/setting-defaults.ts'
import type { Connection } from 'mysql2/promise'
import { Barriers } from './barriers.ts'
import type { Machine } from './machine.ts'
import { sequenceDiagram } from './mermaid.ts'
import { runMachine } from './run-machine.ts'
import { formatTrace, type RunResult, type TraceEntry } from './trace.ts'
import { Turnstile } from './turnstile.ts'

/** A session of a coordinated run: a machine, or a machine with its initial data. */
export type SessionSpec<Data = unknown> = Machine<Data> | { readonly machine: Machine<Data>; readonly data?: Data }

/** The sessions of a coordinated run, by name. */
export type Sessions = Readonly<Record<string, SessionSpec>>

/** The data type of a session's machine. */
export type SessionData<Spec> = Spec extends Machine<infer Data> ? Data : Spec extends { readonly machine: Machine<infer Data> } ? Data : unknown

/** A step of an `order`: `session:state`, the session's name checked by the compiler. */
export type OrderStep<S extends Sessions = Sessions> = `${Extract<keyof S, string>}:${string}`

/** Options of {@link coordinate}. */
export interface CoordinateOptions<S extends Sessions = Sessions> {
  /** The sessions by name; each runs its machine on a connection of its own. */
  readonly sessions: S
  /** Steps `session:state` that must start in this order (a blocked step lets the next one go). */
  readonly order?: readonly OrderStep<S>[]
  /** A state running longer than this is recorded as blocked, in ms. Default 200. */
  readonly blockedAfterMs?: number
  /** Timeout of each session's machine, in ms; it wins over a machine's own. */
  readonly timeoutMs?: number
  /** Timeout of a session whose machine sets none (and `timeoutMs` is unset), in ms. Default 60 000. */
  readonly defaultTimeoutMs?: number
  /** Timeout of a state when it sets none, in ms. */
  readonly stateTimeoutMs?: number
  /** Opens the connection of a session. */
  readonly connect: (session: string) => Promise<Connection>
  /**
   * Unsticks a session whose state or machine timed out; default: destroys its connection. The rig
   * also kills the statement on the server. What it returns is added to the timeout's error.
   */
  readonly cancel?: (connection: Connection) => string | void
  /**
   * Let a session complete without running every step the order lists for it (the step's state
   * was on a path the machine did not take). Default false: such a run throws
   * {@link UnreachedStepsError}, naming the steps.
   */
  readonly allowUnreachedSteps?: boolean
}

/** A step that was found blocked, and when it finished. */
export interface BlockedStep {
  readonly session: string
  readonly state: string
  /** When it started, in ms since the run began. */
  readonly startedAtMs: number
  /** When it was found blocked. */
  readonly blockedAtMs: number
  /** When it finished (unblocked), if it did. */
  readonly endedAtMs: number | undefined
  /** The error it ended with (e.g. a deadlock), if any. */
  readonly error: string | undefined
}

/** The outcome of a coordinated run. */
export interface CoordinatedRun<S extends Sessions = Sessions> {
  /** Every session's result, by name, typed by its machine's data. */
  readonly sessions: { readonly [Name in keyof S]: RunResult<SessionData<S[Name]>> }
  /** True when every session completed. */
  readonly completed: boolean
  /** Steps that were blocked at some point. */
  readonly blockedSteps: readonly BlockedStep[]
  /** Run time in ms. */
  readonly durationMs: number
  /** The run as a Mermaid sequence diagram. */
  toMermaid(): string
  /** Every session's trace, for failure messages. */
  formatTrace(): string
}

/**
 * Runs several machines at once, each on its own connection: barriers (`context.barrier(name)`)
 * and an explicit step order make interleavings deterministic; a state that runs longer than
 * `blockedAfterMs` is recorded as blocked while the others go on, and its end is recorded when it
 * unblocks. Errors such as deadlocks end only their session, and are recorded in its result.
 */
export async function coordinate<S extends Sessions>(options: CoordinateOptions<S>): Promise<CoordinatedRun<S>> {
  const names = Object.keys(options.sessions)
  checkOrder(options.order ?? [], options.sessions)
  const blockedAfterMs = options.blockedAfterMs ?? settingDefaults.blockedAfterMs
  const origin = performance.now()
  const barriers = new Barriers(names)
  const turnstile = new Turnstile(options.order ?? [], blockedAfterMs)
  const connections = await Promise.all(names.map((name) => options.connect(name)))
  /** Steps of the order that a session which completed never ran. */
  const unreached: string[] = []
  // One sweep over the state each session is in, rather than a timer per state.
  const running: Array<TraceEntry | undefined> = names.map(() => undefined)
  const sweep = setInterval(() => {
    const now = performance.now() - origin
    for (const entry of running) {
      if (entry && entry.blockedAtMs === undefined && now - entry.enteredAtMs >= blockedAfterMs) entry.blockedAtMs = entry.enteredAtMs + blockedAfterMs
    }
  }, Math.max(5, Math.floor(blockedAfterMs / 4)))
  sweep.unref()
  try {
    // Each session's result reaches the coordinator through a promise of its own, which V8's async
    // stack walk cannot follow back: the stack mysql2 captures for every query (its `trace` option)
    // then holds the handler's frames without the coordinator's; that capture was the largest item
    // in a profile of a step.
    const results = await Promise.all(names.map((session, index) => {
      const { promise, resolve, reject } = Promise.withResolvers<RunResult<unknown>>()
      const spec = options.sessions[session] as SessionSpec
      const machine = 'machine' in spec ? spec.machine : spec
      const data = 'machine' in spec ? spec.data : undefined
      const connection = connections[index] as Connection
      void runMachine(machine, {
        conn: connection,
        session,
        origin,
        barriers,
        ...(data === undefined ? {} : { data }),
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
        ...(options.defaultTimeoutMs === undefined ? {} : { defaultTimeoutMs: options.defaultTimeoutMs }),
        ...(options.stateTimeoutMs === undefined ? {} : { stateTimeoutMs: options.stateTimeoutMs }),
        onTimeout: () => (options.cancel ? options.cancel(connection) : connection.destroy()),
        hooks: {
          beforeState: (state) => turnstile.turn(session, state),
          stateStarted: (entry) => {
            turnstile.started(session, entry.state)
            running[index] = entry
          },
          stateEnded: (entry) => {
            running[index] = undefined
            if (entry.blockedAtMs === undefined && entry.durationMs >= blockedAfterMs) entry.blockedAtMs = entry.enteredAtMs + blockedAfterMs
            turnstile.ended(session, entry.state)
          },
        },
      }).then((result) => {
        if (result.status === 'completed') barriers.finished(session)
        else barriers.failed(session, result.error?.message.split('\n')[0] ?? result.status)
        const dropped = turnstile.sessionEnded(session)
        // A failed session's later steps did not run because it failed, which its result says.
        if (result.status === 'completed') unreached.push(...dropped)
        resolve(result)
      }, reject)
      return promise
    }))
    const sessions = Object.fromEntries(results.map((result) => [result.session, result])) as CoordinatedRun<S>['sessions']
    const blockedSteps = results.flatMap((result) => result.trace.filter((entry) => entry.blockedAtMs !== undefined).map((entry) => ({
      session: result.session,
      state: entry.state,
      startedAtMs: entry.enteredAtMs,
      blockedAtMs: entry.blockedAtMs as number,
      endedAtMs: entry.durationMs > 0 ? entry.enteredAtMs + entry.durationMs : undefined,
      error: entry.error ?? entry.statements.find((s) => s.error)?.error,
    })))
    const formatted = () => results.map((result) => formatTrace(result)).join('\n')
    if (unreached.length > 0 && !options.allowUnreachedSteps) throw new UnreachedStepsError(unreached, formatted())
    return {
      sessions,
      completed: results.every((result) => result.status === 'completed'),
      blockedSteps,
      durationMs: performance.now() - origin,
      toMermaid: () => sequenceDiagram(results),
      formatTrace: formatted,
    }
  } finally {
    clearInterval(sweep)
    turnstile.close()
    for (const connection of connections) connection.destroy()
  }
}

/** Sessions completed without running steps their `order` lists: the interleaving the test asked for did not happen. */
export class UnreachedStepsError extends Error {
  /** Stable error code. */
  readonly code = 'TEST_RIG_UNREACHED_STEPS'
  /** The steps (`session:state`) that never ran. */
  readonly steps: readonly string[]

  constructor(steps: readonly string[], trace: string) {
    super(`coordinate(): ${steps.length === 1 ? 'a step' : `${steps.length} steps`} of the order never ran, though ${steps.length === 1 ? 'its session' : 'their sessions'} completed: ${steps.join(', ')}.\n` +
      `Fix: the machine took another path than the order expects (see the trace); correct the order or the transitions, or pass allowUnreachedSteps: true when the step is optional.\n${trace}`)
    this.name = 'UnreachedStepsError'
    this.steps = steps
  }
}

/** An `order` that names a session or state that does not exist: thrown before any session starts. */
export class OrderError extends Error {
  /** Stable error code. */
  readonly code = 'TEST_RIG_BAD_ORDER'

  constructor(problems: readonly string[]) {
    super(`coordinate(): the order names steps that cannot run:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\nFix: write each step as "session:state" with the names above.`)
    this.name = 'OrderError'
  }
}

function checkOrder(order: readonly string[], sessions: Readonly<Record<string, SessionSpec>>): void {
  const problems: string[] = []
  for (const step of order) {
    const colon = step.indexOf(':')
    const session = colon < 0 ? step : step.slice(0, colon)
    const state = colon < 0 ? '' : step.slice(colon + 1)
    const spec = sessions[session]
    if (!spec) {
      problems.push(`"${step}": no session "${session}"; sessions: ${Object.keys(sessions).join(', ')}`)
      continue
    }
    const machine = 'machine' in spec ? spec.machine : spec
    if (!machine.hasState(state)) problems.push(`"${step}": session "${session}" (machine "${machine.definition.id}") has no state "${state}"; states: ${machine.stateNames.join(', ')}`)
  }
  if (problems.length > 0) throw new OrderError(problems)
}
