/** A wait with a deadline ran out; the message says what was waited for and the last failure seen. */
export class WaitTimeoutError extends Error {
  /** Stable error code. */
  readonly code = 'TEST_RIG_WAIT_TIMEOUT'
  /** What was waited for, e.g. `mariadbd on 127.0.0.1:40123 to answer SELECT 1`. */
  readonly waitedFor: string
  /** How long the wait lasted, in milliseconds. */
  readonly elapsedMs: number
  /** Attempts made. */
  readonly attempts: number

  constructor(waitedFor: string, elapsedMs: number, attempts: number, lastError: unknown) {
    const last = lastError instanceof Error ? `; last error: ${lastError.message}` : ''
    super(`timed out after ${(elapsedMs / 1000).toFixed(1)} s (${attempts} attempts) waiting for ${waitedFor}${last}`, { cause: lastError })
    this.name = 'WaitTimeoutError'
    this.waitedFor = waitedFor
    this.elapsedMs = elapsedMs
    this.attempts = attempts
  }
}
