import type { AnomalyName } from './anomaly.ts'

/** The consistency models the checker gives verdicts for, weakest first. */
export const consistencyModels = ['read-committed', 'repeatable-read', 'snapshot-isolation', 'serializable', 'strict-serializable'] as const

/** A consistency model. */
export type ConsistencyModel = (typeof consistencyModels)[number]

/** Anomalies no model allows: a read of what nobody wrote, a key read in two orders, a transaction that contradicts itself. */
const impossible: readonly AnomalyName[] = ['garbage-read', 'duplicate-elements', 'incompatible-order', 'internal']

const readCommitted: readonly AnomalyName[] = [...impossible, 'G0', 'G1a', 'G1b', 'G1c', 'dirty-update']

/**
 * What each model prohibits (Adya's levels as Elle checks them): read committed (PL-2) G0 and G1;
 * repeatable read in Adya's sense (PL-2.99) also every item anti-dependency cycle (G-single,
 * G-nonadjacent, G2-item) and lost updates; snapshot isolation G0, G1, G-single, G-nonadjacent
 * and lost updates, but not G2-item (write skew); serializable every cycle of G0, G1 and G2;
 * strict serializable also those that need real-time or process order.
 */
export const prohibitedBy: Readonly<Record<ConsistencyModel, readonly AnomalyName[]>> = {
  'read-committed': readCommitted,
  'repeatable-read': [...readCommitted, 'G-single', 'G-nonadjacent', 'G2-item', 'lost-update'],
  'snapshot-isolation': [...readCommitted, 'G-single', 'G-nonadjacent', 'lost-update'],
  serializable: [...readCommitted, 'G-single', 'G-nonadjacent', 'G2-item', 'lost-update'],
  'strict-serializable': [
    ...readCommitted, 'G-single', 'G-nonadjacent', 'G2-item', 'lost-update',
    ...(['G0', 'G1c', 'G-single', 'G-nonadjacent', 'G2-item'] as const).flatMap((base) => [`${base}-process`, `${base}-realtime`] as AnomalyName[]),
  ],
}

/** Whether a model prohibits an anomaly. */
export function prohibits(model: ConsistencyModel, anomaly: AnomalyName): boolean {
  return prohibitedBy[model].includes(anomaly)
}

/** Reads a model's name in any case, with spaces, `-` or `_` between its words. */
export function parseConsistencyModel(text: string): ConsistencyModel {
  const normal = text.trim().toLowerCase().replace(/[\s_]+/g, '-')
  const found = consistencyModels.find((model) => model === normal)
  if (!found) throw new TypeError(`"${text}" is not a consistency model the checker knows; one of: ${consistencyModels.join(', ')}`)
  return found
}
