/**
 * test-rig: a real MySQL-protocol database (TiDB, MySQL, MariaDB) in every Vitest test.
 * Import `test` (or `it`) from here to get the `rig` and `conn` fixtures.
 *
 * Everything here loads in every test file, so nothing here loads a heavy dependency at import:
 * mysql2 comes with the first connection, and containers (`test-rig/containers`), configuration
 * loading (`test-rig/config`), import-job tooling (`test-rig/imports`) and retry policies
 * (`test-rig/resilience`, cockatiel) have entry points of their own. A test guards this
 * (src/import-graph.test.ts).
 */
export { describe, expect, beforeAll, afterAll, beforeEach, afterEach, vi } from 'vitest'
export { test, it, type RigFixtures } from './vitest/test.ts'
export { Rig, type MysqlDriver, type ConnectOptions, type RigDriver, type RunOptions, type RigCoordinateOptions, type RigIsolation, type RigImports, type RigImportOptions } from './vitest/rig.ts'
export { RigNotConfiguredError } from './vitest/errors.ts'
export type { RunContext } from './vitest/run-context.ts'

export { redactConfig, redactUrl } from './config/redact.ts'
export { ConfigError, type ConfigProblem } from './config/errors.ts'
export type { RigConfig, RigConfigInput, LogLevel, ProviderName } from './config/schema.ts'
export { loadDriver } from './server/connect.ts'

export type { ServerInfo, ServerEndpoint, StartedServer, ServerProvider, ConcreteProvider } from './server/types.ts'
export type { EngineName, EngineIdentity, EngineCapabilities } from './server/engine.ts'
export { LocalServer, StartedLocalServer, type LocalServerOptions } from './server/local/local-server.ts'
export { ExternalServer, type ExternalServerOptions } from './server/external-server.ts'
export { splitSqlScript, type ScriptStatement } from './server/sql-script.ts'
export {
  ServerBinaryNotFoundError,
  ServerStartError,
  ServerUnreachableError,
  SqlScriptError,
  UnsafeDropError,
} from './server/errors.ts'
export { WaitTimeoutError } from './resilience/errors.ts'

// Retry, breaker and timeout policies (cockatiel) are in `test-rig/resilience`.
export { classifyError, isTransient, type Classification } from './resilience/classify.ts'
export { knownErrors, lookupError, type KnownError, type ErrorKind, type Recovery } from './resilience/error-codes.ts'
export { ContextualError, ErrorContextBuilder, type ErrorContext } from './resilience/error-context.ts'
export type { ResilienceConfig } from './config/schema.ts'

export { Faults } from './faults/faults.ts'
export type { FaultSchedule, ScheduledFault, ScheduleFaultKind } from './faults/schedule.ts'
export {
  FaultController,
  faultableMethods,
  type FaultableMethod,
  type FaultPoint,
  type ConnectCall,
  type MethodCall,
  type FaultDecider,
  type ArmOptions,
  type ArmedFault,
  type FiredFault,
} from './faults/fault-controller.ts'
export { InjectedFaultError, UnfiredFaultsError } from './faults/errors.ts'
export { mysqlErrors, type MysqlLikeError } from './faults/mysql-errors.ts'
export { instrumentConnection, instrumentPool, type PoolTarget } from './faults/instrument.ts'
export type { CallbackFactories, PromiseFactories } from './faults/driver/instrumented-mysql.ts'
export { NetworkFaults, type DirectionOption } from './faults/network-faults.ts'
export { NetworkProxy, type ToxicDirection, type ToxicHandle, type ProxyStats } from './faults/proxy/network-proxy.ts'
export type { ConnectionFacts, ConnectionSelector, ToxicScope } from './faults/proxy/toxic-scope.ts'
export type { Toxic, ToxicStream, Direction } from './faults/proxy/toxic.ts'
export { latency, type LatencyOptions } from './faults/proxy/toxics/latency.ts'
export { bandwidth, type BandwidthOptions } from './faults/proxy/toxics/bandwidth.ts'
export { resetPeer, type ResetPeerOptions } from './faults/proxy/toxics/reset-peer.ts'
export { timeout as blackholeToxic, type TimeoutOptions } from './faults/proxy/toxics/timeout.ts'
export { slowClose, type SlowCloseOptions } from './faults/proxy/toxics/slow-close.ts'
export { slicer, type SlicerOptions } from './faults/proxy/toxics/slicer.ts'
export { limitData, type LimitDataOptions } from './faults/proxy/toxics/limit-data.ts'

export { defineMachine, Machine, type MachineDefinition, type MachineContext, type StateHandler } from './machines/machine.ts'
export { runMachine, type RunMachineOptions, type StateHooks } from './machines/run-machine.ts'
export { coordinate, UnreachedStepsError, type CoordinateOptions, type CoordinatedRun, type BlockedStep, type SessionSpec } from './machines/coordinator.ts'
export { sqlSession, type SqlStep, type StepOutcome, type SqlSessionData } from './machines/sql-session.ts'
export { formatTrace, type RunResult, type RunStatus, type TraceEntry } from './machines/trace.ts'
export type { RecordedStatement } from './machines/statement-recorder.ts'
export { stateDiagram, sequenceDiagram } from './machines/mermaid.ts'
export { MachineError, MachineDefinitionError, BarrierBrokenError, type HandlerPhase } from './machines/errors.ts'
export { commonStates, type ConnectionCheckData } from './scenarios/common-states.ts'
export { basicConnection } from './scenarios/basic-connection.ts'
export { multiConnection, type MultiConnectionOptions, type MultiConnectionData } from './scenarios/multi-connection.ts'
export { defineAnomaly, type AnomalyScenario, type AnomalyStep, type Observation, type Verdict } from './scenarios/isolation/anomaly.ts'
export { anomalyCatalogue, g0, g1a, g1b, g1c, otv, pmp, pmpWrite, p4, gSingle, gSingleWrite, g2Item, g2 } from './scenarios/isolation/catalogue.ts'
export { isolationLevels, parseIsolationLevel, setIsolationSql, type IsolationLevel, type IsolationLevelInput } from './scenarios/isolation/levels.ts'
export { runAnomaly, type AnomalyOutcome, type AnomalyRunOptions, type OutcomeKind, type IsolationEnvironment, type TransactionMode } from './scenarios/isolation/run-anomaly.ts'
export { runIsolationMatrix, matrixOutcomes, differencesFrom, loadExpectation, type IsolationMatrix, type IsolationExpectation, type MatrixOutcomes, type MatrixOptions } from './scenarios/isolation/matrix.ts'
export { renderMatrixTable, renderMatrixMarkdown, renderMatrixJson } from './scenarios/isolation/render.ts'
export type { ImportJob } from './scenarios/import/import-job.ts'
export { importUnsupportedReason, ImportNotSupportedError } from './scenarios/import/import-support.ts'
export { describeJob } from './scenarios/import/progress-display.ts'
