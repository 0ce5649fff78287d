/** Where a config file stops parsing: line and column (1-based) and the field there, when one can be named. */
export interface SyntaxErrorPlace {
  readonly line: number
  readonly column: number
  /** The dotted field at that place as the file writes it (`database.port`), if any. */
  readonly field: string | undefined
  /** What is wrong there, in words; never an excerpt of the file (it may hold a password). */
  readonly problem: string
}

/** The place and kind of a TOML parser error (smol-toml's `TomlError` has the line and column). */
export function tomlSyntaxError(text: string, error: unknown): SyntaxErrorPlace {
  const { line = 1, column = 1, message = '' } = error as { line?: number; column?: number; message?: string }
  const problem = message.split('\n')[0]?.replace(/^Invalid TOML document:\s*/, '') || 'the file does not parse'
  return { line, column, field: tomlFieldAt(text, line), problem }
}

/** The field a TOML line sets, under the table header above it (`[database]` + `port = …` → `database.port`). */
function tomlFieldAt(text: string, line: number): string | undefined {
  const lines = text.split(/\r?\n/)
  let table: string | undefined
  for (const row of lines.slice(0, line - 1)) {
    const header = /^\s*\[\s*([A-Za-z0-9_.\-"' ]+?)\s*\]\s*(#.*)?$/.exec(row)
    if (header?.[1]) table = header[1].replace(/["'\s]/g, '')
  }
  const key = /^\s*([A-Za-z0-9_.\-"]+)\s*=/.exec(lines[line - 1] ?? '')?.[1]?.replace(/"/g, '')
  if (key === undefined) return table
  return table === undefined ? key : `${table}.${key}`
}

const jsonProblems: Readonly<Record<string, string>> = {
  InvalidSymbol: 'a character JSON does not allow here (strings take double quotes; comments are not allowed)',
  InvalidNumberFormat: 'a malformed number',
  PropertyNameExpected: 'a field name in double quotes was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a colon was expected after the field name',
  CommaExpected: 'a comma was expected between two fields',
  CloseBraceExpected: 'a closing } was expected',
  CloseBracketExpected: 'a closing ] was expected',
  EndOfFileExpected: 'nothing may follow the closing }',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'a comment is not closed',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfNumber: 'a number is cut off',
  InvalidUnicode: 'a malformed \\u escape',
  InvalidEscapeCharacter: 'an escape JSON does not know',
  InvalidCharacter: 'a character JSON does not allow in a string',
}

/**
 * The place and kind of the first error in a JSON file that `JSON.parse` refused. Node's own
 * message quotes the text around the error, which may hold the password: it is not used.
 */
export async function jsonSyntaxError(text: string): Promise<SyntaxErrorPlace> {
  // The locating parser loads only for a file that does not parse.
  const { parse, getLocation, printParseErrorCode } = await import('jsonc-parser')
  const errors: Parameters<typeof parse>[1] & object = []
  parse(text, errors, { allowTrailingComma: false, disallowComments: true })
  const first = errors[0]
  if (!first) return { line: 1, column: 1, field: undefined, problem: 'the file does not parse' }
  const before = text.slice(0, first.offset).split(/\r?\n/)
  const path = getLocation(text, first.offset).path.filter((part) => part !== '')
  const code = printParseErrorCode(first.error)
  return {
    line: before.length,
    column: (before.at(-1)?.length ?? 0) + 1,
    field: path.length > 0 ? path.join('.') : undefined,
    problem: jsonProblems[code] ?? code,
  }
}
