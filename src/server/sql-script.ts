/** One statement of an SQL script and the line it starts on. */
export interface ScriptStatement {
  /** The statement text, without its delimiter. */
  readonly sql: string
  /** 1-based line of the script where the statement starts. */
  readonly line: number
}

/**
 * Splits an SQL script into statements. Understands quoted strings and identifiers (with backslash
 * and doubled-quote escapes), `--`, `#` and block comments, and the `DELIMITER` command of the
 * mysql client, so stored routines load as they do there.
 */
export function splitSqlScript(script: string): ScriptStatement[] {
  const statements: ScriptStatement[] = []
  let delimiter = ';'
  let current = ''
  let startLine = 1
  let line = 1
  let i = 0
  const flush = () => {
    const sql = current.trim()
    if (sql !== '') statements.push({ sql, line: startLine })
    current = ''
  }
  while (i < script.length) {
    const atStatementStart = current.trim() === ''
    if (atStatementStart) {
      const directive = /^[ \t]*DELIMITER[ \t]+(\S+)[ \t]*(?:\r?\n|$)/imy
      directive.lastIndex = i
      const match = directive.exec(script)
      if (match?.[1]) {
        delimiter = match[1]
        i = directive.lastIndex
        line++
        current = ''
        continue
      }
      if (/\s/.test(script[i] ?? '')) {
        if (script[i] === '\n') line++
        i++
        continue
      }
      startLine = line
    }
    const ch = script[i] as string
    const next = script[i + 1]
    if (ch === "'" || ch === '"' || ch === '`') {
      const end = endOfQuoted(script, i)
      const quoted = script.slice(i, end)
      line += countNewlines(quoted)
      current += quoted
      i = end
      continue
    }
    if ((ch === '-' && next === '-' && /[\s]/.test(script[i + 2] ?? '\n')) || ch === '#') {
      const end = script.indexOf('\n', i)
      i = end === -1 ? script.length : end
      continue
    }
    if (ch === '/' && next === '*') {
      const end = script.indexOf('*/', i + 2)
      const stop = end === -1 ? script.length : end + 2
      const comment = script.slice(i, stop)
      line += countNewlines(comment)
      // Executable comments (/*! ... */, /*+ hints */) are part of the statement.
      if (script[i + 2] === '!' || script[i + 2] === '+') current += comment
      else current += ' '
      i = stop
      continue
    }
    if (script.startsWith(delimiter, i)) {
      flush()
      i += delimiter.length
      continue
    }
    if (ch === '\n') line++
    current += ch
    i++
  }
  flush()
  return statements
}

function endOfQuoted(script: string, start: number): number {
  const quote = script[start]
  let i = start + 1
  while (i < script.length) {
    const ch = script[i]
    if (ch === '\\' && quote !== '`') {
      i += 2
      continue
    }
    if (ch === quote) {
      if (script[i + 1] === quote) {
        i += 2
        continue
      }
      return i + 1
    }
    i++
  }
  return script.length
}

function countNewlines(text: string): number {
  let count = 0
  for (const ch of text) if (ch === '\n') count++
  return count
}
