import type { Secrets } from './secrets.ts'

/** One problem with one configuration field. */
export interface ConfigProblem {
  /** Dotted path of the field, e.g. `database.port`. */
  readonly field: string
  /** Where the value came from, e.g. `environment variable TIDB_HOST`. */
  readonly origin: string
  /** What was wrong and what form is expected. */
  readonly expected: string
  /** The offending value as printed (passwords are never printed). */
  readonly shown?: string
}

/** A configuration value that cannot be used; the message names each field, its source and the expected form. */
export class ConfigError extends Error {
  /** Stable error code. */
  readonly code = 'TEST_RIG_CONFIG'
  /** Every problem found, in field order. */
  readonly problems: readonly ConfigProblem[]

  constructor(problems: readonly ConfigProblem[]) {
    super(formatProblems(problems))
    this.name = 'ConfigError'
    this.problems = problems
  }

  /** The same error with every secret removed from the values and texts it echoes (field names and sources are the rig's own words). */
  redacted(secrets: Secrets): ConfigError {
    return new ConfigError(this.problems.map((problem) => ({
      ...problem,
      expected: secrets.redact(problem.expected),
      ...(problem.shown === undefined ? {} : { shown: secrets.redact(problem.shown) }),
    })))
  }
}

function formatProblems(problems: readonly ConfigProblem[]): string {
  const lines = problems.map((p) => {
    const value = p.shown === undefined ? '' : ` = ${p.shown}`
    return `  - ${p.field}${value} (from ${p.origin}): ${p.expected}`
  })
  const noun = problems.length === 1 ? 'value' : 'values'
  return `test-rig: invalid configuration ${noun}:\n${lines.join('\n')}\nFix the ${noun} where ${problems.length === 1 ? 'it comes' : 'they come'} from, or override with a higher-priority source (inline options > environment > .env > config file > defaults).`
}
