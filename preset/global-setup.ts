import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { loadConfig } from '../src/config/load.ts'
import { createLogger } from '../src/config/logger.ts'
import { redactConfig } from '../src/config/redact.ts'
import { runContextKey, type RunContext } from '../src/fixtures/run-context.ts'
import { RigRun } from '../src/server/rig-run.ts'
import { openConnection } from '../src/server/connect.ts'
import { buildTemplate } from '../src/server/schema-template.ts'
import { SpareCopies } from '../src/server/spare-copies.ts'
import { readOptions } from './options.ts'
import { warmDatabasesFor } from './warm-default.ts'

/**
 * Starts the run's server once, before any worker, and provides it to every test; the returned
 * function stops it after the run (in watch mode, when Vitest exits).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { extensions, configFile, migrate, ...inline } = readOptions(project)
  const root = project.config.root
  const { config, origins } = await withCleanMessage(() =>
    loadConfig({ cwd: root, inline, ...(configFile ? { configFile } : {}), ...(extensions ? { extensions } : {}) }))
  const logger = createLogger(config.logging)
  const run = await withCleanMessage(() => RigRun.start(config, origins, logger))
  logger.info(run.startLine)
  const { server, naming, reason } = run
  const fixturesDir = join(root, 'fixtures')
  const declared = config.schema.files.length > 0 || migrate !== undefined
  const declaration = { files: config.schema.files, ...(migrate ? { setup: migrate } : {}), ...(config.schema.version ? { version: config.schema.version } : {}) }
  const template = declared
    ? await withCleanMessage(async () => {
        try {
          return await buildTemplate(server.endpoint, server.info, naming, declaration, fixturesDir)
        } catch (error) {
          await run[Symbol.asyncDispose]()
          throw error
        }
      })
    : undefined
  if (template) logger.info(template.built ? `schema template ${template.clone.template} built in ${Math.round(template.buildMs)} ms; every test gets a copy` : `schema template ${template.clone.template} is up to date (same key); every test gets a copy`)
  const spareCopies = template && config.test.reuseDatabases ? await listForSpareCopies(run) : undefined
  const warm = warmDatabasesFor(config, origins, server.info.engine, template !== undefined)
  if (warm.note) logger.info(warm.note)
  const runConfig = warm.value === config.test.warmDatabases ? config : { ...config, test: { ...config.test, warmDatabases: warm.value } }
  const context: RunContext = { server: server.info, endpoint: server.endpoint, naming, config: redactConfig(runConfig), providerReason: reason, projectRoot: root, fixturesDir, ...(template ? { clone: template.clone } : {}), ...(spareCopies ? { spareCopies } : {}) }
  project.provide(runContextKey, context)
  return () => run[Symbol.asyncDispose]()
}

/** The run's list of pristine copies that workers hand on (see SpareCopies); dropped with the run's databases. */
async function listForSpareCopies(run: RigRun): Promise<string> {
  const admin = await openConnection(run.server.endpoint)
  try {
    return await SpareCopies.create(admin, run.naming)
  } finally {
    admin.destroy()
  }
}

/**
 * Ends the run at a start-up error of the rig's own (bad config, unreachable server, missing
 * binary) with its message first and alone — it already says what to do; Vitest would print its
 * own "No test files found" and the include globs before it — and a non-zero exit code. Nothing was
 * left running: a failed start stops what it started. Other errors go to Vitest as they are.
 */
async function withCleanMessage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('TEST_RIG_')) {
      process.stderr.write(`\n${error.message}\n\n`)
      process.exit(1)
    }
    throw error
  }
}
