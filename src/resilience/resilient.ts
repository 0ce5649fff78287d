import { BrokenCircuitError, TaskCancelledError, wrap, type CircuitBreakerPolicy, type IPolicy, type RetryPolicy } from 'cockatiel'
import type { ResilienceConfig } from '../config/schema.ts'
import { classifyError } from './classify.ts'
import { ErrorContextBuilder } from './error-context.ts'
import { breakerPolicy, retryPolicy, timeoutPolicy, type RetryDecision } from './policies.ts'

/** Options of {@link resilient}: any `resilience` config field, plus hooks. */
export interface ResilientOptions extends Partial<ResilienceConfig> {
  /** A breaker to share between several wrappers (one per dependency); default: a new one from the options. */
  readonly breaker?: CircuitBreakerPolicy
  /** Use no circuit breaker. */
  readonly noBreaker?: boolean
  /** Which errors to retry; default: transient ones. */
  readonly shouldRetry?: RetryDecision
  /** Context added to every error (server, database, metadata). */
  readonly context?: (builder: ErrorContextBuilder) => ErrorContextBuilder
}

/** What a resilient operation receives. */
export interface AttemptContext {
  /** 1-based attempt number. */
  readonly attempt: number
  /** Aborted when the attempt or the whole operation times out. */
  readonly signal: AbortSignal
}

/**
 * Retries, timeouts and a circuit breaker around async operations, built from cockatiel policies:
 * overall timeout → retry (transient errors, exponential backoff with jitter) → breaker → attempt
 * timeout. Failures come out as {@link ContextualError}s that say the operation, attempt, elapsed
 * time and classification. Events: `onRetry`, `onGiveUp`, `onBreak`, `onHalfOpen`, `onReset`.
 */
export class Resilient {
  /** The retry policy (cockatiel). */
  readonly retry: RetryPolicy
  /** The circuit breaker (cockatiel), if any. */
  readonly breaker: CircuitBreakerPolicy | undefined
  /** Fires before each retry with the error and the delay. */
  readonly onRetry: RetryPolicy['onRetry']
  /** Fires when retries are given up. */
  readonly onGiveUp: RetryPolicy['onGiveUp']
  readonly #policy: IPolicy
  readonly #context: ResilientOptions['context']

  constructor(options: ResilientOptions = {}) {
    this.retry = retryPolicy(options, options.shouldRetry)
    this.breaker = options.noBreaker ? undefined : (options.breaker ?? breakerPolicy(options))
    this.onRetry = this.retry.onRetry
    this.onGiveUp = this.retry.onGiveUp
    const layers: IPolicy[] = []
    if (options.overallTimeoutMs) layers.push(timeoutPolicy(options.overallTimeoutMs))
    layers.push(this.retry)
    if (this.breaker) layers.push(this.breaker)
    if (options.attemptTimeoutMs) layers.push(timeoutPolicy(options.attemptTimeoutMs))
    this.#policy = wrap(...layers)
    this.#context = options.context
  }

  /** Fires when the breaker opens. */
  get onBreak(): CircuitBreakerPolicy['onBreak'] {
    return this.#requireBreaker().onBreak
  }

  /** Fires when the breaker lets trial calls through. */
  get onHalfOpen(): CircuitBreakerPolicy['onHalfOpen'] {
    return this.#requireBreaker().onHalfOpen
  }

  /** Fires when the breaker closes again. */
  get onReset(): CircuitBreakerPolicy['onReset'] {
    return this.#requireBreaker().onReset
  }

  /** Runs an operation under the policies; `operation` names it in errors. */
  async execute<T>(operation: string, work: (attempt: AttemptContext) => Promise<T>): Promise<T> {
    const startedAt = performance.now()
    let attempt = 0
    try {
      return await this.#policy.execute(async ({ signal }) => {
        try {
          return await work({ attempt: ++attempt, signal })
        } catch (error) {
          // The work saw the timeout's abort first and failed its own way: it is still a timeout.
          if (signal.aborted && !(error instanceof TaskCancelledError)) throw new TaskCancelledError(`attempt ${attempt} timed out`)
          throw error
        }
      })
    } catch (error) {
      const builder = ErrorContextBuilder.for(operation).attempt(Math.max(attempt, 1)).elapsed(performance.now() - startedAt)
      if (error instanceof BrokenCircuitError) builder.with('breaker', 'open: failing fast without calling')
      throw (this.#context ? this.#context(builder) : builder).wrap(error)
    }
  }

  #requireBreaker(): CircuitBreakerPolicy {
    if (!this.breaker) throw new TypeError('this resilient wrapper was made with noBreaker: it has no breaker events')
    return this.breaker
  }
}

/** Creates a {@link Resilient} wrapper; defaults come from the `resilience` config section. */
export function resilient(options: ResilientOptions = {}): Resilient {
  return new Resilient(options)
}

/** True when an error is worth a new connection before the next attempt. */
export function needsReconnect(error: unknown): boolean {
  return classifyError(error).recovery === 'reconnect'
}
