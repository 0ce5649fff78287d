import type { Toxic } from '../toxic.ts'

/** Options of {@link latency}. */
export interface LatencyOptions {
  /** Delay of each chunk, in ms. */
  ms: number
  /** Random extra or less delay, up to this many ms either way. */
  jitterMs: number
}

/** Delays every chunk by `ms` ± `jitterMs` (order is kept). */
export function latency(ms: number, jitterMs = 0): Toxic<LatencyOptions> {
  return {
    type: 'latency',
    options: { ms, jitterMs },
    async transform(chunk, next, stream) {
      const { ms: base, jitterMs: jitter } = this.options
      await stream.sleep(Math.max(0, base + (jitter > 0 ? (Math.random() * 2 - 1) * jitter : 0)))
      await next(chunk)
    },
  }
}
