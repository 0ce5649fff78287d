import type { IsolationLevel } from './levels.ts'
import { matrixOutcomes, type IsolationMatrix } from './matrix.ts'

const short: Readonly<Record<string, string>> = {
  anomaly: 'ANOMALY',
  'prevented:blocked': 'blocked',
  'prevented:aborted': 'aborted',
  'prevented:consistent': 'consistent',
  unsupported: 'unsupported',
  error: 'ERROR',
}

const levelHeadings: Readonly<Record<IsolationLevel, string>> = { 'READ UNCOMMITTED': 'RU', 'READ COMMITTED': 'RC', 'REPEATABLE READ': 'RR', SERIALIZABLE: 'S' }
const levelHeading = (level: IsolationLevel) => levelHeadings[level]

/** The matrix as a console table: anomalies down, levels across; prevented cells say how. */
export function renderMatrixTable(matrix: IsolationMatrix): string {
  const headings = ['anomaly', ...matrix.levels.map(levelHeading)]
  const rows = matrix.anomalies.map((id) => [id, ...matrix.levels.map((level) => short[matrix.cells[id]?.[level]?.outcome ?? ''] ?? '?')])
  const widths = headings.map((heading, column) => Math.max(heading.length, ...rows.map((row) => (row[column] ?? '').length)))
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')
  return [`${matrix.engine} ${matrix.version}: isolation anomalies (${Math.round(matrix.durationMs)} ms)`, line(headings), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')
}

/** The matrix as Markdown. */
export function renderMatrixMarkdown(matrix: IsolationMatrix): string {
  const header = `| anomaly | ${matrix.levels.join(' | ')} |`
  const rule = `| --- | ${matrix.levels.map(() => '---').join(' | ')} |`
  const rows = matrix.anomalies.map((id) => `| ${id} | ${matrix.levels.map((level) => short[matrix.cells[id]?.[level]?.outcome ?? ''] ?? '?').join(' | ')} |`)
  return [`**${matrix.engine} ${matrix.version}**`, '', header, rule, ...rows].join('\n')
}

/** The matrix as JSON: outcomes, and every cell's evidence. */
export function renderMatrixJson(matrix: IsolationMatrix): string {
  return JSON.stringify({ engine: matrix.engine, version: matrix.version, levels: matrix.levels, matrix: matrixOutcomes(matrix), cells: matrix.cells, durationMs: Math.round(matrix.durationMs) }, null, 2)
}
