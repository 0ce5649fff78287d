import type { Toxic } from '../toxic.ts'

/** Options of {@link slicer}. */
export interface SlicerOptions {
  /** Average size of the pieces, in bytes. */
  averageSize: number
  /** Pieces vary in size by up to this many bytes either way. */
  sizeVariation: number
  /** Pause between pieces, in ms. */
  delayMs: number
}

/** Splits every chunk into small pieces sent with a pause between them (exercises partial packet reads). */
export function slicer(options: Partial<SlicerOptions> = {}): Toxic<SlicerOptions> {
  return {
    type: 'slicer',
    options: { averageSize: 8, sizeVariation: 4, delayMs: 0, ...options },
    async transform(chunk, next, stream) {
      const { averageSize, sizeVariation, delayMs } = this.options
      let offset = 0
      while (offset < chunk.length && !stream.closed) {
        const size = Math.max(1, Math.round(averageSize + (Math.random() * 2 - 1) * sizeVariation))
        await next(chunk.subarray(offset, offset + size))
        offset += size
        if (delayMs > 0 && offset < chunk.length) await stream.sleep(delayMs)
      }
    },
  }
}
