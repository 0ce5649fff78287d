import { knownErrors } from './error-codes.ts'

/** The Markdown table of every classified error, as README.md shows it. */
export function renderErrorTable(): string {
  const rows = knownErrors.map((e) => `| ${e.errno ?? '—'} | \`${e.code}\` | ${e.source} | ${e.kind} | ${e.recovery} | ${e.why.replace(/\|/g, '\\|')} |`)
  return ['| errno | code | from | kind | recovery | why |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n')
}
