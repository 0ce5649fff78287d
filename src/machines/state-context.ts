import type { Connection } from 'mysql2/promise'
import type { MachineContext } from './machine.ts'

/** What the states of one run share, made once per run: the context without its per-state parts, and the machine's signal. */
export type RunScope<Data> = Omit<MachineContext<Data>, 'state' | 'signal'> & {
  /** Aborted when the machine times out. */
  readonly machineSignal: AbortSignal
}

/**
 * The context a state's handlers receive: plain own fields (so it spreads and destructures like
 * any object), and an abort signal made on first use (most handlers never ask), which follows the
 * machine's signal until the state ends.
 */
export class StateContext<Data> implements MachineContext<Data> {
  readonly machineId: string
  readonly session: string
  readonly state: string
  readonly conn: Connection
  readonly data: Data
  readonly barrier: (name: string) => Promise<void>
  readonly note: (text: string) => void
  readonly #machineSignal: AbortSignal
  #abort: AbortController | undefined
  #follow: (() => void) | undefined

  constructor(run: RunScope<Data>, state: string) {
    this.machineId = run.machineId
    this.session = run.session
    this.state = state
    this.conn = run.conn
    this.data = run.data
    this.barrier = run.barrier
    this.note = run.note
    this.#machineSignal = run.machineSignal
  }

  get signal(): AbortSignal {
    if (this.#abort) return this.#abort.signal
    const abort = new AbortController()
    this.#abort = abort
    const machine = this.#machineSignal
    if (machine.aborted) abort.abort()
    else {
      this.#follow = () => abort.abort()
      machine.addEventListener('abort', this.#follow, { once: true })
    }
    return abort.signal
  }

  /** The state timed out: its signal aborts. */
  abort(): void {
    void this.signal
    this.#abort?.abort()
  }

  /** The state is over: its signal stops following the machine's. */
  end(): void {
    if (this.#follow) this.#machineSignal.removeEventListener('abort', this.#follow)
  }
}
