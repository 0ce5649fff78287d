import type { Connection, RowDataPacket } from 'mysql2/promise'
import { engineLabels, type EngineCapabilities, type EngineName } from '../../server/engine.ts'
import { parseImportJob, type ImportJob } from './import-job.ts'

/** The server has no `IMPORT INTO` (MySQL, MariaDB, TiDB before 7.2). */
export class ImportNotSupportedError extends Error {
  /** Stable error code. */
  readonly code = 'TEST_RIG_IMPORT_NOT_SUPPORTED'

  constructor(reason: string) {
    super(`test-rig: ${reason}`)
    this.name = 'ImportNotSupportedError'
  }
}

/** Why the server cannot run import jobs, or undefined when it can. */
export function importUnsupportedReason(server: { readonly engine: EngineName; readonly version: string; readonly capabilities: Pick<EngineCapabilities, 'importInto'>; readonly tidbStorage?: 'cluster' | 'embedded' }): string | undefined {
  if (server.capabilities.importInto) return undefined
  if (server.engine === 'tidb' && server.tidbStorage === 'embedded') {
    return `IMPORT INTO is not supported by this TiDB ${server.version} store: it runs standalone on its embedded storage (unistore), and IMPORT INTO needs a TiKV cluster with PD ` +
      '(on unistore it fails with "URL scheme must be http, https, unix, or unixs"); run import specs against a cluster (tiup playground, TiDB Cloud, tidb-operator) through DATABASE_URL'
  }
  return `IMPORT INTO is not supported by ${engineLabels[server.engine]} ${server.version}; import jobs need TiDB 7.2 or later`
}

/** `SHOW IMPORT JOBS`, parsed. */
export async function showImportJobs(connection: Connection): Promise<ImportJob[]> {
  const [rows] = await connection.query<RowDataPacket[]>('SHOW IMPORT JOBS')
  return rows.map((row) => parseImportJob(row))
}

/** `SHOW IMPORT JOB <id>`, parsed. */
export async function showImportJob(connection: Connection, id: number): Promise<ImportJob> {
  if (!Number.isSafeInteger(id) || id < 0) throw new TypeError(`import job id must be a whole number, got ${id}`)
  const [rows] = await connection.query<RowDataPacket[]>(`SHOW IMPORT JOB ${id}`)
  const [row] = rows
  if (!row) throw new Error(`SHOW IMPORT JOB ${id} returned no row`)
  return parseImportJob(row)
}

/** What to import and how. */
export interface StartImportOptions {
  /** Target table, `table` or `db.table`. */
  readonly table: string
  /** Where the data is, as the TiDB server sees it: a path on its machine, or `s3://…` / `gs://…`. */
  readonly source: string
  /** File format. Default: TiDB's default (CSV). */
  readonly format?: 'csv' | 'sql' | 'parquet'
  /** `WITH` options, e.g. `{ skip_rows: 1, thread: 4 }`; `DETACHED` is always added. */
  readonly options?: Readonly<Record<string, string | number | boolean>>
}

/** The `IMPORT INTO … WITH DETACHED` statement for the options (identifiers and strings quoted). */
export function importIntoSql(options: StartImportOptions): string {
  if (!/^[A-Za-z0-9_$]+(\.[A-Za-z0-9_$]+)?$/.test(options.table)) throw new TypeError(`table "${options.table}" is not a table name (table or db.table)`)
  const table = options.table.split('.').map((part) => `\`${part}\``).join('.')
  const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`
  const withOptions = ['DETACHED', ...Object.entries(options.options ?? {}).map(([key, value]) => {
    if (!/^[a-z_]+$/i.test(key)) throw new TypeError(`IMPORT INTO option "${key}" is not an option name`)
    return value === true ? key : `${key}=${typeof value === 'string' ? quote(value) : String(value)}`
  })]
  return `IMPORT INTO ${table} FROM ${quote(options.source)}${options.format ? ` FORMAT ${quote(options.format)}` : ''} WITH ${withOptions.join(', ')}`
}

/** Starts an import job (detached) and returns it as TiDB reports it. */
export async function startImport(connection: Connection, options: StartImportOptions): Promise<ImportJob> {
  const [rows] = await connection.query<RowDataPacket[]>(importIntoSql(options))
  const [row] = rows
  if (!row) throw new Error('IMPORT INTO … WITH DETACHED returned no job')
  return parseImportJob(row)
}
