import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { loadConfig } from '../src/config/load.ts'
import { createLogger, type Logger } from '../src/config/logger.ts'
import { redactConfig } from '../src/config/redact.ts'
import { runContextKey, type RunContext } from '../src/fixtures/run-context.ts'
import { chooseProvider } from '../src/server/choose-provider.ts'
import { newRunId, type RunNaming } from '../src/server/database-names.ts'
import { engineLabels } from '../src/server/engine.ts'
import { assertPinnedEngine } from '../src/server/pinned-engine.ts'
import { openConnection } from '../src/server/connect.ts'
import { startRunJanitor } from '../src/server/run-janitor.ts'
import { RunRegistry } from '../src/server/run-registry.ts'
import type { ServerEndpoint } from '../src/server/types.ts'
import { TestDatabases } from '../src/server/test-databases.ts'
import { readOptions } from './options.ts'

/**
 * Starts the run's server once, before any worker, and provides it to every test; the returned
 * function stops it after the run (in watch mode, when Vitest exits).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { extensions, configFile, ...inline } = readOptions(project)
  const root = project.config.root
  const { config, origins } = await withCleanMessage(() =>
    loadConfig({ cwd: root, inline, ...(configFile ? { configFile } : {}), ...(extensions ? { extensions } : {}) }))
  const logger = createLogger(config.logging)
  const { provider, reason } = await withCleanMessage(() => chooseProvider(config, origins))

  const startedAt = performance.now()
  const server = await withCleanMessage(() => provider.start())
  const { info } = server
  await withCleanMessage(async () => {
    try {
      assertPinnedEngine(info, config.server.engine)
    } catch (error) {
      await server.stop()
      throw error
    }
  })
  logger.info(`${engineLabels[info.engine]} ${info.version} on ${info.host}:${info.port} via the ${info.provider} provider, ready in ${Math.round(performance.now() - startedAt)} ms (${reason})`)

  const naming = { prefix: config.test.databasePrefix, runId: newRunId() }
  const registration = server.outlivesRun ? await withCleanMessage(() => registerRun(server.endpoint, naming, config.test.deadRunAfterSecs, logger)) : undefined
  const context: RunContext = { server: info, endpoint: server.endpoint, naming, config: redactConfig(config), providerReason: reason, fixturesDir: join(root, 'fixtures') }
  project.provide(runContextKey, context)

  return async () => {
    try {
      await registration?.[Symbol.asyncDispose]()
    } finally {
      await server.stop()
    }
  }
}

/**
 * On a server the rig does not own: drops what dead runs left, registers this run with a
 * heartbeat, and on dispose drops this run's databases and forgets it.
 */
async function registerRun(endpoint: ServerEndpoint, naming: RunNaming, deadAfterSecs: number, logger: Logger): Promise<AsyncDisposable> {
  const admin = await openConnection(endpoint)
  try {
    const registry = await RunRegistry.open(admin, naming.prefix)
    const swept = await registry.sweep(naming.prefix, deadAfterSecs)
    if (swept.length > 0) logger.info(`dropped ${swept.length} databases of earlier runs that are no longer alive`)
    await registry.register(naming.runId)
  } finally {
    admin.destroy()
  }
  // A connection of its own for each beat: one held for hours would meet the server's wait_timeout.
  const beat = async () => {
    const connection = await openConnection(endpoint)
    try {
      await (await RunRegistry.open(connection, naming.prefix)).heartbeat(naming.runId)
    } finally {
      connection.destroy()
    }
  }
  // Vitest exits at once on Ctrl-C and SIGTERM, without teardown: a janitor process drops the databases then.
  const janitor = startRunJanitor(endpoint, naming)
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

/** How often a run on a shared server says it is alive. */
const heartbeatMs = 15_000

/** Rethrows the rig's own errors with their message only: they already say what to do, a stack adds nothing. */
async function withCleanMessage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('TEST_RIG_')) {
      error.stack = `${error.name}: ${error.message}`
      if (error.cause instanceof Error) error.cause.stack = `${error.cause.name}: ${error.cause.message}`
    }
    throw error
  }
}
