import { ConstantBackoff, handleAll, retry, TaskCancelledError, timeout, TimeoutStrategy, wrap } from 'cockatiel'
import { WaitTimeoutError } from './errors.ts'

/** Options of {@link pollUntil}. */
export interface PollOptions {
  /** What is waited for, for the timeout message. */
  readonly what: string
  /** Give up after this many milliseconds. */
  readonly timeoutMs: number
  /** Pause between attempts, in milliseconds. Default 10. */
  readonly intervalMs?: number
  /** Stops the wait early (e.g. the server process exited); the abort reason is thrown. */
  readonly signal?: AbortSignal
}

/**
 * Calls `attempt` until it resolves, with a constant pause between attempts and an overall
 * deadline (cockatiel retry inside a timeout). On timeout throws {@link WaitTimeoutError} naming
 * what was waited for and the last error.
 */
export async function pollUntil<T>(attempt: (signal: AbortSignal) => Promise<T>, options: PollOptions): Promise<T> {
  const startedAt = performance.now()
  let attempts = 0
  let lastError: unknown
  const policy = wrap(
    timeout(options.timeoutMs, TimeoutStrategy.Aggressive),
    retry(handleAll, { maxAttempts: Number.MAX_SAFE_INTEGER, backoff: new ConstantBackoff(options.intervalMs ?? 10) }),
  )
  try {
    return await policy.execute(async ({ signal }) => {
      attempts++
      try {
        return await attempt(signal)
      } catch (error) {
        lastError = error
        if (options.signal?.aborted) throw options.signal.reason
        throw error
      }
    }, options.signal)
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason
    if (error instanceof TaskCancelledError) throw new WaitTimeoutError(options.what, performance.now() - startedAt, attempts, lastError)
    throw error
  }
}
