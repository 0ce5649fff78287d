import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import type { RunnerTestCase, TestContext } from 'vitest'
import type { Secrets } from '../config/secrets.ts'
import type { FaultController } from '../faults/fault-controller.ts'
import { dumpDatabase } from '../server/database-dump.ts'
import { keepFailedDatabase } from '../server/failed-databases.ts'
import { formatFailureReport } from './failure-report.ts'
import type { Rig } from './rig.ts'
import type { RunContext } from './run-context.ts'
import type { StatementLog } from './statement-log.ts'

/**
 * Puts what the database saw under a failed test's error (the default reporter prints a test's
 * annotations there, the UI, HTML and JSON reports carry them), with the whole log attached as
 * JSON. Vitest's `annotate` refuses a test that has failed already, so the test is shown as still
 * running for the moment the annotation is recorded.
 */
export async function reportFailure(task: RunnerTestCase, annotate: TestContext['annotate'], rig: Rig, log: StatementLog, faults: FaultController, limit: number, secrets: Secrets): Promise<void> {
  const result = task.result
  if (!result) return
  const evidence = {
    statements: log.statements(),
    total: log.total,
    fired: faults.fired,
    toxics: rig.appliedToxics,
    serverFaults: rig.serverFaults,
    databaseName: rig.databaseName,
    server: rig.server,
    errorMessage: result.errors?.[0]?.message,
  }
  const report = secrets.redact(formatFailureReport(evidence, limit))
  const body = secrets.redact(JSON.stringify({ databaseName: rig.databaseName, server: `${rig.server.engine} ${rig.server.version}`, total: log.total, statements: log.statements(), faults: faults.fired.map((fault) => ({ ...fault, error: fault.error.message })), toxics: rig.appliedToxics, serverFaults: rig.serverFaults }, null, 2))
  await annotateFailed(task, () => annotate(report, 'test-rig: what the database saw', { contentType: 'application/json', body, bodyEncoding: 'utf-8' }))
}

/**
 * Attaches a dump of a failed test's database to its result (see `dumpDatabase`), with the command
 * that replays it, and no password.
 */
export async function attachDump(task: RunnerTestCase, annotate: TestContext['annotate'], run: RunContext, databaseName: string, maxBytes: number, secrets: Secrets): Promise<void> {
  const { endpoint, server } = run
  const dump = await dumpDatabase(endpoint, databaseName, maxBytes, `test-rig dump of ${databaseName} (${server.engine} ${server.version}) after "${task.name}" failed`)
  const summary = `${dump.tables} table${dump.tables === 1 ? '' : 's'}, ${dump.rows} row${dump.rows === 1 ? '' : 's'}${dump.truncated ? `, cut at ${maxBytes} bytes` : ''}`
  // Beside Vitest's own attachments (in its default folder), named after the database; the
  // annotation links it (attached, Vitest would copy it under a name made of the whole message).
  const file = join(run.projectRoot, '.vitest', 'attachments', 'test-rig', `${databaseName}.sql`)
  await mkdir(dirname(file), { recursive: true })
  await writeFile(file, secrets.redact(dump.sql))
  const shown = relative(run.projectRoot, file)
  await annotateFailed(task, () => annotate(`${summary}, written to ${shown}; replay it into an empty database: mysql -h ${endpoint.host} -P ${endpoint.port} -u ${endpoint.user} <database> < ${shown}`, 'test-rig: database dump'))
  // On a server that outlives the run, the database itself too, if the project asks.
  const cap = run.config.forensics.keepFailedDatabases
  if (cap > 0 && run.serverOutlivesRun && !dump.truncated) {
    const kept = await keepFailedDatabase(endpoint, run.naming, keptNumber(), dump.sql, cap)
    await annotateFailed(task, () => annotate(`kept as ${kept} on ${endpoint.host}:${endpoint.port} (the ${cap} newest are kept): mysql -h ${endpoint.host} -P ${endpoint.port} -u ${endpoint.user} ${kept}`, 'test-rig: database kept'))
  }
}

/** A kept database's number: the time in ms (so the newest sort last) and two random digits (workers fail at once too). */
function keptNumber(): number {
  return (Date.now() % 10_000_000) * 100 + Math.floor(Math.random() * 100)
}

/** Runs `record` (an `annotate` call) for a test that has failed already: Vitest's `annotate` refuses one, so for that moment it is shown as running. */
async function annotateFailed(task: RunnerTestCase, record: () => Promise<unknown>): Promise<void> {
  const result = task.result
  if (!result) return
  const state = result.state
  result.state = 'run'
  try {
    await record()
  } finally {
    result.state = state
  }
}

