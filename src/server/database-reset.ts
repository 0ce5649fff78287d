import { createHash } from 'node:crypto'
import type { Connection, RowDataPacket } from 'mysql2/promise'
import { eachResult } from './statement-batch.ts'

/** What a pristine copy of the template looks like, to tell whether a used copy can be reset. */
export interface PristineState {
  /** A hash of every object's definition (tables, columns, indexes, keys, views, triggers, routines). */
  readonly fingerprint: string
  /** Tables of the template, for the reset's DELETEs. */
  readonly tables: readonly string[]
  /** Tables that hold rows in the template (put back after the DELETEs). */
  readonly tablesWithRows: readonly string[]
  /** Each table's next auto-increment value in the template (null without one). */
  readonly autoIncrements: Readonly<Record<string, number | null>>
}

const marker = '_test_rig_template_done'

/**
 * A hash of everything that defines a database's objects (not their rows), its own name taken out.
 * Two databases with the same fingerprint have the same tables, columns, indexes, foreign keys,
 * views, triggers and routines.
 */
export async function fingerprint(connection: Connection, database: string): Promise<{ readonly hash: string; readonly autoIncrements: Record<string, number | null> }> {
  const queries = [
    'SELECT TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_COLLATION, AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME',
    'SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION',
    'SELECT TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, NON_UNIQUE FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX',
    'SELECT CONSTRAINT_NAME, TABLE_NAME, REFERENCED_TABLE_NAME, UPDATE_RULE, DELETE_RULE FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? ORDER BY CONSTRAINT_NAME',
    'SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME',
    'SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = ? ORDER BY TRIGGER_NAME',
    'SELECT ROUTINE_NAME, ROUTINE_TYPE, ROUTINE_DEFINITION FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? ORDER BY ROUTINE_NAME',
  ]
  // Triggers are looked up by their table's schema (always theirs too): MariaDB narrows
  // information_schema.TRIGGERS by EVENT_OBJECT_SCHEMA but reads every table's triggers for
  // TRIGGER_SCHEMA — 0.37 vs 3.7 ms with 20 tables here, most of the fingerprint's cost.
  const hash = createHash('sha256')
  const autoIncrements: Record<string, number | null> = {}
  // One round trip when the connection takes several statements at once, else one per query (a
  // view this engine lacks answers no rows).
  const results = await eachResult(connection, queries, queries.map(() => database), true)
  for (const [index, rows] of results.entries()) {
    for (const row of rows) {
      if (row.TABLE_NAME === marker) continue
      if (index === 0) {
        autoIncrements[String(row.TABLE_NAME)] = row.AUTO_INCREMENT === null || row.AUTO_INCREMENT === undefined ? null : Number(row.AUTO_INCREMENT)
        hash.update(JSON.stringify([row.TABLE_NAME, row.TABLE_TYPE, row.ENGINE, row.TABLE_COLLATION]))
      } else {
        hash.update(JSON.stringify(Object.values(row)).split(`\`${database}\`.`).join('').split(`"${database}"`).join(''))
      }
    }
    hash.update(`|${index}|`)
  }
  return { hash: hash.digest('hex'), autoIncrements }
}

/** Reads the pristine state of a template: three round trips, whatever the number of tables. */
export async function pristineState(connection: Connection, template: string): Promise<PristineState> {
  const { hash, autoIncrements } = await fingerprint(connection, template)
  const [rows] = await connection.query<RowDataPacket[]>("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME <> ? ORDER BY TABLE_NAME", [template, marker])
  const tables = rows.map((row) => String(row.TABLE_NAME))
  const [filled] = await connection.query<RowDataPacket[]>(tablesWithRowsQuery(template, tables))
  const tablesWithRows = tables.filter((_, i) => filled.some((row) => Number(row.i) === i))
  return { fingerprint: hash, tables, tablesWithRows, autoIncrements }
}

/**
 * One statement that answers, for each table of `tables` (in `database`) holding at least one row,
 * its index in `tables` as `i` — a row's look each, not a count.
 */
export function tablesWithRowsQuery(database: string, tables: readonly string[]): string {
  const q = (table: string) => `\`${database.replace(/`/g, '``')}\`.\`${table.replace(/`/g, '``')}\``
  return tables.map((table, i) => `(SELECT ${i} AS i FROM ${q(table)} LIMIT 1)`).join(' UNION ALL ') || 'SELECT 0 AS i FROM DUAL WHERE FALSE'
}

/**
 * How a reset went: not reused (the caller drops the copy), or reset, with the server's witness
 * right after (see {@link witnessQuery}).
 */
export type ResetOutcome = { readonly reset: false } | { readonly reset: true; readonly witness: number | undefined }

/**
 * The statement whose value proves, while it stands still, that no statement the rig did not see
 * changed a copy's objects. On MariaDB and MySQL it is the count of connection attempts so far: no
 * connection was opened, so every statement came through the rig's own connections. TiDB does not
 * count connections but numbers its schema versions: while the version stands still no DDL ran
 * anywhere on the server (a TiDB DDL returns only once every TiDB server has the new version).
 */
export function witnessQuery(tidb: boolean): string {
  return tidb ? "SHOW STATUS LIKE 'ddl_schema_version'" : "SHOW GLOBAL STATUS LIKE 'Connections'"
}

/**
 * Makes a used copy of the template pristine again, when that can be proven safe: its objects'
 * definitions must still equal the template's (a test that ran DDL gets no reuse). Then every
 * table is emptied, the template's rows are put back and the auto-increment counters that moved
 * are set back (not on TiDB, whose counters only go up: its ids are batched per server anyway).
 * Returns `reset: false`, touching nothing, when the copy cannot be reused; the caller then drops
 * it. The connection must allow several statements per query.
 */
