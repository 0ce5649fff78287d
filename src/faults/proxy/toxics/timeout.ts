import type { Toxic } from '../toxic.ts'

/** Options of {@link timeout}. */
export interface TimeoutOptions {
  /** Close the connection this many ms after the toxic starts applying; 0 keeps it open forever. */
  closeAfterMs: number
}

/**
 * A black hole: data goes in and nothing comes out; the connection stays open (the client waits
 * for its own timeout) or is closed after `closeAfterMs`.
 */
export function timeout(closeAfterMs = 0): Toxic<TimeoutOptions> {
  return {
    type: 'timeout',
    options: { closeAfterMs },
    attach(stream) {
      if (this.options.closeAfterMs > 0) void stream.sleep(this.options.closeAfterMs).then(() => stream.close())
    },
    async transform() {
      // swallowed
    },
  }
}
