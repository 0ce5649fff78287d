import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise'
import { databaseName, isRunDatabase, type RunNaming } from './database-names.ts'

/** A pristine copy on the list, with the witness taken when it was made pristine (undefined: none known). */
export interface SpareCopy {
  /** The copy's database name. */
  readonly name: string
  /** The server's witness then (see `witnessQuery`). */
  readonly witness: number | undefined
}

/**
 * Pristine copies of the schema template that a worker leaves at its end and a later worker takes
 * instead of cloning the template again. Vitest starts a fresh worker for every test file, so
 * without them every file began with new copies: DDL of ~20 ms a copy on MariaDB, ~1 s on TiDB.
 * The list is a table of the run's own (`<prefix>_<run>_spares`), dropped with the run's
 * databases; a copy is taken by deleting its row, so two workers never take the same one. Each
 * copy carries the server's witness from when it was last made pristine (see `witnessQuery`), so
 * that the worker that takes it can reset it the quick way after its first test.
 */
export class SpareCopies {
  readonly #admin: Connection
  readonly #table: string
  readonly #naming: RunNaming

  /** `table` as {@link SpareCopies.create} returned it. */
  constructor(admin: Connection, table: string, naming: RunNaming) {
    this.#admin = admin
    this.#table = table
    this.#naming = naming
  }

  /** Makes the run's list (once per run, before the workers) and returns its table's name. */
  static async create(admin: Connection, naming: RunNaming): Promise<string> {
    const database = databaseName(naming, 'spares')
    await admin.query(`CREATE DATABASE IF NOT EXISTS \`${database}\``)
    const table = `\`${database}\`.copies`
    await admin.query(`CREATE TABLE IF NOT EXISTS ${table} (name VARCHAR(64) PRIMARY KEY, witness BIGINT NULL)`)
    return table
  }

  /** Lists pristine copies for later workers. */
  async put(copies: readonly SpareCopy[]): Promise<void> {
    const ours = copies.filter((copy) => isRunDatabase(copy.name, this.#naming))
    if (ours.length === 0) return
    await this.#admin.query(`INSERT IGNORE INTO ${this.#table} (name, witness) VALUES ${ours.map(() => '(?, ?)').join(', ')}`, ours.flatMap((copy) => [copy.name, copy.witness ?? null]))
  }

  /** Takes a pristine copy off the list, or undefined when there is none. */
  async take(): Promise<SpareCopy | undefined> {
    for (;;) {
      const [rows] = await this.#admin.query<RowDataPacket[]>(`SELECT name, witness FROM ${this.#table} LIMIT 4`)
      if (rows.length === 0) return undefined
      for (const row of rows) {
        const name = String(row.name)
        // Whoever deletes the row has the copy; another worker that saw it too moves on.
        const [result] = await this.#admin.query<ResultSetHeader>(`DELETE FROM ${this.#table} WHERE name = ?`, [name])
        if (result.affectedRows === 1 && isRunDatabase(name, this.#naming)) return { name, witness: row.witness === null || row.witness === undefined ? undefined : Number(row.witness) }
      }
    }
  }
}
