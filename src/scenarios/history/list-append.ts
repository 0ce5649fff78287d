import type { Anomaly } from './anomaly.ts'
import type { DependencyGraph } from './graph.ts'
import type { Key, Transaction, Value } from './history.ts'

/** The list a read returned (null, for a key that was never written, is the empty list). */
function listOf(value: unknown): readonly Value[] {
  return Array.isArray(value) ? (value as Value[]) : []
}

/**
 * Infers what list-append transactions show (Elle's strongest inference): every key's version
 * order is its longest read, which every other read must be a prefix of; each element's writer is
 * known since values are unique per key. Adds ww, wr and rw edges between the transactions that
 * committed (`ok`, and `info` ones whose appends were read), and returns the anomalies found
 * without a cycle: aborted and intermediate reads, dirty updates, lost updates, internal
 * inconsistency, incompatible orders, duplicate and garbage elements.
 */
export function inferListAppend(transactions: readonly Transaction[], graph: DependencyGraph): Anomaly[] {
  const anomalies: Anomaly[] = []
  const writers = new Map<Key, Map<Value, number>>()
  /** Per transaction and key, its appends in order (to tell its last from the ones before). */
  const appendsOf = new Map<number, Map<Key, Value[]>>()
  const reads: Array<{ readonly txn: number; readonly key: Key; readonly list: readonly Value[]; readonly external: boolean }> = []
  const longest = new Map<Key, readonly Value[]>()

  for (const txn of transactions) {
    const own = new Map<Key, Value[]>()
    // What the transaction knows of each key: its first read, then its own appends (internal check).
    const known = new Map<Key, Value[] | undefined>()
    for (const op of txn.ops) {
      const [f, key, value] = op
      if (f === 'append') {
        let byKey = writers.get(key)
        if (!byKey) writers.set(key, (byKey = new Map()))
        byKey.set(value as Value, txn.id)
        own.set(key, [...(own.get(key) ?? []), value as Value])
        const state = known.get(key)
        if (state) state.push(value as Value)
      } else if (f === 'r' && txn.type === 'ok') {
        const list = listOf(value)
        const expected = known.get(key)
        const appended = own.get(key) ?? []
        // What it read before and appended since, exactly; or, without an earlier read, its appends at the end.
        const mismatch = expected
          ? expected.length !== list.length || expected.some((element, i) => element !== list[i])
          : appended.length > 0 && (list.length < appended.length || appended.some((element, i) => list[list.length - appended.length + i] !== element))
        if (mismatch) anomalies.push({ name: 'internal', txns: [txn.id], description: `T${txn.id} read key ${key} as ${show(list)}, but what it read and appended before says ${expected ? show(expected) : `it ends with ${show(appended)}`}` })
        known.set(key, [...list])
        // Only a read before the transaction's own appends to the key shows another's version; a
        // later one is checked for internal consistency above (a server whose writes read the
        // latest version shows others' appends there, which says nothing more of the order).
        const external = appended.length === 0
        if (external) reads.push({ txn: txn.id, key, list, external })
        const seen = longest.get(key)
        if (!seen || list.length > seen.length) longest.set(key, list)
      }
    }
    if (own.size > 0) appendsOf.set(txn.id, own)
  }

  const committed = (id: number) => transactions[id]?.type !== 'fail'
  const typeOf = (id: number) => transactions[id]?.type
  const brokenKeys = new Set<Key>()
  // Reads: duplicates, garbage, aborted and intermediate reads; every read a prefix of the longest.
  const byVersion = new Map<Key, Map<number, number[]>>()
  for (const read of reads) {
    const order = longest.get(read.key) ?? []
    const byKey = writers.get(read.key)
    const list = read.list
    if (new Set(list).size !== list.length) anomalies.push({ name: 'duplicate-elements', txns: [read.txn], description: `T${read.txn} read key ${read.key} as ${show(list)}: an element appears twice` })
    if (list.some((element, i) => order[i] !== element)) {
      brokenKeys.add(read.key)
      anomalies.push({ name: 'incompatible-order', txns: [read.txn], description: `key ${read.key} was read as ${show(list)} by T${read.txn} and as ${show(order)} elsewhere: neither is a prefix of the other` })
      continue
    }
    for (const element of list) {
      const writer = byKey?.get(element)
      if (writer === undefined) anomalies.push({ name: 'garbage-read', txns: [read.txn], description: `T${read.txn} read ${element} in key ${read.key}, which no transaction appended` })
      else if (typeOf(writer) === 'fail') anomalies.push({ name: 'G1a', txns: [writer, read.txn], description: `T${read.txn} read ${element} in key ${read.key}, appended by T${writer}, which aborted` })
    }
    const last = list.at(-1)
    const lastWriter = last === undefined ? undefined : byKey?.get(last)
    if (lastWriter !== undefined && lastWriter !== read.txn) {
      const theirs = appendsOf.get(lastWriter)?.get(read.key) ?? []
      if (theirs.at(-1) !== last) anomalies.push({ name: 'G1b', txns: [lastWriter, read.txn], description: `T${read.txn} read key ${read.key} as ${show(list)}, an intermediate state of T${lastWriter}, which appended ${show(theirs)}` })
    }
    // Who read each version and then appended to the key: two committed such transactions lost an update.
    if (read.external && appendsOf.get(read.txn)?.has(read.key)) {
      let versions = byVersion.get(read.key)
      if (!versions) byVersion.set(read.key, (versions = new Map()))
      const readers = versions.get(list.length) ?? []
      if (!readers.includes(read.txn)) versions.set(list.length, [...readers, read.txn])
    }
  }
  for (const [key, versions] of byVersion) {
    for (const [length, readers] of versions) {
      if (readers.length > 1) anomalies.push({ name: 'lost-update', txns: readers, description: `T${readers.join(', T')} all read key ${key} at the same version (${length} element${length === 1 ? '' : 's'}) and all appended to it: each overwrote what the other appended in its view` })
    }
  }

  // Edges, from each key's version order.
  for (const [key, order] of longest) {
    if (brokenKeys.has(key)) continue
    const byKey = writers.get(key)
    const writerAt = (i: number) => byKey?.get(order[i] as Value)
    for (let i = 0; i + 1 < order.length; i++) {
      const from = writerAt(i)
      const to = writerAt(i + 1)
      if (from === undefined || to === undefined) continue
      if (!committed(from) && committed(to)) anomalies.push({ name: 'dirty-update', txns: [from, to], description: `T${to} appended ${order[i + 1]} to key ${key} right after ${order[i]}, appended by T${from}, which aborted` })
      if (committed(from) && committed(to)) graph.add(from, to, 'ww', { key, value: order[i + 1] })
    }
  }
  for (const read of reads) {
    if (brokenKeys.has(read.key)) continue
    const order = longest.get(read.key) ?? []
    const byKey = writers.get(read.key)
    const n = read.list.length
    const seen = read.list.at(-1)
    const writer = seen === undefined ? undefined : byKey?.get(seen)
    if (writer !== undefined && committed(writer)) graph.add(writer, read.txn, 'wr', { key: read.key, value: seen, seen })
    const next = order[n]
    const overwriter = next === undefined ? undefined : byKey?.get(next)
    if (overwriter !== undefined && committed(overwriter)) graph.add(read.txn, overwriter, 'rw', { key: read.key, value: next, seen })
  }
  return anomalies
}

function show(list: readonly Value[]): string {
  return `[${list.join(', ')}]`
}
