import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import type mysql from 'mysql2'

/**
 * TEST DOUBLE — not a database. A server that speaks the MySQL protocol (mysql2's server mode) and
 * answers like TiDB 8.5 for import jobs only: `SELECT VERSION()`, `SHOW IMPORT JOBS`,
 * `SHOW IMPORT JOB <id>` and `IMPORT INTO … WITH DETACHED`, replaying scripted result sets (and
 * acknowledges the rig's own bookkeeping statements, so the CLI can point at it as a server). It lets
 * the import-job parser and monitor be tested where no TiDB runs; the live path runs against TiDB.
 */
export class ScriptedTidbServer implements AsyncDisposable {
  /** Every statement received, with the time it arrived (ms since start). */
  readonly statements: { readonly sql: string; readonly atMs: number }[] = []
  readonly #server: ReturnType<typeof mysql.createServer>
  readonly #jobs = new Map<number, { frames: readonly JobFrame[]; shown: number }>()
  readonly #imports: ImportScript[] = []
  readonly #extraColumns: readonly string[]
  readonly #startedAt = performance.now()
  readonly #connections = new Set<{ destroy?(): void; stream?: { destroy(): void } }>()
  #nextJobId = 1
  #port = 0

  private constructor(extraColumns: readonly string[], driver: typeof mysql) {
    this.#extraColumns = extraColumns
    this.#server = driver.createServer((connection) => this.#serve(connection as unknown as ServerConnection))
  }

