import type { RigConfig } from '../src/config/schema.ts'
import type { EngineName } from '../src/server/engine.ts'

/** The run's `test.warmDatabases`, and why it differs from the configured value when it does. */
export interface WarmDatabases {
  readonly value: number
  /** Set when the engine's default replaced the general one: one line for the log. */
  readonly note?: string
}

/**
 * How many databases each worker makes ahead of time. The general default (2) holds unless the
 * project sets its own value — except on TiDB with a schema template whose copies are reused: there
 * a copy costs the template's DDL (~35 ms a table: ~0.7 s for 20 tables), while a test's copy comes
 * back after a reset of ~25 ms, so copies made ahead only compete with the tests for the server.
 * Measured (`BENCH_ENGINE=tidb npm run bench schema`, 20 tables, 60 tests in 10 files, 3 runs): the
 * suite took 10.4–11.8 s without copies made ahead against 13.9–14.9 s with 2.
 */
export function warmDatabasesFor(config: RigConfig, origins: ReadonlyMap<string, string>, engine: EngineName, templated: boolean): WarmDatabases {
  const configured = config.test.warmDatabases
  if (origins.has('test.warmDatabases') || engine !== 'tidb' || !templated || !config.test.reuseDatabases || config.test.databaseScope !== 'test') return { value: configured }
  return { value: 0, note: 'TiDB with a schema template: test.warmDatabases defaults to 0 (a copy costs the template\'s DDL; a test\'s copy is reset and reused instead); set it to make copies ahead anyway' }
}
