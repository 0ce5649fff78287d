import type { Anomaly } from './anomaly.ts'
import type { DependencyGraph } from './graph.ts'
import type { Key, Transaction, Value } from './history.ts'

/** The list a read returned (null, for a key that was never written, is the empty list). */
function listOf(value: unknown): readonly Value[] {
  return Array.isArray(value) ? (value as Value[]) : []
}

/** A read that shows another transaction's version: made before the reader's own appends to the key. */
interface ExternalRead {
  readonly txn: number
  readonly key: Key
  readonly list: readonly Value[]
  /** The reader appended to the key too (after reading): with another such reader of the same version, an update was lost. */
  appends: boolean
}

/** Most anomalies of one kind reported for one key (the rest say the same). */
const reportedPerKey = 10

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
  /** Per key, the appends some transaction made before another of its own to the same key. */
  const intermediate = new Map<Key, Map<Value, readonly Value[]>>()
  const reads: ExternalRead[] = []
  const longest = new Map<Key, readonly Value[]>()
  // Per transaction, reused: its appends, and what it knows of each key (for the internal check).
  const own = new Map<Key, Value[]>()
  const known = new Map<Key, readonly Value[]>()

  for (const txn of transactions) {
    own.clear()
    known.clear()
    const firstRead = reads.length
    for (const op of txn.ops) {
      const [f, key, value] = op
      if (f === 'append') {
        let byKey = writers.get(key)
        if (!byKey) writers.set(key, (byKey = new Map()))
        byKey.set(value as Value, txn.id)
        const mine = own.get(key)
        if (mine) mine.push(value as Value)
        else own.set(key, [value as Value])
        const state = known.get(key)
        if (state) known.set(key, [...state, value as Value])
        continue
      }
      if (f !== 'r' || txn.type !== 'ok') continue
      const list = listOf(value)
      const expected = known.get(key)
      const appended = own.get(key)
      // What it read before and appended since, exactly; or, without an earlier read, its appends at the end.
      const mismatch = expected
        ? expected.length !== list.length || expected.some((element, i) => element !== list[i])
        : appended !== undefined && (list.length < appended.length || appended.some((element, i) => list[list.length - appended.length + i] !== element))
      if (mismatch) anomalies.push({ name: 'internal', txns: [txn.id], description: `T${txn.id} read key ${key} as ${show(list)}, but what it read and appended before says ${expected ? show(expected) : `it ends with ${show(appended ?? [])}`}` })
      known.set(key, list)
      // Only a read before the transaction's own appends to the key shows another's version; a
      // later one is checked for internal consistency above (a server whose writes read the
      // latest version shows others' appends there, which says nothing more of the order).
      if (appended === undefined) reads.push({ txn: txn.id, key, list, appends: false })
      const seen = longest.get(key)
      if (!seen || list.length > seen.length) longest.set(key, list)
    }
    for (const [key, values] of own) {
      for (let i = 0; i + 1 < values.length; i++) {
        let byKey = intermediate.get(key)
        if (!byKey) intermediate.set(key, (byKey = new Map()))
        byKey.set(values[i] as Value, values)
      }
    }
    for (let at = firstRead; at < reads.length; at++) (reads[at] as ExternalRead).appends = own.has((reads[at] as ExternalRead).key)
  }

  const typeOf = (id: number) => transactions[id]?.type
  const committed = (id: number) => typeOf(id) !== 'fail'
  // Per key, from its longest read, once: duplicates, and the first element nobody appended or an aborted transaction did.
  const brokenKeys = new Set<Key>()
  const badAt = new Map<Key, Array<{ readonly index: number; readonly writer: number | undefined }>>()
  for (const [key, order] of longest) {
    if (new Set(order).size !== order.length) anomalies.push({ name: 'duplicate-elements', txns: [], description: `key ${key} was read as ${show(order)}: an element appears twice` })
    const byKey = writers.get(key)
    const bad: Array<{ readonly index: number; readonly writer: number | undefined }> = []
    order.forEach((element, index) => {
      const writer = byKey?.get(element)
      if (writer === undefined || typeOf(writer) === 'fail') bad.push({ index, writer })
    })
    if (bad.length > 0) badAt.set(key, bad)
  }
  const byVersion = new Map<Key, Map<number, number[]>>()
  const reported = new Map<string, number>()
  const report = (anomaly: Anomaly, key: Key) => {
    const tally = `${anomaly.name} ${key}`
    const count = reported.get(tally) ?? 0
    reported.set(tally, count + 1)
    if (count < reportedPerKey) anomalies.push(anomaly)
  }
  for (const read of reads) {
    const order = longest.get(read.key) ?? []
    const list = read.list
    let prefix = true
    for (let i = 0; i < list.length; i++) {
      if (order[i] !== list[i]) {
        prefix = false
        break
      }
    }
    if (!prefix) {
      brokenKeys.add(read.key)
      report({ name: 'incompatible-order', txns: [read.txn], description: `key ${read.key} was read as ${show(list)} by T${read.txn} and as ${show(order)} elsewhere: neither is a prefix of the other` }, read.key)
      continue
    }
    for (const { index, writer } of badAt.get(read.key) ?? []) {
      if (index >= list.length) break
      const element = list[index]
      if (writer === undefined) report({ name: 'garbage-read', txns: [read.txn], description: `T${read.txn} read ${element} in key ${read.key}, which no transaction appended` }, read.key)
      else report({ name: 'G1a', txns: [writer, read.txn], description: `T${read.txn} read ${element} in key ${read.key}, appended by T${writer}, which aborted` }, read.key)
    }
    const last = list.at(-1)
    const theirs = last === undefined ? undefined : intermediate.get(read.key)?.get(last)
    const lastWriter = last === undefined ? undefined : writers.get(read.key)?.get(last)
    if (theirs && lastWriter !== undefined && lastWriter !== read.txn) report({ name: 'G1b', txns: [lastWriter, read.txn], description: `T${read.txn} read key ${read.key} as ${show(list)}, an intermediate state of T${lastWriter}, which appended ${show(theirs)}` }, read.key)
    if (read.appends) {
      let versions = byVersion.get(read.key)
      if (!versions) byVersion.set(read.key, (versions = new Map()))
      const readers = versions.get(list.length)
      if (!readers) versions.set(list.length, [read.txn])
      else if (!readers.includes(read.txn)) readers.push(read.txn)
    }
  }
  // Two committed transactions that read the same version and both appended to the key.
  for (const [key, versions] of byVersion) {
    for (const [length, readers] of versions) {
      if (readers.length > 1) anomalies.push({ name: 'lost-update', txns: readers, description: `T${readers.join(', T')} all read key ${key} at the same version (${length} element${length === 1 ? '' : 's'}) and all appended to it: each overwrote what the other appended in its view` })
    }
  }

  // Edges, from each key's version order.
  for (const [key, order] of longest) {
    if (brokenKeys.has(key)) continue
    const byKey = writers.get(key)
    for (let i = 0; i + 1 < order.length; i++) {
      const from = byKey?.get(order[i] as Value)
      const to = byKey?.get(order[i + 1] as Value)
      if (from === undefined || to === undefined) continue
      if (!committed(from) && committed(to)) report({ name: 'dirty-update', txns: [from, to], description: `T${to} appended ${order[i + 1]} to key ${key} right after ${order[i]}, appended by T${from}, which aborted` }, key)
      if (committed(from) && committed(to)) graph.add(from, to, 'ww', { key, value: order[i + 1] })
    }
  }
  for (const read of reads) {
    if (brokenKeys.has(read.key)) continue
    const order = longest.get(read.key) ?? []
    const byKey = writers.get(read.key)
    const seen = read.list.at(-1)
    const writer = seen === undefined ? undefined : byKey?.get(seen)
    if (writer !== undefined && committed(writer)) graph.add(writer, read.txn, 'wr', { key: read.key, value: seen, seen })
    const next = order[read.list.length]
    const overwriter = next === undefined ? undefined : byKey?.get(next)
    if (overwriter !== undefined && committed(overwriter)) graph.add(read.txn, overwriter, 'rw', { key: read.key, value: next, seen })
  }
  return anomalies
}

function show(list: readonly Value[]): string {
  return `[${list.join(', ')}]`
}
