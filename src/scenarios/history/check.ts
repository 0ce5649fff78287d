import type { Anomaly, AnomalyName } from './anomaly.ts'
import { findCycles } from './cycles.ts'
import { DependencyGraph } from './graph.ts'
import { transactionsOf, type History, type Transaction } from './history.ts'
import { inferListAppend } from './list-append.ts'
import { consistencyModels, prohibits, type ConsistencyModel } from './models.ts'
import { inferRwRegister } from './rw-register.ts'

/** Options of {@link checkHistory}. */
export interface CheckOptions {
  /** The workload the history comes from: `list-append` (default when it appends) or `rw-register`. */
  readonly workload?: 'list-append' | 'rw-register'
  /** The longest the cycle search may take, in ms (default 10 000); past it, what was not searched is `unknown`. */
  readonly timeLimitMs?: number
}

/** A model's verdict on a history. */
export interface ModelVerdict {
  readonly model: ConsistencyModel
  /** `true`: no anomaly the model prohibits; `false`: some; `'unknown'`: none found, but the search ran out of time first. */
  readonly valid: boolean | 'unknown'
  /** The anomalies found that the model prohibits. */
  readonly violations: readonly AnomalyName[]
}

/** What the checker found in a history. */
export interface CheckResult {
  /** The history's transactions (ids are what anomalies name). */
  readonly transactions: readonly Transaction[]
  /** Every anomaly found, shortest cycles first within a name. */
  readonly anomalies: readonly Anomaly[]
  /** Each anomaly name found, once. */
  readonly anomalyNames: readonly AnomalyName[]
  /** A verdict per consistency model. */
  readonly verdicts: Readonly<Record<ConsistencyModel, ModelVerdict>>
  /** The models the history rules out. */
  readonly ruledOut: readonly ConsistencyModel[]
  /** Cycle searches that ran out of time. */
  readonly unfinished: readonly AnomalyName[]
  /** How long the check took, in ms. */
  readonly durationMs: number
}

/**
 * Checks a transactional history the way Elle does: infers each key's version order and the
 * dependencies between transactions (ww, wr, rw; process and real-time orders), finds the
 * anomalies a single read shows and the cycles of the dependency graph, names them, and gives a
 * verdict per consistency model.
 */
export function checkHistory(history: History, options: CheckOptions = {}): CheckResult {
  const startedAt = performance.now()
  const transactions = transactionsOf(history)
  const graph = new DependencyGraph(transactions.length)
  // Registers are written (w); lists are appended to, and read as lists.
  const workload = options.workload ?? (transactions.some((txn) => txn.ops.some((op) => op[0] === 'w')) ? 'rw-register' : 'list-append')
  const structural = workload === 'list-append' ? inferListAppend(transactions, graph) : inferRwRegister(transactions, graph)
  addOrders(transactions, graph)
  const cycles = findCycles(graph, startedAt + (options.timeLimitMs ?? 10_000))
  const anomalies = [...structural, ...cycles.anomalies]
  const names = [...new Set(anomalies.map((anomaly) => anomaly.name))]
  const verdictOf = (model: ConsistencyModel): ModelVerdict => {
    const violations = names.filter((name) => prohibits(model, name))
    const undecided = cycles.unfinished.some((name) => prohibits(model, name))
    return { model, valid: violations.length > 0 ? false : undecided ? 'unknown' : true, violations }
  }
  const verdicts = Object.fromEntries(consistencyModels.map((model) => [model, verdictOf(model)])) as unknown as Record<ConsistencyModel, ModelVerdict>
  return {
    transactions,
    anomalies,
    anomalyNames: names,
    verdicts,
    ruledOut: consistencyModels.filter((model) => verdicts[model].valid === false),
    unfinished: cycles.unfinished,
    durationMs: performance.now() - startedAt,
  }
}

/**
 * Process order (each process's committed transactions one after another) and real-time order
 * (a transaction that completed before another was invoked precedes it), the latter as Elle keeps
 * it small: each transaction gets edges only from the completed ones no later completion follows.
 */
function addOrders(transactions: readonly Transaction[], graph: DependencyGraph): void {
  // Positions in the history are distinct integers: walking them in order needs no sort.
  let last = 0
  for (const txn of transactions) if (txn.type === 'ok') last = Math.max(last, txn.completedAt)
  const event = new Int32Array(last + 1).fill(-1)
  for (const txn of transactions) {
    if (txn.type !== 'ok') continue
    event[txn.invokedAt] = txn.id * 2
    event[txn.completedAt] = txn.id * 2 + 1
  }
  const lastOfProcess = new Map<number, number>()
  const frontier = new Set<number>()
  const predecessors = new Map<number, number[]>()
  for (let at = 0; at <= last; at++) {
    const code = event[at] as number
    if (code < 0) continue
    const id = code >> 1
    if ((code & 1) === 0) {
      const txn = transactions[id] as Transaction
      const before = lastOfProcess.get(txn.process)
      if (before !== undefined) graph.add(before, id, 'process')
      lastOfProcess.set(txn.process, id)
      const preceding = [...frontier]
      predecessors.set(id, preceding)
      for (const from of preceding) graph.add(from, id, 'realtime')
      continue
    }
    for (const from of predecessors.get(id) ?? []) frontier.delete(from)
    predecessors.delete(id)
    frontier.add(id)
  }
}
