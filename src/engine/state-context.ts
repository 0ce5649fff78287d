import type { Connection } from 'mysql2/promise'
import type { MachineContext } from './machine.ts'

/** What the states of one run share: made once per run, so a state visit allocates one small object. */
export interface RunScope<Data> {
  /** The machine's id. */
  readonly machineId: string
  /** The session name. */
  readonly session: string
  /** The traced connection. */
  readonly conn: Connection
  /** The run's data. */
  readonly data: Data
  /** Waits at a named barrier. */
  readonly barrier: (name: string) => Promise<void>
  /** Notes into the trace of the state running now. */
  readonly note: (text: string) => void
  /** Aborted when the machine times out. */
  readonly machineSignal: AbortSignal
}

/**
 * The context a state's handlers receive. Its abort signal is made on first use (most handlers
 * never ask), and follows the machine's signal until the state ends.
 */
export class StateContext<Data> implements MachineContext<Data> {
  readonly state: string
  readonly #run: RunScope<Data>
  #abort: AbortController | undefined
  #follow: (() => void) | undefined

  constructor(run: RunScope<Data>, state: string) {
    this.#run = run
    this.state = state
  }

  get machineId(): string {
    return this.#run.machineId
  }

  get session(): string {
    return this.#run.session
  }

  get conn(): Connection {
    return this.#run.conn
  }

  get data(): Data {
    return this.#run.data
  }

  get barrier(): (name: string) => Promise<void> {
    return this.#run.barrier
  }

  get note(): (text: string) => void {
    return this.#run.note
  }

  get signal(): AbortSignal {
    if (this.#abort) return this.#abort.signal
    const abort = new AbortController()
    this.#abort = abort
    const machine = this.#run.machineSignal
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
    if (this.#follow) this.#run.machineSignal.removeEventListener('abort', this.#follow)
  }
}
