import { settingDefaults } from '../config/setting-defaults.ts'
import type { Connection } from 'mysql2/promise'
import { Barriers } from './barriers.ts'
import { MachineError, type HandlerPhase } from './errors.ts'
import { Interrupter, isThenable, Timeout } from './interrupter.ts'
import type { Machine, StateHandler } from './machine.ts'
import { stateDiagram } from './mermaid.ts'
import { StateContext, type RunScope } from './state-context.ts'
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
  /** Timeout of the whole run, in ms; it wins over the machine's own. */
  readonly timeoutMs?: number
  /** Timeout of the run when neither `timeoutMs` nor the machine sets one, in ms; default 60 000. */
  readonly defaultTimeoutMs?: number
  /** Timeout of a state when it sets none, in ms; default: the run's timeout. */
  readonly stateTimeoutMs?: number
  /** Barriers shared with the other sessions (coordinated runs). */
  readonly barriers?: Barriers
  /** Coordinator hooks. */
  readonly hooks?: StateHooks
  /**
   * Called on a timeout, to unstick a hung statement (e.g. destroy the connection, and kill its
   * statement on the server); what it returns is added to the timeout's error.
   */
  readonly onTimeout?: () => string | void
  /** `performance.now()` that counts as time 0 (shared by the sessions of a coordinated run). */
  readonly origin?: number
}

/**
 * Runs a machine from its initial state to a final state: for each state `enter`, `execute` (which
 * names the next state) and `exit` — `exit` also after an error or timeout. Never throws for what
 * happens inside the machine: the result says how it ended, with the full trace.
 */
