import type { Connection, RowDataPacket } from 'mysql2/promise'
import { parseImportJob, type ImportJob } from './import-job.ts'

export { ImportNotSupportedError, importUnsupportedReason } from './import-support.ts'

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