  /** Starts the double on a free loopback port. `extraColumns` are appended to every job row (as newer TiDB versions do). */
  static async start(options: { readonly extraColumns?: readonly string[] } = {}): Promise<ScriptedTidbServer> {
    // mysql2's server mode is loaded only when a double is started.
    const double = new ScriptedTidbServer(options.extraColumns ?? [], (await import('mysql2')).default)
    // Loopback only; mysql2's typings list just the port, but it passes all arguments to net.Server.listen.
    ;(double.#server.listen as (this: unknown, ...args: unknown[]) => unknown).call(double.#server, 0, '127.0.0.1')
    const netServer = (double.#server as unknown as { _server: import('node:net').Server })._server
    if (!netServer.listening) await once(netServer, 'listening')
    double.#port = (netServer.address() as AddressInfo).port
    return double
  }

  /** Loopback port. */
  get port(): number {
    return this.#port
  }

  /** Adds a job that already exists; each `SHOW IMPORT JOB(S)` shows its next frame (the last one stays). */
  addJob(frames: readonly JobFrame[]): number {
    const id = this.#nextJobId++
    this.#jobs.set(id, { frames, shown: 0 })
    return id
  }

  /** What `IMPORT INTO` from a source matching `source` creates: a job with these frames. */
  onImport(source: RegExp, frames: readonly JobFrame[]): void {
    this.#imports.push({ source, frames })
  }

  /** Polls of SHOW IMPORT JOB(S) received, with their times. */
  get polls(): { readonly sql: string; readonly atMs: number }[] {
    return this.statements.filter((s) => /^SHOW IMPORT JOB/i.test(s.sql))
  }

  /** Stops the double and drops its connections. */
  async [Symbol.asyncDispose](): Promise<void> {
    for (const connection of this.#connections) connection.stream?.destroy()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }

  #serve(connection: ServerConnection): void {
    this.#connections.add(connection)
    connection.on('error', () => {})
    connection.serverHandshake({
      protocolVersion: 10,
      serverVersion: '8.0.11-TiDB-v8.5.6',
      connectionId: this.#connections.size,
      statusFlags: 2,
      characterSet: 33,
      capabilityFlags: 0xf7ff,
      // Any user gets in; afterwards the next packet from the client (its first command) is number 0.
      authCallback: (_params: unknown, done: (error: null) => void) => {
        done(null)
        connection.sequenceId = 0
      },
    })
    const reply = (sql: string) => {
      this.statements.push({ sql, atMs: performance.now() - this.#startedAt })
      // A response starts at sequence 1 after the client's command (0); mysql2's server mode does not reset it.
      connection.sequenceId = 1
      this.#answer(connection, sql.trim())
      connection.sequenceId = 0
    }
    connection.on('query', reply)
    connection.on('stmt_prepare', reply)
    connection.on('quit', () => connection.stream?.destroy())
  }

  #answer(connection: ServerConnection, sql: string): void {
    if (/^SELECT\s+VERSION\(\)/i.test(sql)) return writeRows(connection, [{ name: 'version', type: 'text' }], [['8.0.11-TiDB-v8.5.6']])
    if (/^SHOW\s+IMPORT\s+JOBS$/i.test(sql)) return this.#writeJobs(connection, [...this.#jobs.keys()])
    const one = /^SHOW\s+IMPORT\s+JOB\s+(\d+)$/i.exec(sql)
    if (one) {
      const id = Number(one[1])
      if (!this.#jobs.has(id)) return connection.writeError({ code: 8170, message: `Job ID ${id} doesn't exist` })
      return this.#writeJobs(connection, [id])
    }
    const importing = /^IMPORT\s+INTO\s+(\S+)\s+FROM\s+'([^']*)'/i.exec(sql)
    if (importing) {
      const script = this.#imports.find((candidate) => candidate.source.test(importing[2] ?? ''))
      if (!script) return connection.writeError({ code: 8158, message: `The file does not exist: ${importing[2]}` })
      const id = this.addJob(script.frames.map((frame) => ({ Data_Source: importing[2], Target_Table: importing[1], ...frame })))
      return this.#writeJobs(connection, [id], false)
    }
    if (/^(SELECT\s+1|SET\s|USE\s)/i.test(sql)) return writeRows(connection, [{ name: '1', type: 'int' }], [[1]])
    // The rig's own bookkeeping when the double stands in for an external server (the CLI's
    // commands register their run and make a database): acknowledged, and forgotten.
    if (/information_schema\.cluster_info/i.test(sql)) return writeRows(connection, [{ name: 'type', type: 'text' }], [['pd']])
    if (/^(CREATE|DROP|INSERT|UPDATE|DELETE)\s/i.test(sql)) return connection.writeOk()
    if (/^(SHOW\s+DATABASES|SELECT\s.*\sFROM\s)/is.test(sql)) return writeRows(connection, [{ name: 'Database', type: 'text' }], [])
    connection.writeError({ code: 1105, message: `scripted TiDB double: no answer for "${sql}"` })
  }

  #writeJobs(connection: ServerConnection, ids: readonly number[], advance = true): void {
    const rows = ids.map((id) => {
      const job = this.#jobs.get(id) as { frames: readonly JobFrame[]; shown: number }
      const frame = job.frames[Math.min(job.shown, job.frames.length - 1)] ?? {}
      if (advance) job.shown++
      const row: Record<string, unknown> = { ...baseRow(id), ...frame }
      return [...jobColumns.map((column) => row[column.name]), ...this.#extraColumns.map((name) => row[name] ?? `${name} of job ${id}`)]
    })
    writeRows(connection, [...jobColumns, ...this.#extraColumns.map((name) => ({ name, type: 'string' as const }))], rows)
  }
}

/** One state of a scripted job: any columns of a `SHOW IMPORT JOBS` row (Phase, Status, Imported_Rows, End_Time, …). */
export type JobFrame = Readonly<Record<string, unknown>>

interface ImportScript {
  readonly source: RegExp
  readonly frames: readonly JobFrame[]
}

interface ServerConnection {
  sequenceId: number
  serverHandshake(args: Record<string, unknown>): void
  on(event: string, listener: (...args: never[]) => void): void
  writeColumns(columns: readonly object[]): void
  writeTextRow(values: readonly unknown[]): void
  writeEof(): void
  writeOk(): void
  writeError(args: { code: number; message: string }): void
  readonly stream?: { destroy(): void }
}

type ColumnKind = 'text' | 'string' | 'int' | 'timestamp'
// As TiDB 8.5.6 sends them (read live from SHOW IMPORT JOBS; specs/imports.spec.ts keeps the two equal).
const jobColumns: readonly { readonly name: string; readonly type: ColumnKind }[] = [
  { name: 'Job_ID', type: 'int' }, { name: 'Data_Source', type: 'string' }, { name: 'Target_Table', type: 'string' }, { name: 'Table_ID', type: 'int' },
  { name: 'Phase', type: 'string' }, { name: 'Status', type: 'string' }, { name: 'Source_File_Size', type: 'string' }, { name: 'Imported_Rows', type: 'int' },
  { name: 'Result_Message', type: 'string' }, { name: 'Create_Time', type: 'timestamp' }, { name: 'Start_Time', type: 'timestamp' }, { name: 'End_Time', type: 'timestamp' },
  { name: 'Created_By', type: 'string' },
]

function baseRow(id: number): Record<string, unknown> {
  return {
    Job_ID: id, Data_Source: `/data/job-${id}.csv`, Target_Table: '`test`.`t`', Table_ID: 100 + id, Phase: '', Status: 'pending',
    Source_File_Size: '0B', Imported_Rows: null, Result_Message: '', Create_Time: '2026-11-22 10:00:00.000000', Start_Time: null, End_Time: null, Created_By: 'root@%',
  }
}

/** MySQL protocol column types: LONGLONG, VAR_STRING, STRING, TIMESTAMP. */
const columnTypes: Readonly<Record<ColumnKind, number>> = { int: 8, text: 253, string: 254, timestamp: 7 }

function writeRows(connection: ServerConnection, columns: readonly { readonly name: string; readonly type: ColumnKind }[], rows: readonly (readonly unknown[])[]): void {
  connection.writeColumns(columns.map((column) => ({
    catalog: 'def', schema: '', table: '', orgTable: '', name: column.name, orgName: column.name,
    characterSet: 33, columnLength: 255, columnType: columnTypes[column.type], flags: 0, decimals: column.type === 'timestamp' ? 6 : 0,
  })))
  // mysql2's writeTextResult pads each row with empty cells, so rows are written one by one here.
  for (const row of rows) connection.writeTextRow(row.map((value) => (value === undefined ? null : value)))
  connection.writeEof()
}
