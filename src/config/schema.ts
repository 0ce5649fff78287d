import { z } from 'zod'
import { resilienceDefaults } from './resilience-defaults.ts'
import { logLevels } from './log-levels.ts'
import { settingDefaults } from './setting-defaults.ts'

export { logLevels, type LogLevel } from './log-levels.ts'

/** Names of the providers that can supply the run's server. */
export const providerNames = ['auto', 'local', 'container', 'external'] as const

/** The database products the rig knows apart; one definition for config, discovery and messages. */
export const databaseEngines = ['tidb', 'mysql', 'mariadb'] as const

/** The longest delay a Node timer can hold (2^31 - 1 ms, about 24.8 days); longer ones fire at once. */
export const maxTimerMs = 2_147_483_647

/** A duration in milliseconds that a Node timer can hold. */
const milliseconds = () => z.number().int().max(maxTimerMs, `at most ${maxTimerMs} ms (about 24.8 days), the longest a timer can wait`)

/** A duration in seconds that a Node timer can hold. */
const seconds = () => z.number().max(Math.floor(maxTimerMs / 1000), `at most ${Math.floor(maxTimerMs / 1000)} s (about 24.8 days), the longest a timer can wait`)

/** Where the run's server comes from and how it is started. */
export const serverSchema = z
  .object({
    provider: z
      .enum(providerNames)
      .default('auto')
      .describe('Where the server comes from: auto (external if configured, else container if a container runtime answers, else local), local, container or external.'),
    engine: z
      .enum(['auto', ...databaseEngines])
      .default('auto')
      .describe('Pin the database product: tidb, mysql or mariadb. The local provider then runs only that server (TiDB built by scripts/build-tidb.sh is found in the rig\'s cache), and a run whose server is another product fails at start. auto takes tidb-server, mariadbd or mysqld, whichever is found first.'),
    binary: z
      .string()
      .min(1)
      .optional()
      .meta({ examples: ['/usr/sbin/mariadbd'] }).describe('Path of the server binary for the local provider (tidb-server, mysqld or mariadbd). Found on PATH and in the usual folders when unset.'),
    tmpfs: z
      .boolean()
      .default(settingDefaults.tmpfs)
      .describe('Keep the local server data directory on tmpfs (/dev/shm) when the machine has one.'),
    startTimeoutSecs: seconds()
      .positive()
      .default(settingDefaults.startTimeoutSecs)
      .describe('How long the server may take to answer SELECT 1 after it is started, in seconds.'),
    containerFlavor: z
      .enum(['tidb', 'mysql', 'mariadb'])
      .default('tidb')
      .describe('What the container provider runs: tidb (pingcap/tidb), mysql or mariadb (through @testcontainers/mysql).'),
    containerImage: z
      .string()
      .min(1)
      .optional()
      .meta({ examples: ['pingcap/tidb:v8.5.6'] }).describe('Image of the container provider; default pingcap/tidb:v8.5.6, mysql:8.4 or mariadb:11.4 by flavor.'),
    containerReuse: z
      .boolean()
      .default(false)
      .describe('Keep the container after the run and reuse it next time (Testcontainers reuse); tests still get databases of their own.'),
    containerRuntimeTimeoutMs: milliseconds()
      .positive()
      .default(1500)
      .describe('How long auto waits for a container runtime to answer before it uses a local server, in ms.'),
  })
  .strict()

/** The server to connect to (external provider) and how to connect. Same layout as the seed's [database] section. */
export const databaseSchema = z
  .object({
    host: z
      .string()
      .min(1)
      .optional()
      .meta({ examples: ['tidb.example.com:4000'] }).describe('Host of an external server; "host:port" is accepted. Setting it selects the external provider under auto.'),
    port: z.number().int().min(1).max(65535).optional().meta({ examples: [4000] }).describe('Port of an external server (TiDB listens on 4000, MySQL and MariaDB on 3306).'),
    username: z.string().min(1).default('root').describe('User the rig connects as.'),
    password: z.string().optional().describe('Password of that user. Never printed; prefer TIDB_PASSWORD or .env over a committed file.'),
    database: z.string().min(1).optional().meta({ examples: ['app'] }).describe('A database of the external server to verify at start; tests still get databases of their own.'),
    tls: z.boolean().default(false).describe('Connect with TLS (TiDB Cloud needs it).'),
    poolSize: z.number().int().positive().default(5).describe('Connections in a pool made by rig.pool().'),
    timeoutSecs: seconds().positive().default(30).describe('Connect timeout in seconds.'),
  })
  .strict()

