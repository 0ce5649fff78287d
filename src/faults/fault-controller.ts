import { InjectedFaultError } from './errors.ts'
import { transactionStatementOf } from './transaction-statement.ts'

/** Methods of connections and pools that faults can fail (`batch`, `prepare` and `reset` are the `mariadb` connector's). */
export const faultableMethods = ['query', 'execute', 'beginTransaction', 'commit', 'rollback', 'ping', 'end', 'changeUser', 'getConnection', 'batch', 'prepare', 'reset'] as const

/** A method that faults can fail. */
export type FaultableMethod = (typeof faultableMethods)[number]

/** Where a fault can fire: at connect, or at a method call. */
export type FaultPoint = 'connect' | FaultableMethod

/** What a connect fault callback is told. */
export interface ConnectCall {
  readonly point: 'connect'
  /** Server host. */
  readonly host: string
  /** Server port. */
  readonly port: number
  /** Database the connection is for. */
  readonly database: string | undefined
  /** User. */
  readonly user: string
  /** 1-based count of connects seen by this test's controller. */
  readonly attempt: number
}

/** What a method fault callback is told. */
export interface MethodCall {
  readonly point: FaultableMethod
  /** The SQL, for `query` and `execute`. */
  readonly sql: string | undefined
  /** The parameters, for `query` and `execute`. */
  readonly params: unknown
  /** The connection's server thread id, when known. */
  readonly threadId: number | undefined
  /** 1-based count of calls of this method seen by this test's controller. */
  readonly call: number
}

/** Returns an error (or a message) to raise for this call, or nothing to let it through. */
export type FaultDecider<Call> = (call: Call) => Error | string | undefined | void

/** How often an armed fault fires and on what. */
export interface ArmOptions {
  /** Fire this many times, or until cleared. Default 1. */
  readonly times?: number | 'always'
  /** Fire only on SQL that contains this text, in any case, or matches this pattern as written (use the i flag for any case); query and execute. */
  readonly when?: string | RegExp
}

/** A fault that fired. */
export interface FiredFault {
  /** Where it fired. */
  readonly point: FaultPoint
  /** The SQL, if any. */
  readonly sql?: string
  /** What was raised. */
  readonly error: Error
  /** Which armed fault fired. */
  readonly description: string
  /** When, in ms since the controller was made. */
  readonly atMs: number
}

/** A handle on an armed fault. */
export interface ArmedFault {
  /** Human description, e.g. `query (once, when /INSERT/)`. */
  readonly description: string
  /** Times it has fired. */
  readonly firedCount: number
  /** Whether it can still fire. */
  readonly active: boolean
  /** Stops it from firing. */
  disarm(): void
}

interface Rule extends ArmedFault {
  readonly point: FaultPoint | 'any-method'
  /** The test called `disarm()` itself. */
  readonly disarmedByTest: boolean
  readonly methods?: readonly FaultableMethod[]
  decide(call: ConnectCall | MethodCall): Error | undefined
}

/**
 * The driver-level fault controller of one test: arms errors for the next connect or the next call
 * of a named method (once, N times, always, or when a callback says so), records what fired, and
 * lists what never fired. Connections and pools the rig hands out consult it before each call.
 */
export class FaultController {
  readonly #rules: Rule[] = []
  readonly #fired: FiredFault[] = []
  readonly #calls = new Map<FaultPoint, number>()
  readonly #createdAt = performance.now()
  #activeRules = 0

  /**
   * The driver's connections (callback-API objects) that ran a call while this was the running
   * test's controller — the rig's and, in intercept mode, the app's own. When the test ends, a
   * statement still running on one of them is killed on the server.
   */
  readonly usedConnections = new Set<object>()

  /** True while no fault is armed: instrumented calls then go straight to mysql2. */
  get idle(): boolean {
    return this.#activeRules === 0
  }

  /** Fails the next connect (`times` for more) with `error` (default: an {@link InjectedFaultError}). */
  failNextConnect(error?: Error | string, options: Omit<ArmOptions, 'when'> = {}): ArmedFault {
    return this.#arm('connect', undefined, () => error, options)
  }

  /** Fails the next call of `method` (`times` for more, `when` to match SQL) with `error`. */
  failNext(method: FaultableMethod, error?: Error | string, options: ArmOptions = {}): ArmedFault {
    return this.#arm(method, undefined, () => error, options)
  }

  /** Asks `decide` on every connect until disarmed or cleared; it returns an error to raise or nothing. */
  onConnect(decide: FaultDecider<ConnectCall>): ArmedFault {
    return this.#arm('connect', undefined, decide as FaultDecider<ConnectCall | MethodCall>, { times: 'always' }, true)
  }

  /** Asks `decide` on every call of the given methods (default: all) until disarmed or cleared; `label` names it in reports. */
  onCall(decide: FaultDecider<MethodCall>, methods: readonly FaultableMethod[] = faultableMethods, label?: string): ArmedFault {
    return this.#arm('any-method', methods, decide as FaultDecider<ConnectCall | MethodCall>, { times: 'always' }, true, label)
  }

