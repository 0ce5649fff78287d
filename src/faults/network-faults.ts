import type { Connection } from 'mysql2/promise'
import { NetworkProxy, type ProxyStats, type ToxicDirection, type ToxicHandle } from './proxy/network-proxy.ts'
import type { ToxicScope } from './proxy/toxic-scope.ts'
import type { Toxic } from './proxy/toxic.ts'
import { bandwidth, type BandwidthOptions } from './proxy/toxics/bandwidth.ts'
import { latency, type LatencyOptions } from './proxy/toxics/latency.ts'
import { limitData, type LimitDataOptions } from './proxy/toxics/limit-data.ts'
import { resetPeer, type ResetPeerOptions } from './proxy/toxics/reset-peer.ts'
import { slicer, type SlicerOptions } from './proxy/toxics/slicer.ts'
import { slowClose, type SlowCloseOptions } from './proxy/toxics/slow-close.ts'
import { timeout, type TimeoutOptions } from './proxy/toxics/timeout.ts'

/**
 * Which way a toxic applies — most default to `downstream` (server → client), as in Toxiproxy —
 * and to which connections: `connection` (the n-th through the proxy, or a predicate over
 * `{ index, clientPort, firstQuery }`) and `toxicity` (the chance per connection, 0 to 1).
 */
export interface DirectionOption extends ToxicScope {
  readonly direction?: ToxicDirection
}

/**
 * Network faults of one test: a loopback proxy in front of the server, its URL for the app under
 * test, and toxics to slow, cut or black-hole the traffic through it.
 */
export class NetworkFaults implements AsyncDisposable {
  /** The proxy itself, for custom toxics and counts. */
  readonly proxy: NetworkProxy
  /** A `mysql://` URL into the test's database through the proxy (holds the password: do not print it). */
  readonly url: string
  readonly #connect: () => Promise<Connection>

  constructor(proxy: NetworkProxy, url: string, connect: () => Promise<Connection>) {
    this.proxy = proxy
    this.url = url
    this.#connect = connect
  }

  /** Starts a proxy in front of `upstream`; `urlFor(port)` makes the URL, `connectVia(host, port)` the connections. */
  static async start(upstream: { host: string; port: number }, urlFor: (port: number) => string, connectVia: (host: string, port: number) => Promise<Connection>): Promise<NetworkFaults> {
    const proxy = await NetworkProxy.start(upstream)
    return new NetworkFaults(proxy, urlFor(proxy.port), () => connectVia(proxy.host, proxy.port))
  }

  /** Opens an instrumented connection into the test's database through the proxy. */
  connect(): Promise<Connection> {
    return this.#connect()
  }

  /** Delays data by `ms` (± `jitterMs`). */
  latency(ms: number, options: DirectionOption & { jitterMs?: number } = {}): ToxicHandle<LatencyOptions> {
    return this.proxy.add(latency(ms, options.jitterMs), options.direction, scopeOf(options))
  }

  /** Limits the rate to `kbPerSecond` KB/s. */
  bandwidth(kbPerSecond: number, options: DirectionOption = {}): ToxicHandle<BandwidthOptions> {
    return this.proxy.add(bandwidth(kbPerSecond), options.direction, scopeOf(options))
  }

  /** Resets connections (TCP RST): now, after `afterMs`, or after `afterBytes` bytes. Default both ways. */
  reset(options: DirectionOption & Partial<ResetPeerOptions> = {}): ToxicHandle<ResetPeerOptions> {
    const { direction = 'both', connection, toxicity, ...rest } = options
    return this.proxy.add(resetPeer(rest), direction, scopeOf(options))
  }

  /** Swallows all data (the connection stays open, or closes after `closeAfterMs`). Default both ways. */
  blackhole(options: DirectionOption & Partial<TimeoutOptions> = {}): ToxicHandle<TimeoutOptions> {
    const { direction = 'both', closeAfterMs = 0 } = options
    return this.proxy.add(timeout(closeAfterMs), direction, scopeOf(options))
  }

  /** Delays the close of connections by `delayMs`. */
  slowClose(delayMs: number, options: DirectionOption = {}): ToxicHandle<SlowCloseOptions> {
    return this.proxy.add(slowClose(delayMs), options.direction, scopeOf(options))
  }

  /** Splits data into small pieces with pauses between them. */
  slice(options: DirectionOption & Partial<SlicerOptions> = {}): ToxicHandle<SlicerOptions> {
    const { direction, connection, toxicity, ...rest } = options
    return this.proxy.add(slicer(rest), direction, scopeOf(options))
  }

  /** Closes connections after `bytes` bytes. */
  limitData(bytes: number, options: DirectionOption = {}): ToxicHandle<LimitDataOptions> {
    return this.proxy.add(limitData(bytes), options.direction, scopeOf(options))
  }

  /** Adds a toxic of your own. */
  add<Options extends object>(toxic: Toxic<Options>, options: DirectionOption = {}): ToxicHandle<Options> {
    return this.proxy.add(toxic, options.direction, scopeOf(options))
  }

  /** Refuses new connections (ECONNREFUSED) and drops the open ones. */
  down(): Promise<void> {
    return this.proxy.down()
  }

  /** Accepts connections again. */
  up(): Promise<void> {
    return this.proxy.up()
  }

  /** Connections through the proxy, bytes each way, and every toxic armed with the connections it applied to. */
  stats(): ProxyStats {
    return this.proxy.stats()
  }

  /** Toxics armed now that no connection through the proxy ever met, described (they never fired). */
  unfired(): string[] {
    return this.proxy.unapplied().map(({ toxic, direction }) => `network ${toxic.type} (${direction}; no connection went through the proxy while it was armed)`)
  }

  /** Removes every toxic (connections stay). */
  clear(): void {
    this.proxy.clearToxics()
  }

  /** Closes the proxy and every connection through it. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.proxy.close()
  }
}

function scopeOf(options: ToxicScope): ToxicScope {
  return { ...(options.connection === undefined ? {} : { connection: options.connection }), ...(options.toxicity === undefined ? {} : { toxicity: options.toxicity }) }
}
