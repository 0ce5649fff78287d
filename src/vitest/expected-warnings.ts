/** A warning a test said it provokes, and whether it came. */
interface Expectation {
  readonly pattern: RegExp | string
  /** Whether the test fails when the warning never comes. */
  readonly required: boolean
  met: boolean
}

/**
 * The rig's warnings about one test (a rollback-mode commit, an armed fault that never fired, a
 * statement left running), and those the test declared it provokes on purpose: a declared one is
 * not printed, and one declared but never given fails the test.
 */
export class ExpectedWarnings {
  readonly #expected: Expectation[] = []

  /** Declares a warning the test provokes (text it contains, in any case, or a pattern); with `required: false`, one that may come (it depends on timing). */
  expect(pattern: RegExp | string, required = true): void {
    this.#expected.push({ pattern, required, met: false })
  }

  /** Whether `message` was declared (and so is not printed); marks the declaration met. */
  claim(message: string): boolean {
    const found = this.#expected.find(({ pattern }) => typeof pattern === 'string' ? message.toLowerCase().includes(pattern.toLowerCase()) : pattern.test(message))
    if (found) found.met = true
    return found !== undefined
  }

  /** The declarations no warning met. */
  unmet(): Array<RegExp | string> {
    return this.#expected.filter((expectation) => expectation.required && !expectation.met).map((expectation) => expectation.pattern)
  }
}

/** A test declared warnings that never came. */
export class ExpectedWarningMissingError extends Error {
  /** Stable error code. */
  readonly code = 'TEST_RIG_EXPECTED_WARNING_MISSING'

  constructor(patterns: ReadonlyArray<RegExp | string>) {
    super(`test-rig: the test expected ${patterns.length === 1 ? 'a warning' : `${patterns.length} warnings`} of the rig that never came: ${patterns.map(String).join(', ')}.\nFix: the behaviour the warning was about did not happen (see the test), or remove rig.expectWarning().`)
    this.name = 'ExpectedWarningMissingError'
  }
}