  /** Disarms every fault (they no longer count as unfired). What fired stays recorded. */
  clear(): void {
    for (const rule of this.#rules) rule.disarm()
  }

  /** Every fault that fired, in order. */
  get fired(): readonly FiredFault[] {
    return this.#fired
  }

  /** How many times faults fired at a point (all points when omitted). */
  firedCount(point?: FaultPoint): number {
    return point === undefined ? this.#fired.length : this.#fired.filter((f) => f.point === point).length
  }

  /** Faults armed in this test that never fired (those the test disarmed itself do not count). */
  unfired(): ArmedFault[] {
    return this.#rules.filter((rule) => rule.firedCount === 0 && !rule.disarmedByTest)
  }

  /** One line per fired fault, for messages. */
  summary(): string {
    if (this.#fired.length === 0) return 'no fault fired'
    return this.#fired.map((f) => `${f.atMs.toFixed(0).padStart(6)} ms  ${f.point}${f.sql ? ` ${truncate(f.sql)}` : ''} → ${f.error.message}`).join('\n')
  }

  /** Decides a connect: the error to raise, or undefined. */
  checkConnect(call: Omit<ConnectCall, 'point' | 'attempt'>): Error | undefined {
    const full: ConnectCall = { ...call, point: 'connect', attempt: this.#count('connect') }
    return this.#decide(full, undefined)
  }

  /**
   * Decides a method call: the error to raise, or undefined. A `COMMIT`, `BEGIN` / `START
   * TRANSACTION` or `ROLLBACK` sent through `query` or `execute` (as ORMs send them) is also a call
   * of `commit`, `beginTransaction` or `rollback`: faults armed on those are asked first.
   */
  checkCall(call: Omit<MethodCall, 'call'>): Error | undefined {
    const transaction = call.point === 'query' || call.point === 'execute' || call.point === 'batch' ? transactionStatementOf(call.sql) : undefined
    if (transaction !== undefined) {
      const error = this.#decide({ ...call, point: transaction, call: this.#count(transaction) }, call.sql)
      if (error) return error
    }
    const full: MethodCall = { ...call, call: this.#count(call.point) }
    return this.#decide(full, call.sql)
  }

  #count(point: FaultPoint): number {
    const next = (this.#calls.get(point) ?? 0) + 1
    this.#calls.set(point, next)
    return next
  }

  #decide(call: ConnectCall | MethodCall, sql: string | undefined): Error | undefined {
    if (this.#activeRules === 0) return undefined
    for (const rule of this.#rules) {
      if (!rule.active) continue
      const error = rule.decide(call)
      if (error) {
        this.#fired.push({ point: call.point, ...(sql === undefined ? {} : { sql }), error, description: rule.description, atMs: performance.now() - this.#createdAt })
        return error
      }
    }
    return undefined
  }

  #arm(point: Rule['point'], methods: readonly FaultableMethod[] | undefined, decider: FaultDecider<ConnectCall | MethodCall>, options: ArmOptions, isCallback = false, label?: string): ArmedFault {
    const times = options.times ?? 1
    if (times !== 'always' && (!Number.isInteger(times) || times < 1)) throw new RangeError(`times must be a positive whole number or 'always', got ${String(times)}`)
    const matches = options.when === undefined ? () => true
      // A string matches anywhere, in any case (ORMs send `update`, people write UPDATE); a RegExp
      // matches as written (add the i flag for any case).
      : typeof options.when === 'string' ? (sql: string | undefined) => sql?.toLowerCase().includes((options.when as string).toLowerCase()) ?? false
      : (sql: string | undefined) => sql !== undefined && (options.when as RegExp).test(sql)
    const controller = this
    let fired = 0
    let active = true
    let disarmedByTest = false
    const stop = () => {
      if (!active) return
      active = false
      controller.#activeRules--
    }
    const what = point === 'any-method' ? `${methods?.length === faultableMethods.length ? 'any method' : methods?.join('/')}` : point
    const description = label ?? `${what} (${isCallback ? 'callback' : times === 'always' ? 'always' : times === 1 ? 'once' : `${times} times`}${options.when === undefined ? '' : `, when ${String(options.when)}`})`
    const rule: Rule = {
      point,
      ...(methods ? { methods } : {}),
      description,
      get firedCount() { return fired },
      get active() { return active },
      get disarmedByTest() { return disarmedByTest },
      disarm() {
        if (active) disarmedByTest = true
        stop()
      },
      decide(call) {
        if (point === 'any-method' ? call.point === 'connect' || !methods?.includes(call.point) : call.point !== point) return undefined
        if (!matches(call.point === 'connect' ? undefined : call.sql)) return undefined
        const decided = decider(call)
        if (decided === undefined || decided === null) {
          if (isCallback) return undefined
        }
        const error = typeof decided === 'string' ? new InjectedFaultError(call.point, decided) : decided ?? new InjectedFaultError(call.point)
        fired++
        if (times !== 'always' && fired >= times) stop()
        return error
      },
    }
    this.#rules.push(rule)
    this.#activeRules++
    return rule
  }
}

function truncate(sql: string): string {
  return sql.length > 60 ? `${sql.slice(0, 60)}…` : sql
}
