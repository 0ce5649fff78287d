import type { Connection } from 'mysql2/promise'
import { Barriers } from './barriers.ts'
import { MachineError, type HandlerPhase } from './errors.ts'
import type { Machine, MachineContext, StateHandler } from './machine.ts'
import { stateDiagram } from './mermaid.ts'
import { inFlight, traceConnection } from './statement-recorder.ts'
import type { RunResult, RunStatus, TraceEntry } from './trace.ts'

/** Hooks a coordinator uses to order and watch the states of its sessions. */
export interface StateHooks {
  /** Awaited (when it returns a promise) before a state is entered: the coordinator's turn order. */
  beforeState?(state: string): Promise<void> | undefined
  /** Called once the state has started. */
  stateStarted?(entry: TraceEntry): void
  /** Called when the state has ended (also on error). */
  stateEnded?(entry: TraceEntry): void
}

/** Options of {@link runMachine}. */
export interface RunMachineOptions<Data> {
  /** The session's connection. */
  readonly conn: Connection
  /** Initial data; default: the machine's `data()`, else `{}`. */
  readonly data?: Data
  /** Session name (default: the machine id). */
  readonly session?: string
  /** Timeout of the whole run, in ms; default: the machine's, else 60 000. */
  readonly timeoutMs?: number
  /** Timeout of a state when it sets none, in ms; default: the run's timeout. */
  readonly stateTimeoutMs?: number
  /** Barriers shared with the other sessions (coordinated runs). */
  readonly barriers?: Barriers
  /** Coordinator hooks. */
  readonly hooks?: StateHooks
  /** Called on a timeout, to unstick a hung statement (e.g. destroy the connection). */
  readonly onTimeout?: () => void
  /** `performance.now()` that counts as time 0 (shared by the sessions of a coordinated run). */
  readonly origin?: number
}

class Timeout {
  readonly scope: 'state' | 'machine'
  readonly ms: number
  constructor(scope: 'state' | 'machine', ms: number) {
    this.scope = scope
    this.ms = ms
  }
}

/**
 * Runs a machine from its initial state to a final state: for each state `enter`, `execute` (which
 * names the next state) and `exit` — `exit` also after an error or timeout. Never throws for what
 * happens inside the machine: the result says how it ended, with the full trace.
 */
export async function runMachine<Data>(machine: Machine<Data>, options: RunMachineOptions<Data>): Promise<RunResult<Data>> {
  const { definition } = machine
  const origin = options.origin ?? performance.now()
  const now = () => performance.now() - origin
  const startedAtMs = now()
  const session = options.session ?? definition.id
  const data = options.data ?? (definition.data ? definition.data() : ({} as Data))
  const barriers = options.barriers ?? new Barriers([session])
  const machineTimeoutMs = options.timeoutMs ?? definition.timeoutMs ?? 60_000
  const machineAbort = new AbortController()
  const trace: TraceEntry[] = []
  const visited: string[] = []
  let current: TraceEntry | undefined
  const conn = traceConnection(options.conn, { now, current: () => current?.statements ?? [] })

  // The machine's deadline interrupts whatever handler is running at the time (one waiter at a
  // time, so a long run does not pile reactions onto one shared promise).
  const deadline: Deadline = { passed: false, interrupt: undefined }
  const machineTimer = setTimeout(() => {
    deadline.passed = true
    machineAbort.abort()
    deadline.interrupt?.(new Timeout('machine', machineTimeoutMs))
  }, machineTimeoutMs)

  const barrier = (name: string) => barriers.wait(name, session)
  const note = (text: string) => current?.notes.push(text)
  let stateName = definition.initial
  let status: RunStatus = 'completed'
  let error: MachineError | undefined
  try {
    for (;;) {
      const handler = definition.states[stateName] as StateHandler<Data>
      const turn = options.hooks?.beforeState?.(stateName)
      if (turn) await turn
      const entry: TraceEntry = { state: stateName, enteredAtMs: now(), durationMs: 0, statements: [], notes: [] }
      current = entry
      trace.push(entry)
      visited.push(stateName)
      options.hooks?.stateStarted?.(entry)

      const scope = new StateScope(machineAbort.signal, options.onTimeout)
      const context = new StateContext<Data>(definition.id, session, stateName, conn, data, barrier, note, scope)
      // Without a timeout of its own a state is bounded by the machine's timer alone.
      const stateTimeoutMs = handler.timeoutMs ?? options.stateTimeoutMs

      let phase: HandlerPhase = 'enter'
      let next: string | void = undefined
      let failure: { phase: HandlerPhase; cause: unknown; sql?: string } | undefined
      try {
        const work = handler.enter
          ? async () => {
            await handler.enter?.(context)
            phase = 'execute'
            return handler.execute?.(context)
          }
          : () => {
            phase = 'execute'
            return handler.execute?.(context)
          }
        next = await bounded(work, stateTimeoutMs, deadline, scope)
      } catch (cause) {
        failure = { phase, cause, ...(inFlight(entry.statements) ? { sql: inFlight(entry.statements)?.sql } : {}) }
      }
      try {
        const machineOver = failure?.cause instanceof Timeout && failure.cause.scope === 'machine'
        if (handler.exit && !machineOver) await bounded(() => handler.exit?.(context), stateTimeoutMs, deadline, scope)
      } catch (cause) {
        failure ??= { phase: 'exit', cause }
      }
      scope.end()
      entry.durationMs = now() - entry.enteredAtMs
      options.hooks?.stateEnded?.(entry)

      if (failure) {
        error = toMachineError(definition.id, stateName, failure)
        status = failure.cause instanceof Timeout ? 'timed-out' : 'failed'
        entry.error = error.message.split('\n')[0]
        break
      }
      if (handler.final) break
      const problem = transitionProblem(machine, stateName, handler, next)
      if (problem) {
        error = new MachineError('TEST_RIG_UNKNOWN_STATE', definition.id, stateName, 'transition', problem)
        status = 'failed'
        entry.error = problem
        break
      }
      entry.next = next as string
      stateName = next as string
    }
  } finally {
    clearTimeout(machineTimer)
    current = undefined
  }
  const durationMs = now() - startedAtMs
  return {
    machineId: definition.id, session, status, finalState: stateName, visited, trace, data, ...(error ? { error } : {}),
    durationMs, startedAt: Date.now() - durationMs,
    toMermaid: () => stateDiagram(machine as Machine<unknown>, { trace }),
  }
}

