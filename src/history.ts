/**
 * History checking (`test-rig/history`): generated transactional workloads, Jepsen-format
 * histories, and an Elle-style checker that names the anomalies a history shows and gives a
 * verdict per consistency model.
 */
export { checkHistory, type CheckOptions, type CheckResult, type ModelVerdict } from './scenarios/history/check.ts'
export { parseHistory, transactionsOf, HistoryFormatError, type History, type Operation, type MicroOp, type Transaction, type Key, type Value } from './scenarios/history/history.ts'
export { consistencyModels, prohibitedBy, parseConsistencyModel, type ConsistencyModel } from './scenarios/history/models.ts'
export type { Anomaly, AnomalyName, CycleStep } from './scenarios/history/anomaly.ts'
export { explainAnomaly, mermaidOf, showOps } from './scenarios/history/explain.ts'
export { runWorkload, type WorkloadOptions, type RecordedHistory } from './scenarios/history/workload.ts'
