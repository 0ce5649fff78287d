/**
 * Explicit step order for a coordinated run: steps named `session:state` run in the listed order.
 * A listed step's turn comes when every step before it has completed or been found blocked, so a
 * blocked step does not hold up the others, and the later steps of a blocked session are deferred:
 * they run, in the session's own order, once it unblocks. When a step ends while earlier steps are still
 * blocked, the next turn waits up to `settleMs` for them, so a step that a commit unblocks lands
 * before the next one starts (deterministic interleavings). States that are not listed run freely.
 */
export class Turnstile {
  readonly #order: string[]
  readonly #blockedAfterMs: number
  #next = 0
  readonly #waiting = new Map<number, () => void>()
  readonly #timers = new Map<number, NodeJS.Timeout>()
  readonly #done = new Set<number>()
  readonly #issued = new Map<string, number>()
  readonly #blocked = new Set<number>()
  /** Sessions with a step found blocked that has not ended, and that step's position. */
  readonly #blockedSessions = new Map<string, number>()
  readonly #settleMs: number
  #settling: NodeJS.Timeout | undefined

  constructor(order: readonly string[], blockedAfterMs: number, settleMs = Math.min(50, blockedAfterMs)) {
    this.#order = [...order]
    this.#blockedAfterMs = blockedAfterMs
    this.#settleMs = settleMs
  }

  /** Waits for the turn of `session:state`; undefined (go now) for states that are not listed, or whose turn it is. */
  turn(session: string, state: string): Promise<void> | undefined {
    if (this.#order.length === 0) return undefined
    const position = this.#positionOf(`${session}:${state}`)
    if (position === undefined) return undefined
    this.#issued.set(`${session}:${state}`, position)
    if (position <= this.#next) return undefined
    return new Promise<void>((resolve) => this.#waiting.set(position, resolve))
  }

  /** The listed step has started: if it does not end within the blocked threshold, the next step may go. */
  started(session: string, state: string): void {
    if (this.#order.length === 0) return
    const position = this.#issued.get(`${session}:${state}`)
    if (position === undefined) return
    this.#timers.set(position, setTimeout(() => {
      this.#blocked.add(position)
      this.#blockedSessions.set(session, position)
      this.#complete(position)
    }, this.#blockedAfterMs))
  }

  /** The listed step has ended. */
  ended(session: string, state: string): void {
    if (this.#order.length === 0) return
    const key = `${session}:${state}`
    const position = this.#issued.get(key)
    if (position === undefined) return
    this.#issued.delete(key)
    const wasBlocked = this.#blocked.delete(position)
    if (this.#blockedSessions.get(session) === position) this.#blockedSessions.delete(session)
    this.#complete(position)
    if (wasBlocked && this.#blocked.size === 0) this.#releaseNext()
  }

  /** A session has ended: its remaining steps are dropped so they hold nobody up; returns them (steps it never ran). */
  sessionEnded(session: string): string[] {
    const dropped: string[] = []
    if (this.#order.length === 0) return dropped
    this.#order.forEach((step, position) => {
      if (step.startsWith(`${session}:`) && !this.#done.has(position) && !this.#issued.has(step)) {
        dropped.push(step)
        this.#complete(position)
      }
    })
    return dropped
  }

  /** Ends every wait (the run is over). */
  close(): void {
    clearTimeout(this.#settling)
    for (const timer of this.#timers.values()) clearTimeout(timer)
    for (const resolve of this.#waiting.values()) resolve()
    this.#waiting.clear()
  }

  #positionOf(step: string): number | undefined {
    for (let position = 0; position < this.#order.length; position++) {
      if (this.#order[position] === step && !this.#done.has(position) && ![...this.#issued.values()].includes(position)) return position
    }
    return undefined
  }

  #complete(position: number): void {
    if (this.#done.has(position)) return
    this.#done.add(position)
    clearTimeout(this.#timers.get(position))
    this.#timers.delete(position)
    this.#skipDone()
    if (this.#blocked.size > 0 && !this.#blocked.has(position)) {
      // A step ended while others are blocked: give any it unblocked a moment to finish first.
      clearTimeout(this.#settling)
      this.#settling = setTimeout(() => this.#releaseNext(), this.#settleMs)
      return
    }
    this.#releaseNext()
  }

  /** Moves past finished steps, and defers the steps of sessions that are blocked now. */
  #skipDone(): void {
    for (;;) {
      if (this.#done.has(this.#next)) {
        this.#next++
        continue
      }
      const step = this.#order[this.#next]
      const session = step?.slice(0, step.indexOf(':'))
      if (step !== undefined && session !== undefined && this.#blockedSessions.has(session) && ![...this.#issued.values()].includes(this.#next)) {
        this.#done.add(this.#next)
        this.#next++
        continue
      }
      return
    }
  }

  #releaseNext(): void {
    clearTimeout(this.#settling)
    this.#settling = undefined
    this.#skipDone()
    const resolve = this.#waiting.get(this.#next)
    if (resolve) {
      this.#waiting.delete(this.#next)
      resolve()
    }
  }
}
