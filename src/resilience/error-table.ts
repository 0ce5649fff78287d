import { knownErrors } from './error-codes.ts'

/**
 * The Markdown table of every classified error, as README.md shows it; with `madeLiveBy` (error
 * code or errno → what produces it on a real server) a column says how a test meets it for real.
 */
export function renderErrorTable(madeLiveBy?: ReadonlyMap<string | number, string>): string {
  const live = (e: (typeof knownErrors)[number]) => madeLiveBy?.get(e.errno ?? e.code) ?? madeLiveBy?.get(e.code) ?? ''
  const rows = knownErrors.map((e) => `| ${e.errno ?? '—'} | \`${e.code}\` | ${e.source} | ${e.kind} | ${e.recovery} | ${e.why.replace(/\|/g, '\\|')} |${madeLiveBy ? ` ${live(e)} |` : ''}`)
  const head = madeLiveBy ? ['| errno | code | from | kind | recovery | why | made live by |', '| --- | --- | --- | --- | --- | --- | --- |'] : ['| errno | code | from | kind | recovery | why |', '| --- | --- | --- | --- | --- | --- |']
  return [...head, ...rows].join('\n')
}
