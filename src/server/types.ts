import type { EngineCapabilities, EngineName } from './engine.ts'

/** The providers that actually start or reach a server (`auto` resolves to one of these). */
export type ConcreteProvider = 'local' | 'container' | 'external'

/** Where and how to connect to a server. Holds the password: never print it whole. */
export interface ServerEndpoint {
  /** Host name or address. */
  readonly host: string
  /** TCP port. */
  readonly port: number
  /** User to connect as. */
  readonly user: string
  /** That user's password, if any. */
  readonly password?: string
  /** Connect with TLS. */
  readonly tls: boolean
  /** Connect timeout in milliseconds. */
  readonly connectTimeoutMs: number
}

/** What the run's server is; plain data, safe to print and to send to workers (no password). */
export interface ServerInfo {
  /** The provider that supplied it. */
  readonly provider: ConcreteProvider
  /** The product. */
  readonly engine: EngineName
  /** `major.minor.patch` of the product. */
  readonly version: string
  /** `SELECT VERSION()` as the server reports it. */
  readonly versionText: string
  /** Host name or address. */
  readonly host: string
  /** TCP port. */
  readonly port: number
  /** User the rig connects as. */
  readonly user: string
  /** Whether connections use TLS. */
  readonly tls: boolean
  /** What the server can do. */
  readonly capabilities: EngineCapabilities
  /** TiDB only: on a TiKV cluster or its embedded storage (unistore), when the server says. */
  readonly tidbStorage?: 'cluster' | 'embedded'
  /** Process id of a local server. */
  readonly pid?: number
}

/** A running server supplied by a provider; stopping it releases everything the provider started. */
export interface StartedServer extends AsyncDisposable {
  /** What and where the server is. */
  readonly info: ServerInfo
  /** How to connect (with the password). */
  readonly endpoint: ServerEndpoint
  /**
   * The server outlives this run or serves others too (an external server, a reused container):
   * the rig then registers the run there, sweeps what dead runs left, and drops its own databases
   * at the end. A server that lives and dies with the run needs none of that.
   */
  readonly outlivesRun: boolean
  /**
   * A local server's data directory kept across runs for the schema declaration's key, when the
   * provider was asked for one (see {@link DataSnapshot}); undefined on other providers.
   */
  readonly snapshot?: DataSnapshot
  /** Stops the server (or, for an external one, closes the rig's connections) and removes its files. Safe to call twice. */
  stop(): Promise<void>
}

/**
 * What a kept data directory holds besides the server's own files: the run id its databases are
 * named with, and the pristine copies of the schema template made before it was kept.
 */
export interface SnapshotContents {
  /** The run id of the run that kept it; a run that starts from it names its databases with it. */
  readonly runId: string
  /** Pristine copies of the schema template in it, ready for the first tests. */
  readonly copies: readonly string[]
}

/**
 * A local server's data directory kept across runs with the project's schema template in it, for
 * one key (the schema declaration's): a run whose schema did not change starts from it and builds
 * nothing; otherwise the run builds the template and keeps the result for the next.
 */
export interface DataSnapshot {
  /** The key it is kept for. */
  readonly key: string
  /** What the data directory the server started from holds; undefined when none was kept for the key. */
  readonly found: SnapshotContents | undefined
  /**
   * Stops the server cleanly, keeps a copy of its data directory for the key, and starts it again
   * (on a new port: read `endpoint` after). Resolves with `kept: false` and why when the copy was
   * not kept; rejects only when the server did not start again.
   */
  keep(contents: SnapshotContents): Promise<{ readonly kept: boolean; readonly why?: string }>
}

/** Something that can start (or reach) a server: the extension point for new providers. */
export interface ServerProvider {
  /** Name shown in the start line. */
  readonly name: ConcreteProvider
  /** Starts or reaches the server and waits until it answers `SELECT 1`. */
  start(): Promise<StartedServer>
}