/** What one state visit owns: its abort signal (made only if a handler asks for it) and its timeout. */
class StateScope {
  readonly #machine: AbortSignal
  readonly #onTimeout: (() => void) | undefined
  #abort: AbortController | undefined

  constructor(machine: AbortSignal, onTimeout: (() => void) | undefined) {
    this.#machine = machine
    this.#onTimeout = onTimeout
  }

  signal(): AbortSignal {
    if (!this.#abort) {
      this.#abort = new AbortController()
      if (this.#machine.aborted) this.#abort.abort()
      else this.#machine.addEventListener('abort', this.#abortState, { once: true })
    }
    return this.#abort.signal
  }

  timedOut(): void {
    this.signal()
    this.#abort?.abort()
    this.#onTimeout?.()
  }

  end(): void {
    if (this.#abort) this.#machine.removeEventListener('abort', this.#abortState)
  }

  #abortState = (): void => this.#abort?.abort()
}

/** The context handlers receive; the signal is made on first use. */
class StateContext<Data> implements MachineContext<Data> {
  readonly machineId: string
  readonly session: string
  readonly state: string
  readonly conn: Connection
  readonly data: Data
  readonly barrier: (name: string) => Promise<void>
  readonly note: (text: string) => void
  readonly #scope: StateScope

  constructor(machineId: string, session: string, state: string, conn: Connection, data: Data, barrier: (name: string) => Promise<void>, note: (text: string) => void, scope: StateScope) {
    this.machineId = machineId
    this.session = session
    this.state = state
    this.conn = conn
    this.data = data
    this.barrier = barrier
    this.note = note
    this.#scope = scope
  }

  get signal(): AbortSignal {
    return this.#scope.signal()
  }
}

interface Deadline {
  passed: boolean
  interrupt: ((timeout: Timeout) => void) | undefined
}

async function bounded<T>(work: () => Promise<T> | T, ms: number | undefined, deadline: Deadline, scope: StateScope): Promise<T> {
  if (deadline.passed) throw new Timeout('machine', 0)
  let timer: NodeJS.Timeout | undefined
  let running: Promise<T>
  try {
    running = Promise.resolve(work())
  } catch (error) {
    running = Promise.reject(error)
  }
  running.catch(() => {})
  const interrupted = new Promise<never>((_, reject) => {
    deadline.interrupt = reject
    if (ms !== undefined) timer = setTimeout(() => reject(new Timeout('state', ms)), ms)
  })
  try {
    return await Promise.race([running, interrupted])
  } catch (error) {
    if (error instanceof Timeout) scope.timedOut()
    throw error
  } finally {
    deadline.interrupt = undefined
    clearTimeout(timer)
  }
}

function toMachineError(machineId: string, state: string, failure: { phase: HandlerPhase; cause: unknown; sql?: string }): MachineError {
  const { phase, cause, sql } = failure
  if (cause instanceof Timeout) {
    const code = cause.scope === 'state' ? 'TEST_RIG_STATE_TIMEOUT' : 'TEST_RIG_MACHINE_TIMEOUT'
    const what = cause.scope === 'state' ? `the state timed out after ${cause.ms} ms` : `the machine timed out after ${cause.ms} ms`
    return new MachineError(code, machineId, state, phase, what, { sql })
  }
  const message = cause instanceof Error ? cause.message : String(cause)
  return new MachineError('TEST_RIG_STATE_FAILED', machineId, state, phase, message, { cause, sql })
}

function transitionProblem<Data>(machine: Machine<Data>, state: string, handler: StateHandler<Data>, next: unknown): string | undefined {
  const valid = handler.next ?? machine.stateNames
  if (typeof next !== 'string') return `execute returned ${next === undefined ? 'nothing' : JSON.stringify(next)}, but a state that is not final must name the next state; valid: ${valid.join(', ')}`
  if (!machine.stateNames.includes(next)) return `execute returned "${next}", which is not a state of the machine; valid: ${valid.join(', ')}`
  if (handler.next && !handler.next.includes(next)) return `execute returned "${next}", which "${state}" does not list as a next state; valid: ${valid.join(', ')}`
  return undefined
}
