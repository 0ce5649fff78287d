import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { loadConfig } from '../src/config/load.ts'
import { createLogger } from '../src/config/logger.ts'
import { redactConfig } from '../src/config/redact.ts'
import { runContextKey, type RunContext } from '../src/fixtures/run-context.ts'
import { RigRun } from '../src/server/rig-run.ts'
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
  const run = await withCleanMessage(() => RigRun.start(config, origins, logger))
  logger.info(run.startLine)
  const { server, naming, reason } = run
  const context: RunContext = { server: server.info, endpoint: server.endpoint, naming, config: redactConfig(config), providerReason: reason, fixturesDir: join(root, 'fixtures') }
  project.provide(runContextKey, context)
  return () => run[Symbol.asyncDispose]()
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
