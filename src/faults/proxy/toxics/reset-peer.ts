import type { Toxic, ToxicStream } from '../toxic.ts'

/** Options of {@link resetPeer}. */
export interface ResetPeerOptions {
  /** Reset this many ms after the toxic starts applying (0: at once). Ignored when `afterBytes` is set. */
  afterMs: number
  /** Reset once this many bytes have passed. */
  afterBytes?: number
}

/** Resets the connection (TCP RST): at once, after `afterMs`, or after `afterBytes` bytes. */
export function resetPeer(options: Partial<ResetPeerOptions> = {}): Toxic<ResetPeerOptions> {
  const passed = new WeakMap<ToxicStream, number>()
  return {
    type: 'reset_peer',
    options: { afterMs: 0, ...options },
    attach(stream) {
      if (this.options.afterBytes !== undefined) return
      if (this.options.afterMs <= 0) stream.reset()
      else void stream.sleep(this.options.afterMs).then(() => stream.reset())
    },
    async transform(chunk, next, stream) {
      const limit = this.options.afterBytes
      if (limit === undefined) return next(chunk)
      const before = passed.get(stream) ?? 0
      const room = limit - before
      passed.set(stream, before + chunk.length)
      if (room > chunk.length) return next(chunk)
      if (room > 0) await next(chunk.subarray(0, room))
      stream.reset()
    },
  }
}
