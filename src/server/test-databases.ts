import type { Connection, RowDataPacket } from 'mysql2/promise'
import { isRunDatabase, type RunNaming } from './database-names.ts'
import { valueOf } from './database-reset.ts'
import { UnsafeDropError } from './errors.ts'

/** How long a session just closed by its client may still be listed by the server. */
const closingGraceMs = 25

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

  /**
   * Creates a database of this run. With `witness` (a `SHOW STATUS` statement, see `witnessQuery`;
   * the connection must take several statements per query) it is sent in the same round trip and
   * its value returned.
   */
  async create(name: string, witness?: string): Promise<number | undefined> {
    this.#guard(name)
    return this.#withWitness(`CREATE DATABASE \`${name}\``, witness)
  }

  /** Drops a database of this run if it exists; throws {@link UnsafeDropError} for any other name. */
  async drop(name: string): Promise<void> {
    this.#guard(name)
    await this.#admin.query(`DROP DATABASE IF EXISTS \`${name}\``)
  }

  /**
   * Drops a database of this run and creates the next one in one round trip (the connection must
   * take several statements per query); the create does not run when the drop fails.
   */
  async dropAndCreate(name: string, next: string, witness?: string): Promise<number | undefined> {
    this.#guard(name)
    this.#guard(next)
    return this.#withWitness(`DROP DATABASE IF EXISTS \`${name}\`; CREATE DATABASE \`${next}\``, witness)
  }

  async #withWitness(sql: string, witness: string | undefined): Promise<number | undefined> {
    if (witness === undefined) {
      await this.#admin.query(sql)
      return undefined
    }
    const [sets] = await this.#admin.query<RowDataPacket[][]>(`${sql}; ${witness}`)
    return valueOf(sets.at(-1) ?? [])
  }

  /**
   * Kills the sessions still connected to a database of this run (a connection the test opened
   * itself and left open, maybe inside a transaction, whose locks would hold DROP DATABASE for the
   * lock-wait timeout); returns the thread ids killed. `spare` are the rig's own connections;
   * `closing`, connections closed a moment ago that are killed without waiting.
   */
  async killSessionsIn(name: string, spare: readonly number[] = [], closing: ReadonlySet<number> = new Set(), listed?: readonly number[]): Promise<number[]> {
    this.#guard(name)
    const sessions = () => this.sessionsIn(name, spare)
    // `listed`: a look just taken (see look()), which saves the first round trip.
    let found = listed === undefined ? await sessions() : listed.filter((id) => !spare.includes(id))
    // A client that closed its connection a moment ago (an ORM's pool at the test's end) is still
    // listed until the server notices: look once more before calling it a leftover.
    if (found.some((id) => !closing.has(id))) {
      await new Promise((resolve) => setTimeout(resolve, closingGraceMs))
      found = await sessions()
    }
    return this.kill(found)
  }

  /** Kills server threads; returns those it killed (one that ended by itself meanwhile is not). */
  async kill(ids: readonly number[]): Promise<number[]> {
    const killed: number[] = []
    for (const id of ids) {
      try {
        await this.#admin.query(`KILL ${Number(id)}`)
        killed.push(id)
      } catch {
        // It ended by itself meanwhile.
      }
    }
    return killed
  }

  /**
   * The sessions connected to databases of this run whose names start with `namePrefix` (one
   * worker's), other than `spare` and this connection: database name → thread ids. One query.
   */
  async sessionsOfWorker(namePrefix: string, spare: readonly number[] = []): Promise<Map<string, number[]>> {
    // The prefix of a worker's names (`<prefix>_<run>_w<worker>_`): a test's database of it is this run's.
    this.#guard(`${namePrefix}t1`)
    const [rows] = await this.#admin.query<RowDataPacket[]>(
      'SELECT ID AS id, DB AS db FROM information_schema.PROCESSLIST WHERE DB LIKE ? AND ID <> CONNECTION_ID()',
      [`${namePrefix.replaceAll('_', '\\_')}%`])
    const sessions = new Map<string, number[]>()
    for (const row of rows) {
      const id = Number(row.id)
      const db = String(row.db)
      if (spare.includes(id) || !isRunDatabase(db, this.#naming)) continue
      sessions.set(db, [...(sessions.get(db) ?? []), id])
    }
    return sessions
  }

  /** The sessions connected to a database of this run, other than `spare` and this connection. */
  async sessionsIn(name: string, spare: readonly number[] = []): Promise<number[]> {
    this.#guard(name)
    const [rows] = await this.#admin.query<RowDataPacket[]>('SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()', [name])
    return rows.map((row) => Number(row.id)).filter((id) => !spare.includes(id))
  }

  /**
   * One look at a database of this run, in one round trip: the sessions connected to it (other
   * than `spare` and this connection), and whether it is as CREATE DATABASE made it — no table,
   * view, routine or event, and the server's default collation.
   */
  async look(name: string, spare: readonly number[] = []): Promise<{ readonly sessions: number[]; readonly pristine: boolean }> {
    this.#guard(name)
    const [rows] = await this.#admin.query<RowDataPacket[]>(
      `SELECT (SELECT GROUP_CONCAT(ID) FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()) AS sessions,
        (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?)
        + (SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?)
        + (SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?) AS objects,
        (SELECT DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?) = @@collation_server AS plain`,
      [name, name, name, name, name])
    const row = (rows[0] ?? {}) as Record<string, unknown>
    const sessions = String(row.sessions ?? '').split(',').filter(Boolean).map(Number).filter((id) => !spare.includes(id))
    return { sessions, pristine: Number(row.objects) === 0 && Number(row.plain) === 1 }
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
