import type { RowDataPacket } from 'mysql2/promise'
import type { Logger } from '../src/config/logger.ts'
import { openConnection } from '../src/server/connect.ts'
import { databaseName } from '../src/server/database-names.ts'
import { valueOf, witnessQuery } from '../src/server/database-reset.ts'
import type { RigRun } from '../src/server/rig-run.ts'
import { cloneInto, type CloneScript } from '../src/server/schema-template.ts'
import { SpareDatabases } from '../src/server/spare-databases.ts'
import { TestDatabases } from '../src/server/test-databases.ts'

/**
 * Right after a local run built its schema template: makes `copies` pristine copies of it (the
 * first tests' databases, which cost the template's DDL each — ~0.7 s for 20 tables on TiDB) and
 * keeps the server's data directory with both for the next runs with the same schema (see
 * `DataSnapshot`), which then start with the template and the copies already there. The server
 * restarts on a new port meanwhile. Returns the copies (they are in this run's server too); a
 * data directory that could not be kept is reported, and the run goes on without.
 */
export async function keepTemplate(run: RigRun, clone: CloneScript, copies: number, logger: Logger): Promise<readonly string[]> {
  const { snapshot } = run.server
  if (!snapshot) return []
  const startedAt = performance.now()
  const names = Array.from({ length: copies }, (_, i) => databaseName(run.naming, `kept${i + 1}`))
  const admin = await openConnection(run.server.endpoint, { multipleStatements: true })
  try {
    const databases = new TestDatabases(admin, run.naming)
    for (const name of names) {
      await databases.create(name)
      await cloneInto(admin, name, clone, run.server.info.engine === 'tidb')
    }
  } finally {
    admin.destroy()
  }
  const outcome = await snapshot.keep({ runId: run.naming.runId, copies: names })
  if (outcome.kept) logger.info(`kept the data directory with the schema template and ${copies} ${copies === 1 ? 'copy' : 'copies'} for the next runs in ${Math.round(performance.now() - startedAt)} ms (the server restarted on port ${run.server.endpoint.port})`)
  else logger.warn(`could not keep the data directory with the schema template (${outcome.why ?? 'no reason given'}); the next run builds the template again`)
  return names
}

/**
 * How many pristine copies are kept with the data directory: what the first workers take before
 * any copy of theirs comes back from a reset — the first test's, and the `warm` made ahead — for
 * up to 8 workers, at most 16 (each copy is copied again at every start). Fewer, and the first
 * worker clones the template while its first tests wait: ~40 ms a copy of 20 tables on MariaDB.
 */
export function keptCopies(maxWorkers: number, warm: number): number {
  return Math.min(Math.min(maxWorkers, 8) * (warm + 1), 16)
}

/**
 * Makes the run's spares list (see SpareDatabases) before any worker starts, and puts the pristine
 * copies the run started with (kept with the data directory, or made by {@link keepTemplate}) on
 * it, with the server's witness now: nothing but the rig has touched them since the server
 * started. The list comes first: on TiDB it is DDL, and made after the witness it would refuse
 * every copy's first quick reset. Copies missing from the server are left out.
 */
export async function offerCopies(run: RigRun, copies: readonly string[]): Promise<void> {
  const admin = await openConnection(run.server.endpoint, { multipleStatements: true })
  try {
    const spares = new SpareDatabases(admin, run.naming)
    await spares.prepare()
    if (copies.length === 0) return
    const [present] = await admin.query<RowDataPacket[]>(`SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (${copies.map(() => '?').join(', ')})`, [...copies])
    const [status] = await admin.query<RowDataPacket[]>(witnessQuery(run.server.info.engine === 'tidb'))
    const witness = valueOf(status)
    await spares.put(present.map((row) => ({ name: String(row.name), witness })))
  } finally {
    admin.destroy()
  }
}
