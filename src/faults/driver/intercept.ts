import { createRequire } from 'node:module'
import { join } from 'node:path'
import { mysql2OriginalsKey } from '../../server/mysql2-originals.ts'
import type { FaultController } from '../fault-controller.ts'
import type { FaultSource } from './instrument-connection.ts'
import { instrumentedMysql } from './instrumented-mysql.ts'
import type { StatementRecorder } from './mariadb-calls.ts'
import type { CoreDriver } from './mysql2-internals.ts'


type Factories = Pick<CoreDriver, 'createConnection' | 'createPool' | 'createPoolCluster'>
type PatchableModule = Record<string | symbol, unknown>

// The one piece of module state of the faults layer, forced by the runtime: the app's modules
// make their pools once per file, before any test, so their calls find the running test's faults here.
let runningTestFaults: FaultController | undefined

// Its companion for the `mariadb` connector, which publishes no tracing channel: where the
// statements of the app's intercepted `mariadb` connections are logged.
let runningTestStatements: StatementRecorder | undefined

/** The faults of the test that is running in this worker (intercept mode), if any. */
export const runningTestFaultSource: FaultSource = () => runningTestFaults

/** The statement log of the test that is running in this worker, for intercepted `mariadb` connections. */
export const runningTestRecorder = (): StatementRecorder | undefined => runningTestStatements

/** Logs intercepted `mariadb` statements with `record` until the returned function is called (the test's end). */
export function routeInterceptedStatements(record: StatementRecorder): () => void {
  runningTestStatements = record
  return () => {
    if (runningTestStatements === record) runningTestStatements = undefined
  }
}

/**
 * Routes intercepted mysql2 calls to `faults` until the returned function is called (at the end
 * of the test). With concurrent tests in one file the latest test to start gets them.
 */
export function routeInterceptedCalls(faults: FaultController): () => void {
  runningTestFaults = faults
  return () => {
    if (runningTestFaults === faults) runningTestFaults = undefined
  }
}

/**
 * Intercept mode (`faults.intercept = true`): replaces the factories of the project's own
 * `mysql2` and `mysql2/promise` modules (resolved from `projectRoot`, the copy the app and its ORM
 * load) in this worker, in place, so that every connection, pool and pool cluster the code under
 * test makes — `mysql.createPool(url)` deep in the app, Knex, Kysely, Sequelize, TypeORM, Drizzle —
 * gets the running test's driver faults. Done before the test file is imported, so ESM named
 * imports see the replaced factories too. Idempotent.
 */
export function interceptMysql2(projectRoot: string): void {
  const load = createRequire(join(projectRoot, 'package.json'))
  const core = load('mysql2') as PatchableModule
  if (core[mysql2OriginalsKey] !== undefined) return
  const promise = load('mysql2/promise') as PatchableModule
  const originals: Factories = {
    createConnection: core.createConnection as Factories['createConnection'],
    createPool: core.createPool as Factories['createPool'],
    createPoolCluster: core.createPoolCluster as Factories['createPoolCluster'],
  }
  const patched = instrumentedMysql(originals, runningTestFaultSource)
  Object.defineProperty(core, mysql2OriginalsKey, { value: { ...originals, connect: originals.createConnection } })
  Object.defineProperty(promise, mysql2OriginalsKey, { value: { createConnection: promise.createConnection, createPool: promise.createPool } })
  core.createConnection = patched.callback.createConnection
  core.connect = patched.callback.createConnection
  core.createPool = patched.callback.createPool
  core.createPoolCluster = patched.callback.createPoolCluster
  promise.createConnection = patched.promise.createConnection
  promise.createPool = patched.promise.createPool
}
