/** A key of a workload (Jepsen's histories use small integers; strings are kept as they are). */
export type Key = number | string

/** A value a transaction appends or writes (unique per key in the workloads the checker knows). */
export type Value = number | string

/** One micro-operation of a transaction, in Jepsen's shape: append, read, write. */
export type MicroOp =
  | readonly ['append', Key, Value]
  | readonly ['r', Key, readonly Value[] | Value | null]
  | readonly ['w', Key, Value]

/** One operation of a history, as Jepsen's tools (Elle, elle-cli) read and write them. */
export interface Operation {
  /** `invoke` when the transaction starts; `ok`, `fail` (known aborted) or `info` (outcome unknown) when it ends. */
  readonly type: 'invoke' | 'ok' | 'fail' | 'info'
  /** The logical process (a session; a session whose outcome became unknown continues as a new process). */
  readonly process: number
  /** The transaction's micro-operations; on `ok`, reads carry what they read. */
  readonly value: readonly MicroOp[]
  /** Jepsen's function name; `txn` for these workloads. */
  readonly f?: string
  /** Position in the history. */
  readonly index?: number
  /** Nanoseconds since the history's start. */
  readonly time?: number
}

/** A history: operations in the order they happened. */
export type History = readonly Operation[]

/** A transaction of a history: its invocation paired with its completion. */
export interface Transaction {
  /** Position among the history's transactions, from 0. */
  readonly id: number
  readonly process: number
  /** `ok`, `fail`, or `info` (no completion at all counts as `info`). */
  readonly type: 'ok' | 'fail' | 'info'
  /** The micro-operations: the completion's for `ok` (they hold the reads), else the invocation's. */
  readonly ops: readonly MicroOp[]
  /** Index of the invocation in the history. */
  readonly invokedAt: number
  /** Index of the completion, or Infinity when there is none. */
  readonly completedAt: number
}

/** A history that cannot be read: names the operation and what is wrong. */
export class HistoryFormatError extends Error {
  /** Stable error code. */
  readonly code = 'TEST_RIG_HISTORY_FORMAT'

  constructor(position: number, problem: string) {
    super(`history operation ${position}: ${problem}. Fix: each operation is { type: 'invoke' | 'ok' | 'fail' | 'info', process, value: [['append', k, v] | ['r', k, [...] | null] | ['w', k, v], …] } (Jepsen's format).`)
    this.name = 'HistoryFormatError'
  }
}

const types = new Set(['invoke', 'ok', 'fail', 'info'])
const fs = new Set(['append', 'r', 'w'])

/** Checks the shape of a history read from JSON; throws {@link HistoryFormatError} naming the first bad operation. */
export function parseHistory(input: unknown): History {
  if (!Array.isArray(input)) throw new HistoryFormatError(0, 'a history is a JSON array of operations')
  input.forEach((op: unknown, position) => {
    const candidate = op as Partial<Operation> | null
    if (candidate === null || typeof candidate !== 'object') throw new HistoryFormatError(position, 'not an object')
    if (!types.has(String(candidate.type))) throw new HistoryFormatError(position, `type ${JSON.stringify(candidate.type)} is not invoke, ok, fail or info`)
    if (typeof candidate.process !== 'number') throw new HistoryFormatError(position, 'process is not a number')
    if (!Array.isArray(candidate.value)) throw new HistoryFormatError(position, 'value is not a list of micro-operations')
    for (const micro of candidate.value as unknown[]) {
      if (!Array.isArray(micro) || micro.length !== 3 || !fs.has(String(micro[0]))) throw new HistoryFormatError(position, `micro-operation ${JSON.stringify(micro)} is not [f, key, value] with f append, r or w`)
    }
  })
  return input as History
}

/**
 * Pairs each invocation with its process's next completion (a process runs one transaction at a
 * time). An invocation without a completion is `info`: its outcome is unknown.
 */
export function transactionsOf(history: History): Transaction[] {
  const open = new Map<number, { readonly invokedAt: number; readonly ops: readonly MicroOp[] }>()
  const transactions: Transaction[] = []
  history.forEach((op, position) => {
    if (op.type === 'invoke') {
      const pending = open.get(op.process)
      if (pending) transactions.push({ id: transactions.length, process: op.process, type: 'info', ops: pending.ops, invokedAt: pending.invokedAt, completedAt: Infinity })
      open.set(op.process, { invokedAt: position, ops: op.value })
      return
    }
    const pending = open.get(op.process)
    if (!pending) throw new HistoryFormatError(position, `a completion (${op.type}) of process ${op.process} without an invocation before it`)
    open.delete(op.process)
    transactions.push({ id: transactions.length, process: op.process, type: op.type, ops: op.type === 'ok' ? op.value : pending.ops, invokedAt: pending.invokedAt, completedAt: op.type === 'info' ? Infinity : position })
  })
  for (const [process, pending] of open) transactions.push({ id: transactions.length, process, type: 'info', ops: pending.ops, invokedAt: pending.invokedAt, completedAt: Infinity })
  return transactions
}
