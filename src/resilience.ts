/**
 * test-rig/resilience: retries, backoff, a circuit breaker and timeouts for the code under test,
 * built on cockatiel, with the rig's MySQL and TiDB error classification deciding what is worth
 * another try, and the error-code table. An entry point of its own, so that cockatiel loads only in
 * the test files that use a policy.
 */
export { resilient, Resilient, needsReconnect, type ResilientOptions, type AttemptContext } from './resilience/resilient.ts'
export { ResilientConnection } from './resilience/resilient-connection.ts'
export { retryPolicy, breakerPolicy, timeoutPolicy, type RetryDecision } from './resilience/policies.ts'
export { pollUntil, type PollOptions } from './resilience/poll.ts'
export { WaitTimeoutError } from './resilience/errors.ts'
export { resilienceDefaults } from './config/resilience-defaults.ts'
export type { ResilienceConfig } from './config/schema.ts'
export { BrokenCircuitError, TaskCancelledError, CircuitState } from 'cockatiel'
export { classifyError, isTransient, type Classification } from './resilience/classify.ts'
export { knownErrors, lookupError, type KnownError, type ErrorKind, type Recovery } from './resilience/error-codes.ts'
export { ContextualError, ErrorContextBuilder, type ErrorContext } from './resilience/error-context.ts'
