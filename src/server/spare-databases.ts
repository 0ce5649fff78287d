import type { Connection, RowDataPacket } from 'mysql2/promise'
import { databaseName, isRunDatabase, type RunNaming } from './database-names.ts'

/** A pristine database on the list, with the witness taken when it was made pristine (undefined: none known). */
export interface SpareDatabase {
  /** The database's name. */
  readonly name: string
  /** The server's witness then (see `witnessQuery`). */
  readonly witness: number | undefined
}

/**
 * Pristine databases that a worker leaves at its end and later workers take instead of making new
 * ones: copies of the schema template, or empty databases as CREATE DATABASE made them. Vitest
 * starts a fresh worker for every test file, so without the list every file began by making its
 * databases (a copy costs the template's DDL: ~20 ms on MariaDB, ~1 s on TiDB; an empty one a
 * CREATE, a schema change of ~25 ms on TiDB) and ended by dropping those it had made ahead.
 *
 * The list is a table of the run's own (`<prefix>_<run>_spares`), dropped with the run's
 * databases. It is made by the run's start, or by the first worker that puts a database on it
 * (one batch with the put). A worker claims databases by marking rows with a claim of its own
 * and deleting them in the same round trip, so two workers never take the same one. The
 * connection must allow several statements per query.
 */
export class SpareDatabases {
  readonly #admin: Connection
  readonly #naming: RunNaming
  #claims = 0
  /** Set once a take found the list there: a put then skips making it. */
  #listSeen = false

  /** `admin` must allow several statements per query; `naming` is the run's (the list and its databases are its own). */
  constructor(admin: Connection, naming: RunNaming) {
    this.#admin = admin
    this.#naming = naming
  }

  /**
   * Makes the list now, when it is not there yet. On TiDB that is DDL, which moves the server's
   * witness (its schema version): a witness meant to outlast it must be taken after this.
   */
  async prepare(): Promise<void> {
    await this.#admin.query(makeList(this.#naming))
    this.#listSeen = true
  }

  /** Puts pristine databases on the list for later workers (making the list first if need be). */
  async put(databases: readonly SpareDatabase[]): Promise<void> {
    const ours = databases.filter((database) => isRunDatabase(database.name, this.#naming))
    if (ours.length === 0) return
    const make = this.#listSeen ? '' : `${makeList(this.#naming)}; `
    await this.#admin.query(
      `${make}INSERT IGNORE INTO ${listTable(this.#naming)} (name, witness) VALUES ${ours.map(() => '(?, ?)').join(', ')}`,
      ours.flatMap((database) => [database.name, database.witness ?? null]),
    )
  }

  /**
   * Takes up to `count` databases off the list, in one round trip; none when the list is empty
   * or not made yet. `worker` names the caller (it goes into the claim, so claims never collide).
   */
  async take(count: number, worker: string): Promise<SpareDatabase[]> {
    if (count <= 0) return []
    const claim = `${worker}.${++this.#claims}`
    const table = listTable(this.#naming)
    let results: RowDataPacket[][]
    try {
      // The UPDATE marks rows no other claim holds (a row another worker marks first is skipped
      // once its lock is released: the condition is read again); the DELETE removes what was marked
      // (its LIMIT keeps it legal where sql_safe_updates is on, as the UPDATE's does).
      ;[results] = await this.#admin.query<RowDataPacket[][]>(
        `UPDATE ${table} SET claim = ? WHERE claim IS NULL LIMIT ${Math.floor(count)}; SELECT name, witness FROM ${table} WHERE claim = ?; DELETE FROM ${table} WHERE claim = ? LIMIT ${Math.floor(count)}`,
        [claim, claim, claim],
      )
    } catch (error) {
      // No list yet: no worker has put one on it.
      if ((error as { errno?: unknown }).errno === noSuchTable) return []
      throw error
    }
    this.#listSeen = true
    // One result per statement: the UPDATE's header, the SELECT's rows, the DELETE's header.
    return (results[1] ?? [])
      .map((row) => ({ name: String(row.name), witness: row.witness === null || row.witness === undefined ? undefined : Number(row.witness) }))
      .filter((database) => isRunDatabase(database.name, this.#naming))
  }
}

/** The list's table, quoted: one per run. */
function listTable(naming: RunNaming): string {
  return `\`${databaseName(naming, 'spares')}\`.spares`
}

/** Statements that make the list when it is not there yet (idempotent: several workers may race). */
function makeList(naming: RunNaming): string {
  return `CREATE DATABASE IF NOT EXISTS \`${databaseName(naming, 'spares')}\`; CREATE TABLE IF NOT EXISTS ${listTable(naming)} (name VARCHAR(64) PRIMARY KEY, witness BIGINT NULL, claim VARCHAR(64) NULL)`
}

/** ER_NO_SUCH_TABLE (MySQL, MariaDB and TiDB); ER_BAD_DB_ERROR is not raised for a qualified table name. */
const noSuchTable = 1146
