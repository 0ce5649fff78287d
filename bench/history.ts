import { checkHistory } from '../src/scenarios/history/check.ts'
import type { MicroOp, Operation } from '../src/scenarios/history/history.ts'
import { round3, summarize } from './stats.ts'

/**
 * A valid list-append history of `transactions`, on `keys` keys active at a time (a key takes 32
 * appends, then a fresh key takes its place, as Elle's generator does), from 10 processes whose
 * transactions overlap (each is invoked, then completes after 9 more are invoked) and take effect
 * atomically at their completion, as a serializable store would: a checker must find nothing.
 */
export function generateListAppend(transactions: number, keys: number, seed = 1): Operation[] {
  let state = seed
  const random = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff
    return state / 0x7fffffff
  }
  const store = new Map<number, number[]>()
  let next = 0
  const history: Operation[] = []
  const pending: Array<{ process: number; plan: Array<['append' | 'r', number]> }> = []
  const active = Array.from({ length: keys }, (_, k) => k)
  const appendsTo = new Map<number, number>()
  let fresh = keys
  const pick = (append: boolean): number => {
    const slot = Math.floor(random() * keys)
    const key = active[slot] as number
    if (append) {
      const count = (appendsTo.get(key) ?? 0) + 1
      appendsTo.set(key, count)
      if (count >= 32) active[slot] = fresh++
    }
    return key
  }
  const complete = () => {
    const txn = pending.shift()
    if (!txn) return
    const ops: MicroOp[] = txn.plan.map(([f, key]) => {
      if (f === 'r') return ['r', key, [...(store.get(key) ?? [])]]
      const value = ++next
      store.set(key, [...(store.get(key) ?? []), value])
      return ['append', key, value]
    })
    history.push({ type: 'ok', process: txn.process, value: ops })
  }
  for (let i = 0; i < transactions; i++) {
    const process = i % 10
    const plan = Array.from({ length: 1 + Math.floor(random() * 4) }, (): ['append' | 'r', number] => {
      const append = random() >= 0.5
      return [append ? 'append' : 'r', pick(append)]
    })
    history.push({ type: 'invoke', process, value: plan.map(([f, key]): MicroOp => (f === 'r' ? ['r', key, null] : ['append', key, 0])) })
    pending.push({ process, plan })
    if (pending.length >= 10) complete()
  }
  while (pending.length > 0) complete()
  return history
}

/** The checker on generated histories of 10 k and 100 k transactions, on 10 and 1 000 keys: transactions per second, memory, and the cost per transaction at each size (linear when equal). */
export async function benchHistory(): Promise<Record<string, unknown>> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
  const figures: Record<string, unknown> = {}
  for (const keys of [10, 1000]) {
    for (const size of [10_000, 100_000]) {
      const history = generateListAppend(size, keys)
      const times: number[] = []
      let heap = 0
      for (let round = 0; round < rounds; round++) {
        const before = process.memoryUsage().heapUsed
        const startedAt = performance.now()
        const result = checkHistory(history, { timeLimitMs: 120_000 })
        times.push(performance.now() - startedAt)
        heap = Math.max(heap, process.memoryUsage().heapUsed - before)
        if (result.anomalies.length > 0) throw new Error(`the generated history of ${size} transactions shows ${result.anomalyNames.join(', ')}: the generator or the checker is wrong`)
      }
      const ms = summarize(times)
      figures[`${size} txns, ${keys} keys`] = { ms, txnsPerSecond: Math.round(size / (ms.p50 / 1000)), microsecondsPerTxn: round3((ms.p50 * 1000) / size), heapGrowthMB: round3(heap / 1e6) }
    }
  }
  return { figures, target: '>= 100 000 transactions per second for 100 k-transaction histories with no anomaly, cost linear in size (µs per transaction equal at both sizes)' }
}
