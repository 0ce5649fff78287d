import type { Logger } from '../config/logger.ts'
import type { RigConfig } from '../config/schema.ts'
import { chooseProvider, type LocalExtras } from './choose-provider.ts'
import { openConnection } from './connect.ts'
import { databaseName, newRunId, type RunNaming } from './database-names.ts'
import { engineLabels } from './engine.ts'
import { assertPinnedEngine } from './pinned-engine.ts'
import { RunRegistry } from './run-registry.ts'
import { TestDatabases } from './test-databases.ts'
import type { StartedServer } from './types.ts'

/** A database of the run, dropped when disposed. */
export interface RunDatabase extends AsyncDisposable {
  /** Its name (`<prefix>_<run id>_<scope>`). */
  readonly name: string
}

/**
 * One run of the rig, started: the server chosen and started as `server.*` says (engine pin
 * checked), the run's naming, and on a server that outlives the run its registration (dead runs
 * swept, a heartbeat, a janitor for Ctrl-C). The preset's globalSetup, the CLI commands and the
 * benchmarks all start their server through it. Dispose it to drop what the run made and stop the
 * server.
 */
export class RigRun implements AsyncDisposable {
  /** The started server. */
  readonly server: StartedServer
  /** How the run names its databases. */
  readonly naming: RunNaming
  /** One sentence: why this provider. */
  readonly reason: string
  /** How long the start took, in ms. */
  readonly startMs: number
  readonly #registration: AsyncDisposable | undefined

  private constructor(server: StartedServer, naming: RunNaming, reason: string, startMs: number, registration: AsyncDisposable | undefined) {
    this.server = server
    this.naming = naming
    this.reason = reason
    this.startMs = startMs
    this.#registration = registration
  }

  /**
   * Chooses the provider, starts the server, checks the engine pin and registers the run where
   * needed. `local` goes to a local server: with a `snapshotKey`, a run that starts from the data
   * directory kept for it names its databases with the run id of the run that kept it (the copies
   * in it are then its own; no other run sees a local server).
   */
  static async start(config: RigConfig, origins: ReadonlyMap<string, string>, logger: Logger, local: LocalExtras = {}): Promise<RigRun> {
    const { provider, reason } = await chooseProvider(config, origins, undefined, local)
    const startedAt = performance.now()
    const server = await provider.start()
    const startMs = performance.now() - startedAt
    const naming: RunNaming = { prefix: config.test.databasePrefix, runId: server.snapshot?.found?.runId ?? newRunId() }
    try {
      assertPinnedEngine(server.info, config.server.engine)
      const registration = server.outlivesRun ? await registerRun(server, naming, config.test.deadRunAfterSecs, config.forensics.keepFailedDatabases, logger) : undefined
      return new RigRun(server, naming, reason, startMs, registration)
    } catch (error) {
      await server.stop()
      throw error
    }
  }

  /** The start line: engine, version, address, provider, time and why. */
  get startLine(): string {
    const { info } = this.server
    return `${engineLabels[info.engine]} ${info.version} on ${info.host}:${info.port} via the ${info.provider} provider, ready in ${Math.round(this.startMs)} ms (${this.reason})`
  }

  /** Creates a database of the run for `scope` (e.g. `isolation`), dropped when disposed. */
  async database(scope: string): Promise<RunDatabase> {
    const name = databaseName(this.naming, scope)
    const admin = await openConnection(this.server.endpoint)
    try {
      await new TestDatabases(admin, this.naming).create(name)
    } finally {
      admin.destroy()
    }
    return {
      name,
      [Symbol.asyncDispose]: async () => {
        const dropper = await openConnection(this.server.endpoint)
        try {
          await new TestDatabases(dropper, this.naming).drop(name)
        } finally {
          dropper.destroy()
        }
      },
    }
  }

  /** Drops what the run made on a shared server, forgets the run, and stops the server. */
  async [Symbol.asyncDispose](): Promise<void> {
    try {
      await this.#registration?.[Symbol.asyncDispose]()
    } finally {
      await this.server.stop()
    }
  }
}

/** How often a run on a shared server says it is alive. */
const heartbeatMs = 15_000

/**
 * On a server the rig does not own: drops what dead runs left, registers this run with a
 * heartbeat and a janitor, and on dispose drops this run's databases and forgets it.
 */
async function registerRun(server: StartedServer, naming: RunNaming, deadAfterSecs: number, keptFailures: number, logger: Logger): Promise<AsyncDisposable> {
  const { endpoint } = server
  // The janitor's module spawns its own file as the janitor process: the built package keeps it a
  // file of its own (see scripts/bundle.ts), loaded only on a shared server. Loaded before the run
  // registers, so that no await stands between the registration and the janitor's start.
  const { startRunJanitor } = await import('./run-janitor.ts')
  const admin = await openConnection(endpoint)
  try {
    const registry = await RunRegistry.open(admin, naming.prefix)
    const swept = await registry.sweep(naming.prefix, deadAfterSecs)
    if (swept.length > 0) logger.info(`dropped ${swept.length} databases of earlier runs that are no longer alive`)
    // Kept failed tests' databases beyond the project's cap (forensics.keepFailedDatabases) go too.
    if (keptFailures > 0) {
      const { capFailedDatabases } = await import('./failed-databases.ts')
      const capped = await capFailedDatabases(admin, naming.prefix, keptFailures)
      if (capped.length > 0) logger.info(`dropped ${capped.length} kept databases of failed tests beyond forensics.keepFailedDatabases (${keptFailures})`)
    }
    await registry.register(naming.runId)
  } finally {
    admin.destroy()
  }
  // Vitest exits at once on Ctrl-C and SIGTERM, without teardown: a janitor process drops the databases then.
  const janitor = startRunJanitor(endpoint, naming)
  // A connection of its own for each beat: one held for hours would meet the server's wait_timeout.
  const beat = async () => {
    const connection = await openConnection(endpoint)
    try {
      await (await RunRegistry.open(connection, naming.prefix)).heartbeat(naming.runId)
    } finally {
      connection.destroy()
    }
  }
  const heartbeat = setInterval(() => void beat().catch((error: unknown) => logger.debug(`heartbeat failed: ${error instanceof Error ? error.message : String(error)}`)), heartbeatMs)
  heartbeat.unref()
  return {
    async [Symbol.asyncDispose]() {
      clearInterval(heartbeat)
      const connection = await openConnection(endpoint)
      try {
        const dropped = await new TestDatabases(connection, naming).dropAll()
        if (dropped.length > 0) logger.debug(`dropped ${dropped.length} leftover databases of this run`)
        await (await RunRegistry.open(connection, naming.prefix)).forget(naming.runId)
      } finally {
        connection.destroy()
        janitor.disarm()
      }
    },
  }
}
