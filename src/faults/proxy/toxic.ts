/** Which way data flows: `upstream` is client → server, `downstream` is server → client. */
export type Direction = 'upstream' | 'downstream'

/** One direction of one proxied connection, as a toxic sees it. */
export interface ToxicStream {
  /** The direction of this stream. */
  readonly direction: Direction
  /** True once the connection is closed or reset. */
  readonly closed: boolean
  /** Waits, ending early when the connection closes. */
  sleep(ms: number): Promise<void>
  /** Resets the connection (TCP RST both ways): the client sees ECONNRESET. */
  reset(): void
  /** Closes the connection (FIN both ways) after what was passed on. */
  close(): void
}

/**
 * A network fault: a stage that chunks pass through on their way (the Toxiproxy idea). A toxic
 * calls `next` zero or more times per chunk — later, split, or not at all. Its options are a plain
 * mutable object, so a toxic can be changed while connections use it.
 */
export interface Toxic<Options extends object = object> {
  /** Kind of toxic, e.g. `latency`. */
  readonly type: string
  /** Current options; change them through the handle's `update`. */
  options: Options
  /** Called once for each stream it starts to apply to (a new connection, or the toxic was just added). */
  attach?(stream: ToxicStream): void
  /** Passes a chunk on. */
  transform?(chunk: Buffer, next: (chunk: Buffer) => Promise<void>, stream: ToxicStream): Promise<void>
  /** Called when the sending side ends, before the end is passed on. */
  beforeEnd?(stream: ToxicStream): Promise<void>
}
