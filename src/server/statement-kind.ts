/**
 * Statements that cannot change a database's objects (tables, columns, indexes, keys, views,
 * triggers, routines, events): reads, row changes, transaction control, session settings. Triggers
 * and stored functions they fire cannot run DDL either (MySQL, MariaDB and TiDB refuse it there).
 */
const rowsOnly = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'WITH', 'VALUES', 'TABLE', 'SET', 'BEGIN', 'START', 'COMMIT',
  'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN', 'DO', 'USE', 'HELP'])

/**
 * Whether a statement may change the objects of a database, judged from its text alone and on the
 * safe side: true unless it starts with a keyword of {@link rowsOnly}, is one statement (no `;`
 * before its end) and carries no executable comment (`/*! … *\/`, which the server runs). So
 * `CALL`, `PREPARE`/`EXECUTE`, `LOCK`, `TRUNCATE`, `LOAD DATA` and anything unknown count as
 * "may" as well.
 */
export function mayChangeSchema(sql: string): boolean {
  if (sql.includes('/*!') || sql.includes('/*M!')) return true
  const text = withoutLeadingComments(sql)
  const semicolon = text.indexOf(';')
  if (semicolon >= 0 && text.slice(semicolon + 1).trim() !== '') return true
  const keyword = /^[A-Za-z]+/.exec(text)?.[0]?.toUpperCase()
  return keyword === undefined || !rowsOnly.has(keyword)
}

/** The statement without the whitespace, `/* … *\/`, `-- …` and `# …` comments in front of it. */
function withoutLeadingComments(sql: string): string {
  let text = sql.trimStart()
  for (;;) {
    if (text.startsWith('/*')) {
      const end = text.indexOf('*/', 2)
      if (end < 0) return ''
      text = text.slice(end + 2).trimStart()
    } else if (text.startsWith('#') || /^--(\s|$)/.test(text)) {
      const end = text.indexOf('\n')
      if (end < 0) return ''
      text = text.slice(end + 1).trimStart()
    } else {
      return text
    }
  }
}
