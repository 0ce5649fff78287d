import type { FiredFault } from '../faults/fault-controller.ts'
import type { ServerInfo } from '../server/types.ts'
import type { LoggedStatement } from './statement-log.ts'

/** What a failed test's report is made of. */
export interface FailureEvidence {
  /** The test's statements, oldest first (the log's ring). */
  readonly statements: readonly LoggedStatement[]
  /** How many statements the test sent in all. */
  readonly total: number
  /** The driver faults that fired, in order. */
  readonly fired: readonly FiredFault[]
  /** The network toxics that applied to a connection, described. */
  readonly toxics: readonly string[]
  /** The server faults armed in the test (`faults.server`), one line each. */
  readonly serverFaults?: readonly string[]
  /** The test's database. */
  readonly databaseName: string
  /** The run's server. */
  readonly server: Pick<ServerInfo, 'engine' | 'versionText' | 'version' | 'host' | 'port'>
  /** The message of the test's first error, to mark the statement that failed with it. */
  readonly errorMessage: string | undefined
}

/** The statement the test's error came from: the one whose error it repeats, else the last that failed. */
export function failingStatement(statements: readonly LoggedStatement[], errorMessage: string | undefined): LoggedStatement | undefined {
  const failed = statements.filter((statement) => statement.error)
  const repeated = errorMessage === undefined ? undefined : failed.findLast((statement) => errorMessage.includes(statement.error?.message ?? '\u0000'))
  return repeated ?? failed.at(-1)
}

/**
 * The report shown under a failed test: its last `limit` statements with the failing one marked,
 * the driver faults that fired between them, the toxics that applied, the database and the server.
 */
export function formatFailureReport(evidence: FailureEvidence, limit: number): string {
  const shown = evidence.statements.slice(-limit)
  const failing = failingStatement(evidence.statements, evidence.errorMessage)
  const count = evidence.total === 0 ? 'no statement' : shown.length < evidence.total ? `the last ${shown.length} of ${evidence.total} statements` : `${evidence.total} statement${evidence.total === 1 ? '' : 's'}`
  const lines = [`database ${evidence.databaseName} on ${evidence.server.engine} ${evidence.server.version} at ${evidence.server.host}:${evidence.server.port}: ${count}${evidence.fired.length > 0 ? `, ${evidence.fired.length} fault${evidence.fired.length === 1 ? '' : 's'} fired` : ''}`]
  const since = shown[0]?.atMs ?? 0
  // A statement a fault failed is logged with the fault's error: it is marked, not listed twice.
  const injected = new Map<LoggedStatement, FiredFault>()
  const apart: FiredFault[] = []
  for (const fault of evidence.fired) {
    const statement = shown.find((candidate) => !injected.has(candidate) && candidate.sql === fault.sql && candidate.error?.message === fault.error.message)
    if (statement) injected.set(statement, fault)
    else if (fault.atMs >= since - 1) apart.push(fault)
  }
  const timeline = [
    ...shown.map((statement) => ({ atMs: statement.atMs, line: statementLine(statement, statement === failing, injected.get(statement)) })),
    ...apart.map((fault) => ({ atMs: fault.atMs, line: `  fault ${fault.atMs.toFixed(1).padStart(8)} ms  ${fault.point}${fault.sql ? ` ${oneLine(fault.sql, 80)}` : ''} → ${fault.error.message} (injected: ${fault.description})` })),
  ].sort((a, b) => a.atMs - b.atMs)
  lines.push(...timeline.map((entry) => entry.line))
  if (evidence.toxics.length > 0) lines.push(`network toxics that applied: ${evidence.toxics.join('; ')}`)
  for (const line of evidence.serverFaults ?? []) lines.push(line)
  return lines.join('\n')
}

function statementLine(statement: LoggedStatement, failing: boolean, fault: FiredFault | undefined): string {
  const outcome = statement.error
    ? `✗ ${[statement.error.code, statement.error.errno].filter((part) => part !== undefined).join(' ')}${statement.error.code || statement.error.errno ? ': ' : ''}${statement.error.message}`
    : statement.durationMs === undefined ? '… still running'
    : statement.rows !== undefined ? `${statement.rows} row${statement.rows === 1 ? '' : 's'}`
    : statement.affected ? `${statement.affected} row${statement.affected === 1 ? '' : 's'} affected` : 'ok'
  const params = Array.isArray(statement.params) && statement.params.length > 0 && statement.method === 'execute' ? ` ${oneLine(JSON.stringify(statement.params), 60)}` : ''
  const took = statement.durationMs === undefined || statement.durationMs < 0 ? '' : ` (${statement.durationMs.toFixed(1)} ms)`
  const thread = statement.threadId === undefined ? '' : ` [thread ${statement.threadId}]`
  return `${failing ? '→' : ' '} ${String(statement.index).padStart(5)} ${statement.atMs.toFixed(1).padStart(8)} ms${thread}  ${oneLine(statement.sql, 160)}${params} → ${outcome}${fault ? ` (injected: ${fault.description})` : took}`
}

function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > max ? `${line.slice(0, max)}…` : line
}
