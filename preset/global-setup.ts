import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { loadConfig } from '../src/config/load.ts'
import { createLogger, type Logger } from '../src/config/logger.ts'
import { Secrets } from '../src/config/secrets.ts'
import { redactConfig } from '../src/config/redact.ts'
import { runContextKey, type RunContext } from '../src/vitest/run-context.ts'
import { RigRun } from '../src/server/rig-run.ts'
import { buildTemplate, snapshotKey } from '../src/server/schema-template.ts'
import { checkMysql2 } from '../src/server/mysql2-version.ts'
import { useInterceptSetup } from './intercept-file.ts'
import { keepTemplate, keptCopies, offerCopies } from './kept-template.ts'
import { readOptions } from './options.ts'
import { warmDatabasesFor } from './warm-default.ts'
import { rebuildTemplateOnRerun } from './watch-schema.ts'

/**
 * Starts the run's server once, before any worker, and provides it to every test; the returned
 * function stops it after the run (in watch mode, when Vitest exits).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { extensions, configFile, migrate, ...inline } = readOptions(project)
  const root = project.config.root
  const { config, origins, secrets } = await withCleanMessage(() =>
    loadConfig({ cwd: root, inline, ...(configFile ? { configFile } : {}), ...(extensions ? { extensions } : {}) }))
  // From here on a failed start is written to the log file too, and no line holds a secret.
  const logger = createLogger({ ...config.logging, secrets })
  await withCleanMessage(() => checkMysql2(root))
  const cleanly = <T>(work: () => Promise<T>) => withCleanStartMessage(work, logger, secrets)
  if (config.faults.intercept) useInterceptSetup(project)
  const fixturesDir = join(root, 'fixtures')
  const declared = config.schema.files.length > 0 || migrate !== undefined
  const declaration = { files: config.schema.files, ...(migrate ? { setup: migrate } : {}), ...(config.schema.version ? { version: config.schema.version } : {}) }
  // A local server starts from the data directory kept for this schema when there is one.
  const keep = config.schema.keep ?? !onCi(process.env)
  const key = declared && keep ? await cleanly(() => snapshotKey(declaration, fixturesDir, config.test.databasePrefix)) : undefined
  const run = await cleanly(() => RigRun.start(config, origins, logger, key === undefined ? {} : { snapshotKey: key }))
  logger.info(run.startLine)
  const { server, naming, reason } = run
  const waiting = { timeoutSecs: config.schema.lockTimeoutSecs, onWait: (line: string) => logger.info(line) }
  const template = declared ? await cleanly(() => stoppingOnFailure(run, () => buildTemplate(server.endpoint, server.info, naming, declaration, fixturesDir, waiting))) : undefined
  if (template) logger.info(template.built ? `schema template ${template.clone.template} built in ${Math.round(template.buildMs)} ms; every test gets a copy` : `schema template ${template.clone.template} is up to date (same key${server.snapshot?.found ? ', kept with the local data directory' : ''}); every test gets a copy`)
  const reuse = template !== undefined && config.test.reuseDatabases
  const warm = warmDatabasesFor(config, origins, server.info.engine, template !== undefined)
  if (warm.note) logger.info(warm.note)
  // Built on a local server: kept with its data directory for the next runs, with the first copies each worker takes.
  const copies = template?.built && server.snapshot && !server.snapshot.found
    ? await stoppingOnFailure(run, () => keepTemplate(run, template.clone, reuse ? keptCopies(project.config.maxWorkers, warm.value) : 0, logger))
    : (server.snapshot?.found?.copies ?? [])
  if (reuse) await offerCopies(run, copies)
  const runConfig = warm.value === config.test.warmDatabases ? config : { ...config, test: { ...config.test, warmDatabases: warm.value } }
  const context: RunContext = { server: server.info, endpoint: server.endpoint, naming, config: redactConfig(runConfig), providerReason: reason, projectRoot: root, fixturesDir, serverOutlivesRun: server.outlivesRun, ...(template ? { clone: template.clone } : {}) }
  project.provide(runContextKey, context)
  if (template && project.vitest.config.watch) rebuildTemplateOnRerun(project, run, declaration, fixturesDir, context, logger, waiting)
  return () => run[Symbol.asyncDispose]()
}

/** Whether the run is on a CI machine (`CI` set, as GitHub Actions, GitLab CI and most others do). */
function onCi(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI?.trim().toLowerCase()
  return value !== undefined && value !== '' && value !== 'false' && value !== '0'
}

/** Runs `work`; when it fails the run's server is stopped before the error goes on. */
async function stoppingOnFailure<T>(run: RigRun, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    await run[Symbol.asyncDispose]()
    throw error
  }
}

/**
 * Ends the run at a start-up error of the rig's own (bad config, unreachable server, missing
 * binary) with its message first and alone — it already says what to do; Vitest would print its
 * own "No test files found" and the include globs before it — and a non-zero exit code. Nothing was
 * left running: a failed start stops what it started. Other errors go to Vitest as they are.
 */
async function withCleanStartMessage<T>(work: () => Promise<T>, logger?: Logger, secrets: Secrets = Secrets.none): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (!(error instanceof Error)) throw error
    const message = secrets.redact(error.message)
    if ('code' in error && String(error.code).startsWith('TEST_RIG_')) {
      if (logger) {
        logger.error(message.replace(/^test-rig: /, ''))
        await logger.flush()
      } else {
        process.stderr.write(`\n${message}\n\n`)
      }
      process.exit(1)
    }
    // Vitest prints it as it is: without the secrets.
    if (message !== error.message) {
      error.stack = error.stack?.split(error.message).join(message)
      error.message = message
    }
    throw error
  }
}

/** The run's configuration errors (before any logger exists): the config loader has removed their secrets already. */
const withCleanMessage = <T>(work: () => Promise<T>) => withCleanStartMessage(work)
