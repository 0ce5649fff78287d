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

/**
 * Compares two ways of doing the same work: runs them in alternating rounds (so drift of the
 * machine hits both alike) and returns the ratio of the candidate's median round to the baseline's.
 */
export async function compareRounds(rounds: number, baseline: () => Promise<unknown>, candidate: () => Promise<unknown>): Promise<{ baselineMs: Summary; candidateMs: Summary; ratio: number }> {
  const base: number[] = []
  const cand: number[] = []
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      base.push(await timed(baseline))
      cand.push(await timed(candidate))
    } else {
      cand.push(await timed(candidate))
      base.push(await timed(baseline))
    }
  }
  const baselineMs = summarize(base)
  const candidateMs = summarize(cand)
  return { baselineMs, candidateMs, ratio: Math.round((candidateMs.p50 / baselineMs.p50) * 1000) / 1000 }
}
