import { connect, createServer, type Server, type Socket } from 'node:net'
import { noRelease, ProxiedConnection, type ByteCounts } from './proxied-connection.ts'
import type { Direction, Toxic } from './toxic.ts'
import { checkScope, decideScope, type ConnectionFacts, type ToxicScope } from './toxic-scope.ts'

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
  readonly scope: ToxicScope
  /** Per connection: whether it applies (absent while undecided). */
  readonly decisions: WeakMap<ConnectionFacts, boolean>
  /** Connections whose traffic met it. */
  appliedTo: number
  removed: boolean
}

/** What went through a proxy: connections, bytes each way, and each toxic armed with how many connections it applied to. */
export interface ProxyStats {
  /** Connections accepted so far. */
  readonly connections: number
  /** Connections open now. */
  readonly open: number
  /** Bytes client → server. */
  readonly bytesUpstream: number
  /** Bytes server → client. */
  readonly bytesDownstream: number
  /** Every toxic armed on this proxy, removed ones too, in order. */
  readonly toxics: readonly { readonly type: string; readonly direction: ToxicDirection; readonly appliedToConnections: number; readonly active: boolean }[]
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
  /** Every toxic ever added, for stats. */
  readonly #history: Installed[] = []
  readonly #bytes: ByteCounts = { upstream: 0, downstream: 0 }
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

  /**
   * Adds a toxic for one or both directions; it applies to open connections at once. `scope`
   * narrows it to some connections (the n-th, or a predicate over index, client port and first
   * query) and gives it a probability per connection (`toxicity`).
   */
  add<Options extends object>(toxic: Toxic<Options>, direction: ToxicDirection = 'downstream', scope: ToxicScope = {}): ToxicHandle<Options> {
    checkScope(scope)
    const installed: Installed = { toxic: toxic as Toxic, direction, scope, decisions: new WeakMap(), appliedTo: 0, removed: false }
    this.#installed = [...this.#installed, installed]
    this.#history.push(installed)
    for (const connection of this.#connections) connection.refresh()
    return {
      toxic,
      update: (options) => {
        toxic.options = { ...toxic.options, ...options }
      },
      remove: () => {
        installed.removed = true
        this.#installed = this.#installed.filter((entry) => entry !== installed)
      },
    }
  }

  /** Removes every toxic. */
  clearToxics(): void {
    for (const entry of this.#installed) entry.removed = true
    this.#installed = []
  }

  /** Connections, bytes and toxics so far. */
  stats(): ProxyStats {
    return {
      connections: this.accepted,
      open: this.#connections.size,
      bytesUpstream: this.#bytes.upstream,
      bytesDownstream: this.#bytes.downstream,
      toxics: this.#history.map((entry) => ({ type: entry.toxic.type, direction: entry.direction, appliedToConnections: entry.appliedTo, active: !entry.removed })),
    }
  }

  /** Resets every open connection now (TCP RST both ways); new connections go through as usual. */
  resetConnections(): void {
    for (const connection of this.#connections) connection.reset()
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

  #toxicsFor = (direction: Direction, facts: ConnectionFacts): readonly Toxic[] => {
    const installed = this.#installed
    if (installed.length === 0) return noToxics
    const applying: Toxic[] = []
    for (const entry of installed) {
      if (entry.direction !== 'both' && entry.direction !== direction) continue
      let applies = entry.decisions.get(facts)
      if (applies === undefined) {
        applies = decideScope(entry.scope, facts)
        if (applies !== undefined) entry.decisions.set(facts, applies)
        if (applies) entry.appliedTo++
      }
      if (applies) applying.push(entry.toxic)
    }
    return applying
  }

  /** Toxics installed now that no connection's traffic ever met: an armed fault that never fired. */
  unapplied(): { readonly toxic: Toxic; readonly direction: ToxicDirection }[] {
    return this.#installed.filter((entry) => entry.appliedTo === 0)
  }

  #accept(client: Socket): void {
    const index = ++this.accepted
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
      }, index, this.#bytes)
      if (!connection.closed) this.#connections.add(connection)
      client.resume()
    })
    client.once('close', forget)
  }
}
