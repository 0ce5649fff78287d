/**
 * test-rig/resilience: retries, backoff, a circuit breaker and timeouts for the code under test,
 * built on cockatiel, with the rig's MySQL and TiDB error classification deciding what is worth
 * another try. An entry point of its own, so that cockatiel loads only in the test files that use
 * a policy (`classifyError` and `isTransient` stay in `test-rig`).
 */
export { resilient, Resilient, needsReconnect, type ResilientOptions, type AttemptContext } from './resilience/resilient.ts'
export { ResilientConnection } from './resilience/resilient-connection.ts'
export { retryPolicy, breakerPolicy, timeoutPolicy, type RetryDecision } from './resilience/policies.ts'
export { pollUntil, type PollOptions } from './resilience/poll.ts'
export { WaitTimeoutError } from './resilience/errors.ts'
export { resilienceDefaults } from './config/resilience-defaults.ts'
export type { ResilienceConfig } from './config/schema.ts'
export { BrokenCircuitError, TaskCancelledError, CircuitState } from 'cockatiel'
