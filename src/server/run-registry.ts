import { hostname } from 'node:os'
import type { Connection, RowDataPacket } from 'mysql2/promise'
import { isRunDatabase, type RunNaming } from './database-names.ts'
import { UnsafeDropError } from './errors.ts'
import { processAlive } from './process-alive.ts'

/** A run as the registry on the server knows it. */
export interface RegisteredRun {
  /** The run id (the middle part of its database names). */
  readonly runId: string
  /** Host name of the machine the run's runner is on. */
  readonly host: string
  /** Process id of the runner on that host. */
  readonly pid: number
  /** Seconds since its last heartbeat, by the server's clock. */
  readonly silentForSecs: number
}

/**
 * The rig's own record of runs on a server it does not own (an external server, a reused
 * container): each run registers itself and beats a heartbeat while it lives. A run is dead when
 * its heartbeat stopped for `deadAfterSecs`, or at once when its runner was on this very host and
 * its process is gone. Only dead runs' databases are ever swept, so a live run (a second runner, a
 * long watch session) never loses one, and a name the rig did not make is never even considered.
 * The record lives in a database of its own, `<prefix>__test_rig`, which nothing ever drops.
 */
export class RunRegistry {
  readonly #admin: Connection
  readonly #schema: string

  private constructor(admin: Connection, prefix: string) {
    this.#admin = admin
    this.#schema = registrySchema(prefix)
  }

  /** Opens (and creates on first use) the registry of a prefix through an admin connection. */
  static async open(admin: Connection, prefix: string): Promise<RunRegistry> {
    const registry = new RunRegistry(admin, prefix)
    await admin.query(`CREATE DATABASE IF NOT EXISTS \`${registry.#schema}\``)
    await admin.query(`CREATE TABLE IF NOT EXISTS \`${registry.#schema}\`.runs (
      run_id VARCHAR(16) PRIMARY KEY, host VARCHAR(255) NOT NULL, pid INT NOT NULL,
      started_at DATETIME NOT NULL, heartbeat_at DATETIME NOT NULL)`)
    return registry
  }

  /** Records this run as alive; call before it creates its first database. */
  async register(runId: string, pid: number = process.pid): Promise<void> {
    await this.#admin.query(`INSERT INTO \`${this.#schema}\`.runs VALUES (?, ?, ?, NOW(), NOW())`, [runId, hostname(), pid])
  }

  /** Moves the run's heartbeat to now. */
  async heartbeat(runId: string): Promise<void> {
    await this.#admin.query(`UPDATE \`${this.#schema}\`.runs SET heartbeat_at = NOW() WHERE run_id = ?`, [runId])
  }

  /** Removes a run from the record (after its databases are gone). */
  async forget(runId: string): Promise<void> {
    await this.#admin.query(`DELETE FROM \`${this.#schema}\`.runs WHERE run_id = ?`, [runId])
  }

  /** Every registered run. */
  async runs(): Promise<RegisteredRun[]> {
    const [rows] = await this.#admin.query<RowDataPacket[]>(
      `SELECT run_id, host, pid, TIMESTAMPDIFF(SECOND, heartbeat_at, NOW()) AS silent FROM \`${this.#schema}\`.runs`)
    return rows.map((row) => ({ runId: String(row.run_id), host: String(row.host), pid: Number(row.pid), silentForSecs: Number(row.silent) }))
  }

  /**
   * Drops the databases of dead runs and forgets those runs; returns the names dropped. Only names
   * of a declared run shape (see `nameShapes`: tests', files', the spares list, kept copies, the
   * commands' scratch databases) of a registered dead run are dropped, each checked again right
   * before its statement.
   */
  async sweep(prefix: string, deadAfterSecs: number, isAlive: (pid: number) => boolean = processAlive): Promise<string[]> {
    const dead = deadRuns(await this.runs(), deadAfterSecs, hostname(), isAlive)
    const dropped: string[] = []
    for (const runId of dead) {
      const naming: RunNaming = { prefix, runId }
      const [rows] = await this.#admin.query<RowDataPacket[]>('SHOW DATABASES LIKE ?', [`${prefix}\\_${runId}\\_%`])
      for (const name of sweepable(rows.map((row) => String(Object.values(row)[0])), naming)) {
        if (sweepable([name], naming).length !== 1) throw new UnsafeDropError(name, `${prefix}_${runId}_`)
        await this.#admin.query(`DROP DATABASE IF EXISTS \`${name}\``)
        dropped.push(name)
      }
      await this.forget(runId)
    }
    return dropped
  }
}

/** The database that holds the registry of a prefix. */
export function registrySchema(prefix: string): string {
  return `${prefix}__test_rig`
}

/**
 * The runs among `runs` that are dead: silent for longer than `deadAfterSecs`, or (for a runner on
 * `thisHost`) whose process is gone. A run on another host is judged by its heartbeat alone.
 */
export function deadRuns(runs: readonly RegisteredRun[], deadAfterSecs: number, thisHost: string, isAlive: (pid: number) => boolean): string[] {
  return runs
    .filter((run) => run.silentForSecs > deadAfterSecs || (run.host === thisHost && !isAlive(run.pid)))
    .map((run) => run.runId)
}

/** The names among `names` that the rig made for the run `naming` (any declared run shape), and nothing else. */
export function sweepable(names: readonly string[], naming: RunNaming): string[] {
  return names.filter((name) => isRunDatabase(name, naming))
}
