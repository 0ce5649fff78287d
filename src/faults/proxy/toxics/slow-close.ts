import type { Toxic } from '../toxic.ts'

/** Options of {@link slowClose}. */
export interface SlowCloseOptions {
  /** Delay of the close, in ms. */
  delayMs: number
}

/** Delays passing on the end of the connection (FIN) by `delayMs`. */
export function slowClose(delayMs: number): Toxic<SlowCloseOptions> {
  return {
    type: 'slow_close',
    options: { delayMs },
    async beforeEnd(stream) {
      await stream.sleep(this.options.delayMs)
    },
  }
}
