import type { Anomaly } from './anomaly.ts'
import type { DependencyGraph } from './graph.ts'
import type { Key, Transaction, Value } from './history.ts'

/**
 * Infers what rw-register transactions show (blind writes of unique values, reads): each value's
 * writer is known, so a read relates its writer to its reader (wr); the order of a key's versions
 * is known where a transaction read one version and then wrote the next (ww, and rw from every
 * other reader of the version it read). Returns the anomalies found without a cycle: aborted,
 * intermediate and garbage reads, lost updates, internal inconsistency.
 */
export function inferRwRegister(transactions: readonly Transaction[], graph: DependencyGraph): Anomaly[] {
  const anomalies: Anomaly[] = []
  const writers = new Map<Key, Map<Value, number>>()
  /** Per transaction and key, the values it wrote in order. */
  const writesOf = new Map<number, Map<Key, Value[]>>()
  for (const txn of transactions) {
    for (const [f, key, value] of txn.ops) {
      if (f !== 'w') continue
      let byKey = writers.get(key)
      if (!byKey) writers.set(key, (byKey = new Map()))
      byKey.set(value as Value, txn.id)
      let own = writesOf.get(txn.id)
      if (!own) writesOf.set(txn.id, (own = new Map()))
      own.set(key, [...(own.get(key) ?? []), value as Value])
    }
  }
  const committed = (id: number) => transactions[id]?.type !== 'fail'
  /** Per key: readers of each version (null for the initial one), and the versions written right after it. */
  const readersOf = new Map<Key, Map<Value | null, number[]>>()
  const successors = new Map<Key, Map<Value | null, Set<Value>>>()
  const lost = new Map<Key, Map<Value | null, number[]>>()
  for (const txn of transactions) {
    if (txn.type !== 'ok') continue
    const state = new Map<Key, Value | null>()
    const firstRead = new Map<Key, Value | null>()
    const wrote = new Set<Key>()
    for (const [f, key, raw] of txn.ops) {
      const value = (raw ?? null) as Value | null
      if (f === 'w') {
        if (!wrote.has(key) && firstRead.has(key)) {
          // Read a version, then wrote the next one: the version order of the key.
          const before = firstRead.get(key) as Value | null
          let byKey = successors.get(key)
          if (!byKey) successors.set(key, (byKey = new Map()))
          byKey.set(before, (byKey.get(before) ?? new Set()).add(value as Value))
          let losing = lost.get(key)
          if (!losing) lost.set(key, (losing = new Map()))
          losing.set(before, [...(losing.get(before) ?? []), txn.id])
        }
        wrote.add(key)
        state.set(key, value)
        continue
      }
      if (f !== 'r') continue
      if (state.has(key) && state.get(key) !== value) anomalies.push({ name: 'internal', txns: [txn.id], description: `T${txn.id} read key ${key} as ${value}, but it read or wrote ${state.get(key)} there before` })
      state.set(key, value)
      // Only a read before the transaction's own writes of the key shows another's version.
      if (wrote.has(key) || firstRead.has(key)) continue
      firstRead.set(key, value)
      let byKey = readersOf.get(key)
      if (!byKey) readersOf.set(key, (byKey = new Map()))
      byKey.set(value, [...(byKey.get(value) ?? []), txn.id])
      if (value === null) continue
      const writer = writers.get(key)?.get(value)
      if (writer === undefined) anomalies.push({ name: 'garbage-read', txns: [txn.id], description: `T${txn.id} read ${value} in key ${key}, which no transaction wrote` })
      else if (!committed(writer)) anomalies.push({ name: 'G1a', txns: [writer, txn.id], description: `T${txn.id} read ${value} in key ${key}, written by T${writer}, which aborted` })
      else {
        if ((writesOf.get(writer)?.get(key)?.at(-1) ?? value) !== value) anomalies.push({ name: 'G1b', txns: [writer, txn.id], description: `T${txn.id} read ${value} in key ${key}, which T${writer} overwrote before it committed` })
        graph.add(writer, txn.id, 'wr', { key, value, seen: value })
      }
    }
  }
  for (const [key, byVersion] of lost) {
    for (const [version, txns] of byVersion) if (txns.length > 1) anomalies.push({ name: 'lost-update', txns, description: `T${txns.join(', T')} all read key ${key} as ${version} and all wrote it` })
  }
  for (const [key, byKey] of successors) {
    for (const [version, nexts] of byKey) {
      for (const next of nexts) {
        const to = writers.get(key)?.get(next)
        if (to === undefined || !committed(to)) continue
        const from = version === null ? undefined : writers.get(key)?.get(version)
        if (from !== undefined && committed(from)) graph.add(from, to, 'ww', { key, value: next })
        for (const reader of readersOf.get(key)?.get(version) ?? []) graph.add(reader, to, 'rw', { key, value: next, seen: version ?? undefined })
      }
    }
  }
  return anomalies
}