/** Logging of the rig itself. Same layout as the seed's [logging] section. */
export const loggingSchema = z
  .object({
    level: z.enum(logLevels).default('info').describe('Least severe level printed: error, warn, info, debug or trace.'),
    format: z.enum(['text', 'json']).default('text').describe('Log line format.'),
    console: z.boolean().default(true).describe('Print log lines to the console.'),
    file: z.string().min(1).optional().meta({ examples: ['test-rig.log'] }).describe('Also append log lines to this file (the CLI\'s --log-file).'),
  })
  .strict()

/** Options of the tests themselves. Same layout as the seed's [test] section. */
export const testSchema = z
  .object({
    rows: z.number().int().positive().default(10).describe('Rows that scenarios insert as test data.'),
    timeoutSecs: seconds().positive().default(settingDefaults.timeoutSecs).describe('Timeout of a scenario, in seconds.'),
    blockedAfterMs: milliseconds().positive().default(settingDefaults.blockedAfterMs).describe('A coordinated step that runs longer than this (ms) is recorded as blocked, and the schedule goes on.'),
    verbose: z.boolean().default(false).describe('Print each statement that scenarios issue.'),
    warmDatabases: z
      .number()
      .int()
      .min(0)
      .max(16)
      .default(2)
      .describe('Databases each worker creates ahead of time (refilled in the background while tests run), so a test rarely waits for CREATE DATABASE; 0 creates each when its test asks.'),
    reuseDatabases: z
      .boolean()
      .default(true)
      .describe('Hand a finished test\'s database to a later test instead of dropping it: with a declared schema, reset it (empty its tables, put the template\'s rows back, set its counters back) when its objects still equal the template\'s; on TiDB without one, when the test left it as CREATE DATABASE made it. A test that ran DDL gets its database dropped instead.'),
    databaseScope: z
      .enum(['test', 'file', 'rollback'])
      .default('test')
      .describe('One database per test (default), one per spec file, or rollback: one per spec file with each test\'s conn inside a transaction rolled back after it (a test that commits, e.g. by DDL, is reported and its file gets a fresh database).'),
    deadRunAfterSecs: seconds()
      .min(60, 'at least 60 s: four heartbeats (every 15 s) must fit in it')
      .default(120)
      .describe('On a server the rig does not own (external, reused container), a run whose heartbeat (every 15 s) stopped this long ago is dead, and the next run drops its databases. A run on the same machine whose runner process is gone is dead at once.'),
    databasePrefix: z
      .string()
      .regex(/^[a-z][a-z0-9]{0,11}$/, 'a lower-case letter followed by at most 11 lower-case letters or digits')
      .default('rig')
      .describe('Prefix of every database the rig creates; the rig only ever drops databases that carry it.'),
  })
  .strict()

/** Retry, timeout and circuit-breaker defaults for `resilient()` and for the rig's own waits. */
export const resilienceSchema = z
  .object({
    retryMaxAttempts: z.number().int().min(1).default(resilienceDefaults.retryMaxAttempts).describe('Attempts in all (the first one included) before a transient error is given up on.'),
    retryInitialDelayMs: milliseconds().min(0).default(resilienceDefaults.retryInitialDelayMs).describe('Backoff before the second attempt, in ms; it doubles with each attempt.'),
    retryMaxDelayMs: milliseconds().min(0).default(resilienceDefaults.retryMaxDelayMs).describe('Longest backoff between attempts, in ms.'),
    retryJitter: z.boolean().default(resilienceDefaults.retryJitter).describe('Randomise backoffs (decorrelated jitter) so that clients do not retry in step.'),
    attemptTimeoutMs: milliseconds().min(0).default(resilienceDefaults.attemptTimeoutMs).describe('Timeout of one attempt in ms; 0 for none.'),
    overallTimeoutMs: milliseconds().min(0).default(resilienceDefaults.overallTimeoutMs).describe('Timeout of all attempts together in ms; 0 for none.'),
    breakerFailureThreshold: z.number().int().min(1).default(resilienceDefaults.breakerFailureThreshold).describe('Consecutive failures that open the circuit breaker.'),
    breakerHalfOpenAfterMs: milliseconds().min(1).default(resilienceDefaults.breakerHalfOpenAfterMs).describe('Time the breaker stays open before it lets trial calls through (half-open), in ms.'),
    breakerSuccessThreshold: z.number().int().min(1).default(resilienceDefaults.breakerSuccessThreshold).describe('Successful trial calls in half-open state that close the breaker again.'),
  })
  .strict()

/** The `faults` fixture. */
export const faultsSchema = z
  .object({
    unfired: z
      .enum(['warn', 'fail', 'ignore'])
      .default('warn')
      .describe('What to do when a fault armed in a test never fired by its end: print a warning, fail the test, or nothing.'),
    intercept: z
      .boolean()
      .default(false)
      .describe('Also give driver faults to every connection and pool the code under test makes with its own mysql2 import (and so to Knex, Kysely, Sequelize, TypeORM, Drizzle), not only to those the rig hands out.'),
  })
  .strict()