export async function resetToTemplate(connection: Connection, database: string, template: string, pristine: PristineState, tidb: boolean): Promise<ResetOutcome> {
  const now = await fingerprint(connection, database)
  if (now.hash !== pristine.fingerprint) return { reset: false }
  return { reset: true, witness: await runReset(connection, database, template, pristine, now.autoIncrements, tidb) }
}

/**
 * The reset of {@link resetToTemplate} without the fingerprint, for a copy that no DDL can have
 * reached: the rig saw every statement of the test (`mayChangeSchema` found none) and the server's
 * witness (see {@link witnessQuery}) still equals `witnessBefore`, taken when the copy was last
 * made pristine; its tables are the template's too. On TiDB, whose witness says nothing of
 * connections, no session but `ours` (the rig's own) may be in the copy either (and its tables
 * need no look: no DDL ran anywhere). The same round trip asks which tables hold a row, and only
 * those are emptied (on TiDB a `DELETE` of an empty table still costs ~0.7 ms; 20 of them took
 * longer than the look at all 20). One round trip to check, one to reset. Returns `reset: false`,
 * touching nothing, when any of that does not hold: the caller then takes the full path.
 */
export async function quickReset(connection: Connection, database: string, template: string, pristine: PristineState, witnessBefore: number, tidb: boolean, ours: readonly number[] = []): Promise<ResetOutcome> {
  const sessions = 'SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()'
  // A table with at least one row answers its index in pristine.tables.
  const withRows = tablesWithRowsQuery(database, pristine.tables)
  // On TiDB an unchanged schema version proves the tables are the template's (no DDL ran at all),
  // and its counters are not set back: the tables need no look.
  const tablesNow = 'SELECT TABLE_NAME, AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME <> ? ORDER BY TABLE_NAME'
  let sets: RowDataPacket[][]
  try {
    ;[sets] = await connection.query<RowDataPacket[][]>([witnessQuery(tidb), tidb ? sessions : tablesNow, withRows].join(';\n'), tidb ? [database] : [database, marker])
  } catch (error) {
    // A table of the template is gone from the copy (dropped, renamed): not the template's any more.
    if ((error as { errno?: unknown }).errno === 1146) return { reset: false }
    throw error
  }
  const [status = [], looked = [], filled = []] = sets
  if (valueOf(status) !== witnessBefore) return { reset: false }
  const dirty = new Set(filled.map((row) => pristine.tables[Number(row.i)]))
  let autoIncrements: Record<string, number | null> = {}
  if (tidb) {
    if (looked.some((row) => !ours.includes(Number(row.ID)))) return { reset: false }
  } else {
    // MariaDB and MySQL: the unchanged connection count already proves no other session is there.
    const names = looked.map((row) => String(row.TABLE_NAME)).sort()
    if (names.join('\n') !== Object.keys(pristine.autoIncrements).sort().join('\n')) return { reset: false }
    autoIncrements = Object.fromEntries(looked.map((row) => [String(row.TABLE_NAME), row.AUTO_INCREMENT === null || row.AUTO_INCREMENT === undefined ? null : Number(row.AUTO_INCREMENT)]))
  }
  // The witness just checked is the next check's too, with no second look (a `SHOW GLOBAL STATUS`
  // costs MariaDB ~0.25 ms): the reset opens no connection and, on TiDB, its DELETEs change no
  // schema version; what happens after the check moves the witness past it, so the next quick
  // reset falls back to the full one, as it should.
  await runReset(connection, database, template, pristine, autoIncrements, tidb, dirty, false)
  return { reset: true, witness: witnessBefore }
}

/**
 * Empties the tables (all, or those in `dirty` and those the template fills), puts the template's
 * rows back, sets moved counters back; returns the witness after.
 */
async function runReset(connection: Connection, database: string, template: string, pristine: PristineState, autoIncrements: Readonly<Record<string, number | null>>, tidb: boolean, dirty?: ReadonlySet<string | undefined>, witness = true): Promise<number | undefined> {
  const q = (table: string) => `\`${database}\`.\`${table.replace(/`/g, '``')}\``
  const emptied = dirty === undefined ? pristine.tables : pristine.tables.filter((table) => dirty.has(table) || pristine.tablesWithRows.includes(table))
  const statements = ['SET FOREIGN_KEY_CHECKS = 0', ...emptied.map((table) => `DELETE FROM ${q(table)}`)]
  for (const table of pristine.tablesWithRows) statements.push(`INSERT INTO ${q(table)} SELECT * FROM \`${template}\`.\`${table.replace(/`/g, '``')}\``)
  if (!tidb) {
    for (const table of pristine.tables) {
      const wanted = pristine.autoIncrements[table]
      if (wanted !== null && wanted !== undefined && autoIncrements[table] !== wanted) statements.push(`ALTER TABLE ${q(table)} AUTO_INCREMENT = ${wanted}`)
    }
  }
  statements.push('SET FOREIGN_KEY_CHECKS = 1')
  if (witness) statements.push(witnessQuery(tidb))
  const [sets] = await connection.query<RowDataPacket[][]>(statements.join(';\n'))
  return witness ? valueOf(sets.at(-1) ?? []) : undefined
}

/** The value of a `SHOW STATUS` result (see {@link witnessQuery}), or undefined without one. */
export function valueOf(rows: readonly RowDataPacket[]): number | undefined {
  const value = rows[0]?.Value
  return value === undefined || value === null ? undefined : Number(value)
}
