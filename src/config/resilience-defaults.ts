/**
 * The database defaults of the `resilience` config section. The schema takes its defaults from
 * here (so they are written once), and the retry policies read them without loading zod: workers
 * that call `resilient()` need the defaults, not the validator.
 */
export const resilienceDefaults = {
  retryMaxAttempts: 5,
  retryInitialDelayMs: 50,
  retryMaxDelayMs: 2000,
  retryJitter: true,
  attemptTimeoutMs: 0,
  overallTimeoutMs: 0,
  breakerFailureThreshold: 5,
  breakerHalfOpenAfterMs: 10_000,
  breakerSuccessThreshold: 1,
} as const
