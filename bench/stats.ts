/** Summary of a list of durations in milliseconds. */
export interface Summary {
  readonly n: number
  readonly p50: number
  readonly p95: number
  readonly min: number
  readonly max: number
}

/** The value at quantile q (0..1) of already sorted numbers, nearest rank. */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN
}

/** Summarises durations. */
export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b)
  const round = (x: number) => Math.round(x * 1000) / 1000
  return { n: sorted.length, p50: round(quantile(sorted, 0.5)), p95: round(quantile(sorted, 0.95)), min: round(sorted[0] ?? NaN), max: round(sorted.at(-1) ?? NaN) }
}

/** Times one async call in milliseconds. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
  const startedAt = performance.now()
  await work()
  return performance.now() - startedAt
}

/** A candidate's timings and its ratio to the baseline. */
export interface Comparison {
  readonly baselineMs: Summary
  readonly candidateMs: Summary
  /** Median round of the candidate over median round of the baseline. */
  readonly ratio: number
  /** Median over rounds of the candidate's time over the baseline's in the same round (drift cancels). */
  readonly pairedRatio: number
}

/**
 * Times several ways of doing the same work in rounds, each round running every way once in an
 * order that rotates from round to round (so drift of the machine hits all alike), and compares
 * each candidate's median round with the baseline's.
 */
export async function compareMany<Name extends string>(rounds: number, baseline: () => Promise<unknown>, candidates: Readonly<Record<Name, () => Promise<unknown>>>): Promise<Record<Name, Comparison>> {
  const ways: Array<[string, () => Promise<unknown>]> = [['', baseline], ...Object.entries<() => Promise<unknown>>(candidates)]
  const times = ways.map((): number[] => [])
  for (let round = 0; round < rounds; round++) {
    for (let step = 0; step < ways.length; step++) {
      const index = (round + step) % ways.length
      times[index]?.push(await timed((ways[index] as [string, () => Promise<unknown>])[1]))
    }
  }
  const baselineMs = summarize(times[0] ?? [])
  const result: Partial<Record<Name, Comparison>> = {}
  ways.forEach(([name], index) => {
    if (index === 0) return
    const candidate = times[index] ?? []
    const candidateMs = summarize(candidate)
    const paired = summarize(candidate.map((ms, round) => ms / (times[0]?.[round] ?? Number.NaN)))
    result[name as Name] = { baselineMs, candidateMs, ratio: Math.round((candidateMs.p50 / baselineMs.p50) * 1000) / 1000, pairedRatio: Math.round(paired.p50 * 1000) / 1000 }
  })
  return result as Record<Name, Comparison>
}

/** Compares one way of doing some work with a baseline: {@link compareMany} with one candidate. */
export async function compareRounds(rounds: number, baseline: () => Promise<unknown>, candidate: () => Promise<unknown>): Promise<Comparison> {
  return (await compareMany(rounds, baseline, { candidate })).candidate
}

/**
 * Times starts of two kinds in alternating rounds: each `start` returns how to stop what it
 * started, and only the start is timed (the stop runs before the next round, outside the clock).
 */
export async function compareStarts(rounds: number, baseline: () => Promise<() => Promise<unknown>>, candidate: () => Promise<() => Promise<unknown>>): Promise<{ baselineMs: Summary; candidateMs: Summary; ratio: number }> {
  const base: number[] = []
  const cand: number[] = []
  for (let round = 0; round < rounds; round++) {
    for (const [start, into] of round % 2 === 0 ? [[baseline, base], [candidate, cand]] as const : [[candidate, cand], [baseline, base]] as const) {
      let stop: (() => Promise<unknown>) | undefined
      into.push(await timed(async () => { stop = await start() }))
      await stop?.()
    }
  }
  const baselineMs = summarize(base)
  const candidateMs = summarize(cand)
  return { baselineMs, candidateMs, ratio: Math.round((candidateMs.p50 / baselineMs.p50) * 1000) / 1000 }
}

/** A figure to three decimals. */
export const round3 = (x: number): number => Math.round(x * 1000) / 1000