/** TiDB import jobs (`IMPORT INTO`), the seed's import monitor options. */
export const importsSchema = z
  .object({
    monitorDurationSecs: seconds().positive().default(300).describe('How long the import monitor watches jobs before it gives up, in seconds.'),
    updateIntervalSecs: seconds().positive().default(5).describe('Pause between two polls of SHOW IMPORT JOBS, in seconds.'),
    showDetails: z.boolean().default(false).describe('Show data source and messages of each job in the progress display.'),
    optionsFile: z.string().min(1).optional().meta({ examples: ['import-options.json'] }).describe('JSON file of IMPORT INTO options (e.g. {"thread": 4}) added to every import the rig starts.'),
  })
  .strict()

/** What the rig keeps of a test to explain its failure. */
export const forensicsSchema = z
  .object({
    statements: z.boolean().default(true).describe('Log every statement that reaches a test\'s database (the rig\'s connections, and the app\'s and its ORM\'s own mysql2 connections through mysql2\'s tracing channels), for the failure report and the query matchers.'),
    keepStatements: z.number().int().positive().default(200).describe('How many of a test\'s last statements the log keeps (older ones are still counted).'),
    showStatements: z.number().int().nonnegative().default(20).describe('How many of the last statements a failed test shows under its error (the whole log is attached to the test result).'),
    dump: z.boolean().default(true).describe('Attach a dump of a failed test\'s database to its result: every table, view, trigger and routine, and the rows as INSERTs, replayable with mysql <database> < file into any MySQL, MariaDB or TiDB.'),
    dumpMaxBytes: z.number().int().positive().default(1_000_000).describe('The largest dump of a failed test\'s database, in bytes; rows beyond it are left out, and the dump says so.'),
    keepFailedDatabases: z.number().int().nonnegative().default(0).describe('On a server that outlives the run (external, a reused container): keep this many failed tests\' databases there, as <prefix>_failed_<run>_<n>, made from their dumps (the oldest go first); 0 keeps none.'),
  })
  .strict()

/** The schema every test's database starts with, built once per run into a template and cloned. */
export const schemaSectionSchema = z
  .object({
    files: z.array(z.string().min(1)).default([]).describe('SQL files, folders of them or globs (relative to fixtures/, or absolute), run in order once per run into a template database that every test database is cloned from; a folder\'s or a glob\'s files in migration order (by path, numbers compared as numbers).'),
    version: z.string().min(1).optional().meta({ examples: ['migrations-1'] }).describe('A version of the migrate function given to testRig({ migrate }), for the template\'s key (default: its source text, and then a local server builds the template on every run). Change it when the migrations change.'),
    seeds: z.record(z.string(), z.string().min(1)).default({}).describe('Named seed layers: SQL files a test loads on top with rig.seed(name).'),
    keep: z.boolean().optional().meta({ examples: [true] }).describe('Keep a local server\'s data directory with the built template for later runs of the same schema (default: on, off when the CI environment variable is set, where a fresh machine would pay for keeping it on every run).'),
    lockTimeoutSecs: seconds().positive().default(600).describe('On a server several runs share, how long a run waits for another run that is building the same schema template before it gives up, in seconds (the waiting run reports the wait every few seconds; a builder that dies frees the template at once).'),
  })
  .strict()

/** The sections of the core schema, by name. Extensions add sections beside these. */
export const coreSections = {
  server: serverSchema,
  database: databaseSchema,
  logging: loggingSchema,
  test: testSchema,
  resilience: resilienceSchema,
  faults: faultsSchema,
  imports: importsSchema,
  schema: schemaSectionSchema,
  forensics: forensicsSchema,
} as const

/** The whole core configuration schema. */
export const rigConfigSchema = z
  .object({
    server: serverSchema.prefault({}),
    database: databaseSchema.prefault({}),
    logging: loggingSchema.prefault({}),
    test: testSchema.prefault({}),
    resilience: resilienceSchema.prefault({}),
    faults: faultsSchema.prefault({}),
    imports: importsSchema.prefault({}),
    schema: schemaSectionSchema.prefault({}),
    forensics: forensicsSchema.prefault({}),
  })
  .strict()

/** The resolved core configuration. */
export type RigConfig = z.infer<typeof rigConfigSchema>

/** Configuration as a user writes it: every section and field optional. */
export type RigConfigInput = z.input<typeof rigConfigSchema>

/** Retry, timeout and breaker settings. */
export type ResilienceConfig = z.infer<typeof resilienceSchema>

/** A provider name. */
export type ProviderName = (typeof providerNames)[number]
