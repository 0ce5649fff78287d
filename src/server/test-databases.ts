import type { Connection, RowDataPacket } from 'mysql2/promise'
import { isRunDatabase, type RunNaming } from './database-names.ts'
import { UnsafeDropError } from './errors.ts'

/**
 * Creates and drops the databases of one run through an admin connection. It only ever drops
 * names of this run (prefix and run id): any other name is refused before a statement is sent.
 */
export class TestDatabases {
  readonly #admin: Connection
  readonly #naming: RunNaming

  constructor(admin: Connection, naming: RunNaming) {
    this.#admin = admin
    this.#naming = naming
  }

  /** Creates a database of this run. */
  async create(name: string): Promise<void> {
    this.#guard(name)
    await this.#admin.query(`CREATE DATABASE \`${name}\``)
  }

  /** Drops a database of this run if it exists; throws {@link UnsafeDropError} for any other name. */
  async drop(name: string): Promise<void> {
    this.#guard(name)
    await this.#admin.query(`DROP DATABASE IF EXISTS \`${name}\``)
  }

  /**
   * Kills the sessions still connected to a database of this run (a connection the test opened
   * itself and left open, maybe inside a transaction, whose locks would hold DROP DATABASE for the
   * lock-wait timeout); returns the thread ids killed. `spare` are the rig's own connections.
   */
  async killSessionsIn(name: string, spare: readonly number[] = []): Promise<number[]> {
    this.#guard(name)
    const [rows] = await this.#admin.query<RowDataPacket[]>('SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()', [name])
    const killed: number[] = []
    for (const row of rows) {
      if (spare.includes(Number(row.ID))) continue
      try {
        await this.#admin.query(`KILL ${Number(row.ID)}`)
        killed.push(Number(row.ID))
      } catch {
        // It ended by itself meanwhile.
      }
    }
    return killed
  }

  /** Drops every database this run made that still exists; returns their names. */
  async dropAll(): Promise<string[]> {
    const [rows] = await this.#admin.query<RowDataPacket[]>('SHOW DATABASES LIKE ?', [`${this.#naming.prefix}\\_${this.#naming.runId}\\_%`])
    const names = rows.map((row) => String(Object.values(row)[0])).filter((name) => isRunDatabase(name, this.#naming))
    for (const name of names) await this.drop(name)
    return names
  }

  #guard(name: string): void {
    if (!isRunDatabase(name, this.#naming)) throw new UnsafeDropError(name, `${this.#naming.prefix}_${this.#naming.runId}_`)
  }
}
