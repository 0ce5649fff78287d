/**
 * Explicit step order for a coordinated run: steps named `session:state` run in the listed order.
 * A listed step's turn comes when every step before it has completed or been found blocked, so a
 * blocked step does not hold up the others. States that are not listed run freely.
 */
export class Turnstile {
  readonly #order: string[]
  readonly #blockedAfterMs: number
  #next = 0
  readonly #waiting = new Map<number, () => void>()
  readonly #timers = new Map<number, NodeJS.Timeout>()
  readonly #done = new Set<number>()
  readonly #issued = new Map<string, number>()

  constructor(order: readonly string[], blockedAfterMs: number) {
    this.#order = [...order]
    this.#blockedAfterMs = blockedAfterMs
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
    const position = this.#issued.get(`${session}:${state}`)
    if (position === undefined) return
    this.#timers.set(position, setTimeout(() => this.#complete(position), this.#blockedAfterMs))
  }

  /** The listed step has ended. */
  ended(session: string, state: string): void {
    const key = `${session}:${state}`
    const position = this.#issued.get(key)
    if (position === undefined) return
    this.#issued.delete(key)
    this.#complete(position)
  }

  /** A session has ended: its remaining steps are dropped so they hold nobody up. */
  sessionEnded(session: string): void {
    this.#order.forEach((step, position) => {
      if (step.startsWith(`${session}:`) && !this.#done.has(position) && !this.#issued.has(step)) this.#complete(position)
    })
  }

  /** Ends every wait (the run is over). */
  close(): void {
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
    while (this.#done.has(this.#next)) this.#next++
    const resolve = this.#waiting.get(this.#next)
    if (resolve) {
      this.#waiting.delete(this.#next)
      resolve()
    }
  }
}
