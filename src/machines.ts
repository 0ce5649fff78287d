/**
 * State machines and coordinated sessions (`test-rig/machines`): define a machine as data with
 * handlers, run it on a connection (`rig.run`), or several at once (`rig.coordinate`), and read
 * the traces; the built-in scenarios of the `test-rig run` command.
 */
export { defineMachine, Machine, type MachineDefinition, type MachineContext, type StateHandler } from './machines/machine.ts'
export { runMachine, type RunMachineOptions, type StateHooks } from './machines/run-machine.ts'
export { coordinate, UnreachedStepsError, OrderError, type CoordinateOptions, type CoordinatedRun, type BlockedStep, type SessionSpec } from './machines/coordinator.ts'
export { sqlSession, type SqlStep, type StepOutcome, type SqlSessionData } from './machines/sql-session.ts'
export { formatTrace, type RunResult, type RunStatus, type TraceEntry } from './machines/trace.ts'
export type { RecordedStatement } from './machines/statement-recorder.ts'
export { stateDiagram, sequenceDiagram } from './machines/mermaid.ts'
export { MachineError, MachineDefinitionError, BarrierBrokenError, type HandlerPhase } from './machines/errors.ts'
export { commonStates, type ConnectionCheckData } from './scenarios/common-states.ts'
export { basicConnection } from './scenarios/basic-connection.ts'
export { multiConnection, type MultiConnectionOptions, type MultiConnectionData } from './scenarios/multi-connection.ts'
