import { expect } from 'vitest'
import type { Anomaly } from '../scenarios/history/anomaly.ts'
import { checkHistory, type CheckOptions } from '../scenarios/history/check.ts'
import { explainAnomaly, type SqlOf } from '../scenarios/history/explain.ts'
import type { History } from '../scenarios/history/history.ts'
import { parseConsistencyModel, prohibits, type ConsistencyModel } from '../scenarios/history/models.ts'
import type { RecordedHistory } from '../scenarios/history/workload.ts'

declare module 'vitest' {
  interface Matchers<R> {
    /**
     * The history (an array of Jepsen operations, or what `rig.workload()` recorded) shows no
     * anomaly `model` prohibits (`read-committed`, `repeatable-read`, `snapshot-isolation`,
     * `serializable`, `strict-serializable`). A failure explains the smallest counterexample in
     * words, with each transaction's SQL and a Mermaid diagram of the cycle.
     */
    toBeConsistentWith(model: ConsistencyModel | (string & {}), options?: CheckOptions): R
  }
}

/** Cycles first by length, then the others: the smallest counterexample leads. */
function smallestFirst(a: Anomaly, b: Anomaly): number {
  return (a.cycle?.length ?? a.txns.length) - (b.cycle?.length ?? b.txns.length)
}

expect.extend({
  toBeConsistentWith(received: unknown, modelName: string, options?: CheckOptions) {
    const model = parseConsistencyModel(modelName)
    const recorded = received as Partial<RecordedHistory>
    const history = (Array.isArray(received) ? received : recorded.history) as History | undefined
    if (!Array.isArray(history)) return { pass: false, message: () => `expected a history (Jepsen operations) or rig.workload()'s result, got ${this.utils.printReceived(received)}` }
    const sqlOf: SqlOf = typeof recorded.sqlOf === 'function' ? recorded.sqlOf : () => undefined
    const result = checkHistory(history, options)
    const verdict = result.verdicts[model]
    const prohibited = result.anomalies.filter((anomaly) => prohibits(model, anomaly.name)).sort(smallestFirst)
    const counts = `${result.transactions.length} transactions (${result.transactions.filter((txn) => txn.type === 'ok').length} ok, ${result.transactions.filter((txn) => txn.type === 'fail').length} fail, ${result.transactions.filter((txn) => txn.type === 'info').length} info), checked in ${Math.round(result.durationMs)} ms`
    if (verdict.valid === 'unknown') {
      return { pass: false, message: () => `could not decide whether the history is ${model}: the cycle search ran out of time (${result.unfinished.join(', ')} not searched to the end; pass { timeLimitMs } for more). ${counts}` }
    }
    return {
      pass: verdict.valid === true,
      message: () => verdict.valid === true
        ? `expected the history not to be ${model}, but it shows no anomaly that ${model} prohibits (found: ${result.anomalyNames.join(', ') || 'none'}). ${counts}`
        : `expected the history to be ${model}, but it shows ${verdict.violations.join(', ')} (it rules out ${result.ruledOut.join(', ')}). ${counts}\n\nThe smallest counterexample:\n${explainAnomaly(prohibited[0] as Anomaly, result.transactions, sqlOf)}`,
    }
  },
})
