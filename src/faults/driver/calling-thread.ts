// The one piece of module state of the statement log's hand-off, forced by the runtime: mysql2's
// tracing channels publish a statement's start synchronously, inside the call that sends it, but
// without the connection. An instrumented connection leaves its server thread here for the length
// of the call, so the log can name it.
let threadId: number | undefined

/** Runs `call` with `id` as the thread of the connection calling (for the length of the synchronous call). */
export function withCallingThread<T>(id: number | null | undefined, call: () => T): T {
  const before = threadId
  threadId = id ?? undefined
  try {
    return call()
  } finally {
    threadId = before
  }
}

/** The server thread of the instrumented connection whose call is running now, if any. */
export function callingThread(): number | undefined {
  return threadId
}
