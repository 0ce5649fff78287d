import type { Toxic, ToxicStream } from '../toxic.ts'

/** Options of {@link limitData}. */
export interface LimitDataOptions {
  /** Bytes passed before the connection is closed. */
  bytes: number
}

/** Closes the connection (FIN) once `bytes` bytes have passed. */
export function limitData(bytes: number): Toxic<LimitDataOptions> {
  const passed = new WeakMap<ToxicStream, number>()
  return {
    type: 'limit_data',
    options: { bytes },
    async transform(chunk, next, stream) {
      const before = passed.get(stream) ?? 0
      const room = this.options.bytes - before
      passed.set(stream, before + chunk.length)
      if (room > chunk.length) return next(chunk)
      if (room > 0) await next(chunk.subarray(0, room))
      stream.close()
    },
  }
}
