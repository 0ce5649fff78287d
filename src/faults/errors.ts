/** The error a fault raises when it is armed without an error of its own. */
export class InjectedFaultError extends Error {
  /** Stable error code. */
  readonly code = 'TEST_RIG_INJECTED_FAULT'
  /** Where it was raised: `connect` or the method name. */
  readonly point: string

  constructor(point: string, message?: string) {
    super(message ?? `injected fault on ${point}`)
    this.name = 'InjectedFaultError'
    this.point = point
  }
}

/** Armed faults that never fired by the end of the test (with `faults.unfired = 'fail'`). */
export class UnfiredFaultsError extends Error {
  /** Stable error code. */
  readonly code = 'TEST_RIG_UNFIRED_FAULTS'

  constructor(descriptions: readonly string[]) {
    super(`test-rig: ${descriptions.length} armed fault(s) never fired, so the test did not exercise them:\n${descriptions.map((d) => `  - ${d}`).join('\n')}\nFix: make the code under test reach them, or remove them.`)
    this.name = 'UnfiredFaultsError'
  }
}
