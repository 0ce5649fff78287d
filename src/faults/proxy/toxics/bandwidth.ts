import type { Toxic } from '../toxic.ts'

/** Options of {@link bandwidth}. */
export interface BandwidthOptions {
  /** Rate limit in kilobytes per second. */
  kbPerSecond: number
}

/** Limits the rate to `kbPerSecond` KB/s. */
export function bandwidth(kbPerSecond: number): Toxic<BandwidthOptions> {
  return {
    type: 'bandwidth',
    options: { kbPerSecond },
    async transform(chunk, next, stream) {
      const bytesPerMs = (this.options.kbPerSecond * 1024) / 1000
      for (let offset = 0; offset < chunk.length; offset += 4096) {
        const piece = chunk.subarray(offset, offset + 4096)
        await stream.sleep(piece.length / bytesPerMs)
        await next(piece)
      }
    },
  }
}
