import type { Socket } from 'node:net'
import type { Direction, Toxic, ToxicStream } from './toxic.ts'
import { statementIn, type ConnectionFacts } from './toxic-scope.ts'

/** The release of a chunk that owns its memory: nothing to give back. */
export const noRelease = (): void => {}

/** The toxics that currently apply to one direction of one connection; read for every chunk, so changes apply at once. */
export type ToxicSource = (direction: Direction, connection: ConnectionFacts) => readonly Toxic[]

/** Bytes moved through the proxy each way (shared by its connections). */
export interface ByteCounts {
  upstream: number
  downstream: number
}

/** What the proxy learns of a connection as it runs. */
interface MutableFacts {
  readonly index: number
  readonly clientPort: number
  firstQuery: string | undefined
}

const maxQueued = 64

/** One client connection through the proxy: the client socket, the upstream socket, and a pump each way. */
export class ProxiedConnection {
  readonly #client: Socket
  readonly #upstream: Socket
  readonly #onClosed: () => void
  #closed = false
  readonly #sleepers = new Set<() => void>()
  readonly #pumps: readonly Pump[]
  /** What toxics that pick connections see. */
  readonly facts: MutableFacts
  /** The proxy's byte counts. */
  readonly bytes: ByteCounts

  /**
   * `upstreamData` registers the receiver of the upstream socket's data: that socket reads into a
   * large reused buffer (`onread`) rather than emitting 'data', which halves the cost of bulk reads.
   */
  constructor(client: Socket, upstream: Socket, upstreamData: (receive: (chunk: Buffer, release: () => void) => void) => void, toxics: ToxicSource, onClosed: () => void, index: number, bytes: ByteCounts) {
    this.facts = { index, clientPort: client.remotePort ?? 0, firstQuery: undefined }
    this.bytes = bytes
    this.#client = client
    this.#upstream = upstream
    this.#onClosed = onClosed
    client.setNoDelay(true)
    upstream.setNoDelay(true)
    const up = new Pump(this, client, upstream, 'upstream', toxics)
    const down = new Pump(this, upstream, client, 'downstream', toxics)
    client.on('data', (chunk: Buffer) => up.receive(chunk))
    upstreamData((chunk, release) => down.receive(chunk, release))
    this.#pumps = [up, down]
    const onError = (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? this.reset() : this.destroy())
    client.on('error', onError)
    upstream.on('error', onError)
    client.on('close', () => this.destroy())
    upstream.on('close', () => this.destroy())
  }

  /** True once closed or reset. */
  get closed(): boolean {
    return this.#closed
  }

  /** A stream view for a toxic. */
  stream(direction: Direction): ToxicStream {
    const connection = this
    return {
      direction,
      get closed() {
        return connection.closed
      },
      sleep: (ms) => connection.sleep(ms),
      reset: () => connection.reset(),
      close: () => connection.close(),
    }
  }

  /** Applies toxics that were just added to this connection at once (a reset, a timer starts now). */
  refresh(): void {
    for (const pump of this.#pumps) pump.refresh()
  }

  /** Sleeps, waking early when the connection closes. */
  sleep(ms: number): Promise<void> {
    if (this.#closed || ms <= 0) return Promise.resolve()
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer)
        this.#sleepers.delete(wake)
        resolve()
      }
      const timer = setTimeout(wake, ms)
      this.#sleepers.add(wake)
    })
  }

  /** TCP RST both ways. */
  reset(): void {
    if (this.#closed) return
    this.#client.resetAndDestroy()
    this.#upstream.resetAndDestroy()
    this.#finish()
  }

  /** FIN both ways after what was written. */
  close(): void {
    if (this.#closed) return
    this.#client.end()
    this.#upstream.end()
    this.#client.destroySoon()
    this.#upstream.destroySoon()
    this.#finish()
  }

  /** Drops both sockets at once. */
  destroy(): void {
    if (this.#closed) return
    this.#client.destroy()
    this.#upstream.destroy()
    this.#finish()
  }

  #finish(): void {
    this.#closed = true
    for (const wake of [...this.#sleepers]) wake()
    this.#onClosed()
  }
}

/** Moves data one way: straight through when no toxic applies, else chunk by chunk through the toxics in order. */
class Pump {
  readonly connection: ProxiedConnection
  readonly from: Socket
  readonly to: Socket
  readonly direction: Direction
  readonly toxics: ToxicSource
  readonly #queue: Buffer[] = []
  readonly #stream: ToxicStream
  readonly #attached = new WeakSet<Toxic>()
  #busy = false
  #ended = false

  constructor(connection: ProxiedConnection, from: Socket, to: Socket, direction: Direction, toxics: ToxicSource) {
    this.connection = connection
    this.from = from
    this.to = to
    this.direction = direction
    this.toxics = toxics
    this.#stream = connection.stream(direction)
    this.#attachNew()
    from.on('end', () => {
      this.#ended = true
      if (!this.#busy) void this.#drain()
    })
  }

  /**
   * Takes a chunk read from the source socket. `release` says the chunk's memory may be reused:
   * straight through it is called when the write completes, else at once after a copy.
   */
  receive(chunk: Buffer, release?: () => void): void {
    const { facts, bytes } = this.connection
    bytes[this.direction] += chunk.length
    if (this.direction === 'upstream' && facts.firstQuery === undefined) facts.firstQuery = statementIn(chunk)
    if (!this.#busy && this.#queue.length === 0 && this.toxics(this.direction, facts).length === 0) {
      if (!(release === undefined || release === noRelease ? this.to.write(chunk) : this.to.write(chunk, release))) {
        this.from.pause()
        this.to.once('drain', () => this.from.resume())
      }
      return
    }
    if (release && release !== noRelease) {
      chunk = Buffer.from(chunk)
      release()
    }
    this.#queue.push(chunk)
    if (this.#queue.length > maxQueued) this.from.pause()
    if (!this.#busy) void this.#drain()
  }

  async #drain(): Promise<void> {
    this.#busy = true
    try {
      while (this.#queue.length > 0 && !this.connection.closed) {
        const chunk = this.#queue.shift() as Buffer
        if (this.#queue.length < maxQueued / 2) this.from.resume()
        const toxics = this.#attachNew()
        await this.#through(toxics, 0, chunk)
      }
      if (this.#ended && !this.connection.closed) {
        for (const toxic of this.#attachNew()) await toxic.beforeEnd?.(this.#stream)
        this.to.end()
      }
    } finally {
      this.#busy = false
    }
  }

  #through(toxics: readonly Toxic[], index: number, chunk: Buffer): Promise<void> {
    if (this.connection.closed) return Promise.resolve()
    const toxic = toxics[index]
    if (!toxic) return this.#write(chunk)
    if (!toxic.transform) return this.#through(toxics, index + 1, chunk)
    return toxic.transform(chunk, (next) => this.#through(toxics, index + 1, next), this.#stream)
  }

  #write(chunk: Buffer): Promise<void> {
    if (this.to.write(chunk)) return Promise.resolve()
    return new Promise((resolve) => {
      this.to.once('drain', resolve)
      this.to.once('close', resolve)
    })
  }

  #attachNew(): readonly Toxic[] {
    const toxics = this.toxics(this.direction, this.connection.facts)
    for (const toxic of toxics) {
      if (this.#attached.has(toxic)) continue
      this.#attached.add(toxic)
      toxic.attach?.(this.#stream)
    }
    return toxics
  }

  /** Applies toxics added since the last chunk to this stream (resets and timers start now). */
  refresh(): void {
    this.#attachNew()
  }
}

