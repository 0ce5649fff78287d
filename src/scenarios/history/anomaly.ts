import type { Key, Value } from './history.ts'

/** Anomalies found without a cycle: what a single read or transaction shows. */
export type StructuralAnomalyName =
  | 'G1a'
  | 'G1b'
  | 'dirty-update'
  | 'lost-update'
  | 'internal'
  | 'incompatible-order'
  | 'duplicate-elements'
  | 'garbage-read'

/** The cycle anomalies (Adya's, as Elle names them), each also with `-process` or `-realtime` when such an edge is needed. */
export type CycleAnomalyBase = 'G0' | 'G1c' | 'G-single' | 'G-nonadjacent' | 'G2-item'

/** Every anomaly name the checker reports. */
export type AnomalyName = StructuralAnomalyName | CycleAnomalyBase | `${CycleAnomalyBase}-process` | `${CycleAnomalyBase}-realtime`

/** One step of a cycle: a transaction, and the edge from it to the next. */
export interface CycleStep {
  /** The transaction (its id in the history's transactions). */
  readonly txn: number
  /** How it relates to the next transaction of the cycle. */
  readonly kind: 'ww' | 'wr' | 'rw' | 'process' | 'realtime'
  /** The key the edge was inferred on (data edges). */
  readonly key?: Key
  /** The value whose order or visibility makes the edge. */
  readonly value?: Value
  /** The last element of the version the reader saw (`wr`, `rw`). */
  readonly seen?: Value
}

/** An anomaly the checker found. */
export interface Anomaly {
  readonly name: AnomalyName
  /** The transactions involved, by id. */
  readonly txns: readonly number[]
  /** For a cycle: its steps, in order (the last step's edge leads back to the first). */
  readonly cycle?: readonly CycleStep[]
  /** What was seen, in words. */
  readonly description: string
}
