import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { loadConfig } from '../src/config/load.ts'
import { createLogger } from '../src/config/logger.ts'
import { redactConfig } from '../src/config/redact.ts'
import { runContextKey, type RunContext } from '../src/fixtures/run-context.ts'
import { chooseProvider } from '../src/server/choose-provider.ts'
import { newRunId } from '../src/server/database-names.ts'
import { engineLabels } from '../src/server/engine.ts'
import { openConnection } from '../src/server/connect.ts'
import { sweepStaleDatabases } from '../src/server/stale-databases.ts'
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
  logger.info(`${engineLabels[info.engine]} ${info.version} on ${info.host}:${info.port} via the ${info.provider} provider, ready in ${Math.round(performance.now() - startedAt)} ms (${reason})`)

  if (info.provider !== 'local') {
    // A server the rig does not own (or a reused container): clear out what dead runs left behind.
    const admin = await openConnection(server.endpoint)
    try {
      const swept = await sweepStaleDatabases(admin, config.test.databasePrefix, config.test.staleAfterHours * 3_600_000)
      if (swept.length > 0) logger.info(`dropped ${swept.length} stale databases of earlier runs (older than ${config.test.staleAfterHours} h)`)
    } finally {
      admin.destroy()
    }
  }
  const naming = { prefix: config.test.databasePrefix, runId: newRunId() }
  const context: RunContext = { server: info, endpoint: server.endpoint, naming, config: redactConfig(config), providerReason: reason, fixturesDir: join(root, 'fixtures') }
  project.provide(runContextKey, context)

  return async () => {
    if (info.provider !== 'local') {
      // A server the rig does not own keeps running: remove what this run created there.
      const admin = await openConnection(server.endpoint)
      try {
        const dropped = await new TestDatabases(admin, naming).dropAll()
        if (dropped.length > 0) logger.debug(`dropped ${dropped.length} leftover databases of this run`)
      } finally {
        admin.destroy()
      }
    }
    await server.stop()
  }
}

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
