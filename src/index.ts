/**
 * test-rig: a real MySQL-protocol database (TiDB, MySQL, MariaDB) in every Vitest test.
 * What a spec file needs: `test` (or `it`) with the `rig`, `conn` and `faults` fixtures, Vitest's
 * `expect` and hooks, the rig's matchers (registered with `test`), `mysqlErrors` and
 * `mariadbErrors`, and the errors a test catches. Everything else has an entry of its own:
 * `test-rig/machines` (state machines, coordinator), `test-rig/isolation`, `test-rig/history`,
 * `test-rig/imports`, `test-rig/toxics`, `test-rig/faults`,
 * `test-rig/schedules`, `test-rig/resilience`, `test-rig/servers`, `test-rig/containers`,
 * `test-rig/config`.
 *
 * Everything here loads in every test file, so nothing here loads a heavy dependency at import:
 * mysql2 comes with the first connection. A test guards this (src/import-graph.test.ts).
 */
export { describe, expect, beforeAll, afterAll, beforeEach, afterEach, vi } from 'vitest'
export { test, it, type RigFixtures } from './vitest/test.ts'
export type { MariadbConfig, RigMariadb } from './vitest/rig-mariadb.ts'
export { Rig, type MysqlDriver, type ConnectOptions, type RigDriver, type RunOptions, type RigCoordinateOptions, type RigIsolation, type RigImports, type RigImportOptions } from './vitest/rig.ts'
export { RigNotConfiguredError, StatementsOutlivedTestError } from './vitest/errors.ts'
export { ExpectedWarningMissingError } from './vitest/expected-warnings.ts'

export { Faults } from './faults/faults.ts'
export type { NetworkFaults, DirectionOption } from './faults/network-faults.ts'
export type { FaultableMethod, FaultPoint, ConnectCall, MethodCall, FaultDecider, ArmOptions, ArmedFault, FiredFault } from './faults/fault-controller.ts'
export { InjectedFaultError, UnfiredFaultsError } from './faults/errors.ts'
export { mysqlErrors, type MysqlLikeError } from './faults/mysql-errors.ts'
export { mariadbErrors, type MariadbLikeError } from './faults/mariadb-errors.ts'

export type { ServerInfo } from './server/types.ts'
export type { EngineName, EngineCapabilities } from './server/engine.ts'
export { SqlScriptError } from './server/errors.ts'
export type { RunResult, RunStatus, TraceEntry } from './machines/trace.ts'
export type { CoordinatedRun, BlockedStep } from './machines/coordinator.ts'
export { MachineError, BarrierBrokenError } from './machines/errors.ts'
export { UnreachedStepsError } from './machines/coordinator.ts'
export { ImportNotSupportedError } from './scenarios/import/import-support.ts'
