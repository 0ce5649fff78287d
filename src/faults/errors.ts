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

/** `faults.server` could not be used: the reason (not TiDB, no failpoint build, a test without the tag) and the fix. */
export class ServerFaultsUnavailableError extends Error {
  /** Stable error code. */
  readonly code = 'TEST_RIG_SERVER_FAULTS_UNAVAILABLE'

  constructor(message: string) {
    super(`test-rig: ${message}`)
    this.name = 'ServerFaultsUnavailableError'
  }
}

/** TiDB's failpoint endpoint refused a failpoint or a term (a typo, or a term its parser rejects). */
export class FailpointRefusedError extends Error {
  /** Stable error code. */
  readonly code = 'TEST_RIG_FAILPOINT_REFUSED'

  constructor(name: string, term: string, status: number, answer: string) {
    super(`test-rig: TiDB refused failpoint ${name}=${term} (HTTP ${status}: ${answer.trim() || 'no reason given'}).\nFix: check the term's syntax (return(true), 3*return("x"), sleep(100), 10%return(1), chained with ->) at https://github.com/pingcap/failpoint#failpoint-terms.`)
    this.name = 'FailpointRefusedError'
  }
}
