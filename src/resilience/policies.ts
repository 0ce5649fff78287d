import {
  circuitBreaker,
  ConsecutiveBreaker,
  decorrelatedJitterGenerator,
  ExponentialBackoff,
  handleWhen,
  noJitterGenerator,
  retry,
  timeout,
  TimeoutStrategy,
  type CircuitBreakerPolicy,
  type RetryPolicy,
  type TimeoutPolicy,
} from 'cockatiel'
import { resilienceDefaults } from '../config/resilience-defaults.ts'
import type { ResilienceConfig } from '../config/schema.ts'
import { classifyError, type Classification } from './classify.ts'

/** Decides whether an error is worth another attempt; default: the error is transient. */
export type RetryDecision = (error: unknown, classification: Classification) => boolean

const retryTransient: RetryDecision = (_error, classification) => classification.kind === 'transient'

/** A cockatiel retry policy: exponential backoff (with decorrelated jitter unless off), transient errors only. */
export function retryPolicy(options: Partial<ResilienceConfig> = {}, shouldRetry: RetryDecision = retryTransient): RetryPolicy {
  const o = { ...resilienceDefaults, ...options }
  const delays = { initialDelay: o.retryInitialDelayMs, maxDelay: o.retryMaxDelayMs }
  return retry(handleWhen((error: unknown) => shouldRetry(error, classifyError(error))), {
    maxAttempts: o.retryMaxAttempts - 1,
    backoff: o.retryJitter
      ? new ExponentialBackoff({ ...delays, generator: decorrelatedJitterGenerator })
      : new ExponentialBackoff({ ...delays, generator: noJitterGenerator }),
  })
}

/**
 * A cockatiel circuit breaker: opens after `breakerFailureThreshold` consecutive failures, lets
 * trial calls through after `breakerHalfOpenAfterMs`, and closes after `breakerSuccessThreshold`
 * successful trials (cockatiel's half-open sampling with no failure allowed); one failed trial
 * opens it again. Permanent errors count as failures too: a breaker guards a dependency, and a
 * dependency that answers every call with an error is down for the caller.
 */
export function breakerPolicy(options: Partial<ResilienceConfig> = {}): CircuitBreakerPolicy {
  const o = { ...resilienceDefaults, ...options }
  return circuitBreaker(handleWhen(() => true), {
    breaker: new ConsecutiveBreaker(o.breakerFailureThreshold),
    halfOpenAfter: o.breakerHalfOpenAfterMs,
    halfOpenSampling: { calls: o.breakerSuccessThreshold, threshold: 0 },
  })
}

/** A cockatiel timeout policy that abandons the call at the deadline (the call's signal is aborted). */
export function timeoutPolicy(ms: number): TimeoutPolicy {
  return timeout(ms, TimeoutStrategy.Aggressive)
}
