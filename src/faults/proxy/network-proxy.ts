import { connect, createServer, type Server, type Socket } from 'node:net'
import { noRelease, ProxiedConnection } from './proxied-connection.ts'
import type { Direction, Toxic } from './toxic.ts'

/** Which way(s) a toxic applies. */
export type ToxicDirection = Direction | 'both'

/** A handle on a toxic added to a proxy. */
export interface ToxicHandle<Options extends object = object> {
  /** The toxic. */
  readonly toxic: Toxic<Options>
  /** Changes its options; connections see the change on their next chunk. */
  update(options: Partial<Options>): void
  /** Removes it. */
  remove(): void
}

const noToxics: readonly Toxic[] = Object.freeze([])

/** Read buffer of the upstream socket: large, so that a bulk result takes few reads. */
const upstreamReadBuffer = 256 * 1024

/** Reads smaller than this are copied out of the read buffer rather than handed on. */
const smallRead = 16 * 1024

interface Installed {
  readonly toxic: Toxic
  readonly direction: ToxicDirection
  /** Some connection's traffic met it. */
  applied?: boolean
}

/**
 * A loopback TCP proxy in front of a server, with toxics that can be added, changed and removed
 * while connections run (the Toxiproxy idea, in process). `down()` refuses new connections and
 * drops the open ones; `up()` listens again on the same port.
 */
export class NetworkProxy implements AsyncDisposable {
  readonly #upstream: { readonly host: string; readonly port: number }
  readonly #connections = new Set<ProxiedConnection>()
  readonly #sockets = new Set<Socket>()
  #installed: Installed[] = []
  #server: Server | undefined
  #port = 0
  /** Connections accepted so far. */
  accepted = 0

  private constructor(upstream: { readonly host: string; readonly port: number }) {
    this.#upstream = upstream
  }

  /** Starts a proxy on 127.0.0.1 (a free port) in front of `upstream`. */
  static async start(upstream: { readonly host: string; readonly port: number }): Promise<NetworkProxy> {
    const proxy = new NetworkProxy(upstream)
    await proxy.up()
    return proxy
  }

  /** The proxy's address. */
  get host(): string {
    return '127.0.0.1'
  }

  /** The proxy's port (kept across `down()`/`up()`). */
  get port(): number {
    return this.#port
  }

  /** Whether it accepts connections. */
  get isUp(): boolean {
    return this.#server !== undefined
  }

  /** Open proxied connections. */
  get connectionCount(): number {
    return this.#connections.size
  }

  /** Adds a toxic for one or both directions; it applies to open connections at once. */
  add<Options extends object>(toxic: Toxic<Options>, direction: ToxicDirection = 'downstream'): ToxicHandle<Options> {
    const installed: Installed = { toxic: toxic as Toxic, direction }
    this.#installed = [...this.#installed, installed]
    for (const connection of this.#connections) connection.refresh()
    return {
      toxic,
      update: (options) => {
        toxic.options = { ...toxic.options, ...options }
      },
      remove: () => {
        this.#installed = this.#installed.filter((entry) => entry !== installed)
      },
    }
  }

  /** Removes every toxic. */
  clearToxics(): void {
    this.#installed = []
  }

  /** Refuses new connections (ECONNREFUSED) and drops the open ones. */
  async down(): Promise<void> {
    const server = this.#server
    this.#server = undefined
    for (const connection of this.#connections) connection.destroy()
    for (const socket of this.#sockets) socket.destroy()
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  /** Accepts connections again, on the same port as before. */
  async up(): Promise<void> {
    if (this.#server) return
    // Half-open sockets let each direction end on its own, so an end can be delayed (slow close).
    const server = createServer({ allowHalfOpen: true }, (client) => this.#accept(client))
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.#port, '127.0.0.1', () => resolve())
    })
    server.unref()
    const address = server.address()
    this.#port = typeof address === 'object' && address ? address.port : this.#port
    this.#server = server
  }

  /** Closes the proxy and every connection through it. */
  async close(): Promise<void> {
    this.clearToxics()
    await this.down()
  }

  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }

  #toxicsFor = (direction: Direction): readonly Toxic[] => {
    const installed = this.#installed
    if (installed.length === 0) return noToxics
    const applying = installed.filter((entry) => entry.direction === 'both' || entry.direction === direction)
    for (const entry of applying) entry.applied = true
    return applying.map((entry) => entry.toxic)
  }

  /** Toxics installed now that no connection's traffic ever met: an armed fault that never fired. */
  unapplied(): { readonly toxic: Toxic; readonly direction: ToxicDirection }[] {
    return this.#installed.filter((entry) => !entry.applied)
  }

  #accept(client: Socket): void {
    this.accepted++
    this.#sockets.add(client)
    client.pause()
    let receive: (chunk: Buffer, release: () => void) => void = () => {}
    // Reads land in pooled buffers that go straight to the client's socket; a buffer returns to
    // the pool when its write has completed, so the data is never copied on the way through.
    const pool: Buffer[] = []
    let reading: Buffer = Buffer.allocUnsafe(upstreamReadBuffer)
    const upstream = connect({
      port: this.#upstream.port,
      host: this.#upstream.host,
      allowHalfOpen: true,
      onread: {
        buffer: () => reading,
        callback: (bytes: number, buffer: Uint8Array) => {
          const filled = buffer as Buffer
          // A small read (a query's answer) is cheaper to copy than to track until written.
          if (bytes < smallRead) {
            receive(Buffer.from(filled.subarray(0, bytes)), noRelease)
            return true
          }
          reading = pool.pop() ?? Buffer.allocUnsafe(upstreamReadBuffer)
          receive(filled.subarray(0, bytes), () => pool.length < 8 && pool.push(filled))
          return true
        },
      },
    })
    this.#sockets.add(upstream)
    const forget = () => {
      this.#sockets.delete(client)
      this.#sockets.delete(upstream)
    }
    upstream.once('error', () => client.destroy())
    client.once('error', () => upstream.destroy())
    upstream.once('connect', () => {
      forget()
      // A toxic armed before the connection (a reset) can close it while it is being made: the
      // close callback must not reach for the variable before it is assigned.
      let connection: ProxiedConnection | undefined
      connection = new ProxiedConnection(client, upstream, (sink) => { receive = sink }, this.#toxicsFor, () => {
        if (connection) this.#connections.delete(connection)
      })
      if (!connection.closed) this.#connections.add(connection)
      client.resume()
    })
    client.once('close', forget)
  }
}
