/** A timeout that ended a state or a whole machine. */
export class Timeout {
  /** Whether the state's own timeout or the machine's ran out. */
  readonly scope: 'state' | 'machine'
  /** The timeout that ran out, in ms. */
  readonly ms: number

  constructor(scope: 'state' | 'machine', ms: number) {
    this.scope = scope
    this.ms = ms
  }
}

/**
 * Waits for one handler at a time so that a timeout can end the wait even when the handler hangs:
 * the machine's deadline, or the state's own timeout. One promise per wait and no race, since a
 * coordinated run waits on thousands of handlers.
 */
export class Interrupter {
  readonly #machineMs: number
  #expired = false
  /** Rejects the current wait; calling it after that wait settled does nothing. */
  #reject: ((reason: Timeout) => void) | undefined
  #timer: NodeJS.Timeout | undefined

  constructor(machineMs: number) {
    this.#machineMs = machineMs
  }

  /** True once the machine's deadline has passed. */
  get expired(): boolean {
    return this.#expired
  }

  /** The machine's deadline has passed: the current wait ends with a machine timeout. */
  expire(): void {
    this.#expired = true
    this.#reject?.(new Timeout('machine', this.#machineMs))
  }

  /** Throws the machine timeout once the deadline has passed (checked before each handler runs). */
  check(): void {
    if (this.#expired) throw new Timeout('machine', 0)
  }

  /**
   * Waits for a handler's promise, or until `timeoutMs` after `startedAt` (performance.now()), or the
   * machine's deadline, whichever comes first. Call {@link settled} once the wait is over.
   */
  wait<T>(work: PromiseLike<T>, timeoutMs: number | undefined, startedAt: number): Promise<T> {
    const { promise, resolve, reject } = Promise.withResolvers<T>()
    this.#reject = reject
    if (timeoutMs !== undefined) this.#timer = setTimeout(reject, Math.max(0, startedAt + timeoutMs - performance.now()), new Timeout('state', timeoutMs))
    work.then(resolve, reject)
    return promise
  }

  /** The wait is over: its state timer stops. */
  settled(): void {
    if (this.#timer === undefined) return
    clearTimeout(this.#timer)
    this.#timer = undefined
  }
}

/** Whether a handler returned a promise (or any thenable) rather than a value. */
export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function'
}
