import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise'
import { databaseName, isRunDatabase, type RunNaming } from './database-names.ts'

/**
 * Pristine copies of the schema template that a worker leaves at its end and a later worker takes
 * instead of cloning the template again. Vitest starts a fresh worker for every test file, so
 * without them every file began with new copies: DDL of ~20 ms a copy on MariaDB, ~1 s on TiDB.
 * The list is a table of the run's own (`<prefix>_<run>_spares`), dropped with the run's
 * databases; a copy is taken by deleting its row, so two workers never take the same one.
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
    await admin.query(`CREATE TABLE IF NOT EXISTS ${table} (name VARCHAR(64) PRIMARY KEY)`)
    return table
  }

  /** Lists pristine copies for later workers. */
  async put(names: readonly string[]): Promise<void> {
    const ours = names.filter((name) => isRunDatabase(name, this.#naming))
    if (ours.length === 0) return
    await this.#admin.query(`INSERT IGNORE INTO ${this.#table} (name) VALUES ${ours.map(() => '(?)').join(', ')}`, ours)
  }

  /** Takes a pristine copy off the list, or undefined when there is none. */
  async take(): Promise<string | undefined> {
    for (;;) {
      const [rows] = await this.#admin.query<RowDataPacket[]>(`SELECT name FROM ${this.#table} LIMIT 4`)
      if (rows.length === 0) return undefined
      for (const row of rows) {
        const name = String(row.name)
        // Whoever deletes the row has the copy; another worker that saw it too moves on.
        const [result] = await this.#admin.query<ResultSetHeader>(`DELETE FROM ${this.#table} WHERE name = ?`, [name])
        if (result.affectedRows === 1 && isRunDatabase(name, this.#naming)) return name
      }
    }
  }
}
