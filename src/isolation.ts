/**
 * Isolation testing (`test-rig/isolation`): the anomaly catalogue (Hermitage's interleavings),
 * anomalies of your own, isolation levels, and the matrix of outcomes per level.
 */
export { defineAnomaly, type AnomalyScenario, type AnomalyStep, type Observation, type Verdict } from './scenarios/isolation/anomaly.ts'
export { anomalyCatalogue, g0, g1a, g1b, g1c, otv, pmp, pmpWrite, p4, gSingle, gSingleWrite, g2Item, g2 } from './scenarios/isolation/catalogue.ts'
export { isolationLevels, parseIsolationLevel, setIsolationSql, type IsolationLevel, type IsolationLevelInput } from './scenarios/isolation/levels.ts'
export { runAnomaly, type AnomalyOutcome, type AnomalyRunOptions, type OutcomeKind, type IsolationEnvironment, type TransactionMode } from './scenarios/isolation/run-anomaly.ts'
export { runIsolationMatrix, matrixOutcomes, differencesFrom, loadExpectation, type IsolationMatrix, type IsolationExpectation, type MatrixOutcomes, type MatrixOptions } from './scenarios/isolation/matrix.ts'
export { renderMatrixTable, renderMatrixMarkdown, renderMatrixJson } from './scenarios/isolation/render.ts'