export async function runMachine<Data>(machine: Machine<Data>, options: RunMachineOptions<Data>): Promise<RunResult<Data>> {
  const { definition } = machine
  const { hooks, onTimeout } = options
  const origin = options.origin ?? performance.now()
  const now = () => performance.now() - origin
  const startedAtMs = now()
  const session = options.session ?? definition.id
  const data = options.data ?? (definition.data ? definition.data() : ({} as Data))
  const barriers = options.barriers ?? new Barriers([session])
  const machineTimeoutMs = options.timeoutMs ?? definition.timeoutMs ?? options.defaultTimeoutMs ?? settingDefaults.timeoutSecs * 1000
  const machineAbort = new AbortController()
  const trace: TraceEntry[] = []
  const visited: string[] = []
  let current: TraceEntry | undefined
  const run: RunScope<Data> = {
    machineId: definition.id,
    session,
    conn: traceConnection(options.conn, { now, current: () => current?.statements ?? [] }),
    data,
    barrier: (name) => barriers.wait(name, session),
    note: (text) => void current?.notes.push(text),
    machineSignal: machineAbort.signal,
  }

  // The machine's deadline interrupts whatever handler is running at the time.
  const interrupter = new Interrupter(machineTimeoutMs)
  const machineTimer = setTimeout(() => {
    machineAbort.abort()
    interrupter.expire()
  }, machineTimeoutMs)

  let stateName = definition.initial
  let status: RunStatus = 'completed'
  let error: MachineError | undefined
  try {
    for (;;) {
      const handler = definition.states[stateName] as StateHandler<Data>
      const turn = hooks?.beforeState?.(stateName)
      if (turn) {
        // The machine's deadline also bounds the wait for a turn (an order naming a step that never comes).
        try {
          await interrupter.wait(turn, undefined, performance.now())
        } catch {
          error = new MachineError('TEST_RIG_MACHINE_TIMEOUT', definition.id, stateName, 'turn',
            `the machine timed out after ${machineTimeoutMs} ms while "${session}:${stateName}" waited for its turn in the coordinator's order; check that every step listed before it runs`)
          status = 'timed-out'
          break
        } finally {
          interrupter.settled()
        }
      }
      const entry: TraceEntry = { state: stateName, enteredAtMs: now(), durationMs: 0, statements: [], notes: [] }
      current = entry
      trace.push(entry)
      visited.push(stateName)
      hooks?.stateStarted?.(entry)

      const context = new StateContext<Data>(run, stateName)
      // Without a timeout of its own a state is bounded by the machine's timer alone.
      const stateTimeoutMs = handler.timeoutMs ?? options.stateTimeoutMs
      let phase: HandlerPhase = 'enter'
      let next: string | void = undefined
      let failure: Failure | undefined
      let startedAt = performance.now()
      try {
        if (handler.enter) {
          interrupter.check()
          const entered = handler.enter(context)
          if (isThenable(entered)) await interrupter.wait(entered, stateTimeoutMs, startedAt)
        }
        phase = 'execute'
        interrupter.check()
        const executed = handler.execute?.(context) as Promise<string | void> | string | void
        next = isThenable(executed) ? await interrupter.wait(executed, stateTimeoutMs, startedAt) : executed
      } catch (cause) {
        const sql = inFlight(entry.statements)?.sql
        failure = { phase, cause, ...(sql === undefined ? {} : { sql }), ...(cause instanceof Timeout ? { cancelled: timedOut(context, onTimeout) } : {}) }
      }
      interrupter.settled()
      if (handler.exit) {
        // After the machine's deadline, exit still runs (to release what enter took), bounded by a grace of its own.
        const exitInterrupter = isMachineTimeout(failure) ? new Interrupter(exitGraceMs) : interrupter
        const exitTimeoutMs = isMachineTimeout(failure) ? stateTimeoutMs ?? exitGraceMs : stateTimeoutMs
        startedAt = performance.now()
        try {
          exitInterrupter.check()
          const exited = handler.exit(context)
          if (isThenable(exited)) await exitInterrupter.wait(exited, exitTimeoutMs, startedAt)
        } catch (cause) {
          const cancelled = cause instanceof Timeout ? timedOut(context, onTimeout) : undefined
          failure ??= { phase: 'exit', cause, cancelled }
        }
        exitInterrupter.settled()
      }
      context.end()
      entry.durationMs = now() - entry.enteredAtMs
      hooks?.stateEnded?.(entry)

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

/** How long `exit` may run after the machine's deadline when its state sets no timeout, in ms. */
const exitGraceMs = 5_000

interface Failure {
  readonly phase: HandlerPhase
  readonly cause: unknown
  readonly sql?: string
  /** What the timeout hook did to the statement, e.g. killed it on the server. */
  readonly cancelled?: string | void
}

/** A handler timed out: its state's signal aborts, and the run's hook unsticks what hangs (e.g. destroys the connection). */
function timedOut(context: StateContext<unknown>, onTimeout: (() => string | void) | undefined): string | void {
  context.abort()
  return onTimeout?.()
}

function isMachineTimeout(failure: Failure | undefined): boolean {
  return failure?.cause instanceof Timeout && failure.cause.scope === 'machine'
}

function toMachineError(machineId: string, state: string, failure: Failure): MachineError {
  const { phase, cause, sql, cancelled } = failure
  if (cause instanceof Timeout) {
    const code = cause.scope === 'state' ? 'TEST_RIG_STATE_TIMEOUT' : 'TEST_RIG_MACHINE_TIMEOUT'
    const what = `the ${cause.scope} timed out after ${cause.ms} ms${cancelled ? `; ${cancelled}` : ''}`
    return new MachineError(code, machineId, state, phase, what, { sql })
  }
  const message = cause instanceof Error ? cause.message : String(cause)
  return new MachineError('TEST_RIG_STATE_FAILED', machineId, state, phase, message, { cause, sql })
}

function transitionProblem<Data>(machine: Machine<Data>, state: string, handler: StateHandler<Data>, next: unknown): string | undefined {
  if (typeof next === 'string' && (handler.next ? handler.next.includes(next) : machine.hasState(next))) return undefined
  const valid = handler.next ?? machine.stateNames
  if (typeof next !== 'string') return `execute returned ${next === undefined ? 'nothing' : JSON.stringify(next)}, but a state that is not final must name the next state; valid: ${valid.join(', ')}`
  if (!machine.hasState(next)) return `execute returned "${next}", which is not a state of the machine; valid: ${valid.join(', ')}`
  if (handler.next && !handler.next.includes(next)) return `execute returned "${next}", which "${state}" does not list as a next state; valid: ${valid.join(', ')}`
  return undefined
}
