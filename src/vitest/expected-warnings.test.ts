import { describe, expect, test } from 'vitest'
import { ExpectedWarningMissingError, ExpectedWarnings } from './expected-warnings.ts'

describe('ExpectedWarnings', () => {
  test('a declared warning is claimed (not printed), by text in any case or by pattern; others are not', () => {
    const warnings = new ExpectedWarnings()
    warnings.expect('COMMITTED before')
    warnings.expect(/never fired: commit/)
    expect(warnings.claim('after "x": the transaction was committed before the test ended')).toBe(true)
    expect(warnings.claim('in "x", armed fault(s) never fired: commit (once)')).toBe(true)
    expect(warnings.claim('something else entirely')).toBe(false)
    expect(warnings.unmet()).toEqual([])
  })

  test('a declaration no warning met is reported, and fails the test with what was expected', () => {
    const warnings = new ExpectedWarnings()
    warnings.expect('never comes')
    expect(warnings.unmet()).toEqual(['never comes'])
    warnings.expect('may come', false)
    expect(warnings.unmet()).toEqual(['never comes'])
    expect(new ExpectedWarningMissingError(warnings.unmet()).message).toMatch(/expected a warning of the rig that never came: never comes\.\nFix: /)
  })
})
