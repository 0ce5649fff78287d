import { BarrierBrokenError } from './errors.ts'

interface Barrier {
  readonly arrived: Set<string>
  readonly waiters: Array<{ resolve: () => void; reject: (error: Error) => void }>
}

/**
 * Named barriers among the sessions of a coordinated run: `wait(name, session)` returns when every
 * session still running has arrived. A session that ends stops counting; one that fails breaks
 * the barriers others wait at.
 */
export class Barriers {
  readonly #barriers = new Map<string, Barrier>()
  readonly #running: Set<string>
  #broken: { session: string; reason: string } | undefined

  constructor(sessions: Iterable<string>) {
    this.#running = new Set(sessions)
  }

  /** Waits at a barrier. */
  wait(name: string, session: string): Promise<void> {
    if (this.#broken) return Promise.reject(new BarrierBrokenError(name, `session "${this.#broken.session}" failed: ${this.#broken.reason}`))
    const barrier = this.#barriers.get(name) ?? { arrived: new Set<string>(), waiters: [] }
    this.#barriers.set(name, barrier)
    barrier.arrived.add(session)
    const done = new Promise<void>((resolve, reject) => barrier.waiters.push({ resolve, reject }))
    this.#release(name, barrier)
    return done
  }

  /** A session finished: it no longer holds others up. */
  finished(session: string): void {
    this.#running.delete(session)
    for (const [name, barrier] of this.#barriers) this.#release(name, barrier)
  }

  /** A session failed: everyone waiting, now or later, gets a {@link BarrierBrokenError}. */
  failed(session: string, reason: string): void {
    this.#running.delete(session)
    this.#broken = { session, reason }
    for (const [name, barrier] of this.#barriers) {
      for (const waiter of barrier.waiters.splice(0)) waiter.reject(new BarrierBrokenError(name, `session "${session}" failed: ${reason}`))
    }
  }

  #release(name: string, barrier: Barrier): void {
    if (barrier.waiters.length === 0) return
    for (const session of this.#running) if (!barrier.arrived.has(session)) return
    for (const waiter of barrier.waiters.splice(0)) waiter.resolve()
    this.#barriers.delete(name)
  }
}
