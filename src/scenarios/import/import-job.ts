import { z } from 'zod'

/** Statuses TiDB documents for import jobs; others are kept as they come. */
export const importStatuses = ['pending', 'running', 'canceled', 'failed', 'finished'] as const

const timestamp = z.union([z.date(), z.string(), z.null()]).transform((value, context) => {
  if (value === null || value === '') return null
  if (value instanceof Date) return value
  const parsed = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`)
  if (Number.isNaN(parsed.getTime())) {
    context.addIssue({ code: 'custom', message: `not a time: "${value}"` })
    return z.NEVER
  }
  return parsed
})

const count = z.union([z.number(), z.bigint(), z.string().regex(/^\d+$/), z.null()]).transform((value) => (value === null ? null : Number(value)))

/** One row of `SHOW IMPORT JOBS` / `SHOW IMPORT JOB <id>`, as TiDB 7.2+ documents it; columns added by later versions are kept in `extra`. */
export const importJobRowSchema = z.looseObject({
  Job_ID: z.union([z.number(), z.bigint(), z.string().regex(/^\d+$/)]).transform(Number),
  Data_Source: z.string(),
  Target_Table: z.string(),
  Table_ID: count,
  Phase: z.string().nullable().transform((phase) => phase ?? ''),
  Status: z.string(),
  Source_File_Size: z.string().nullable().transform((size) => size ?? ''),
  Imported_Rows: count,
  Result_Message: z.string().nullable().transform((message) => message ?? ''),
  Create_Time: timestamp,
  Start_Time: timestamp,
  End_Time: timestamp,
  Created_By: z.string().nullable().transform((user) => user ?? ''),
})

/** An import job, typed. */
export interface ImportJob {
  readonly id: number
  readonly dataSource: string
  readonly targetTable: string
  readonly tableId: number | null
  /** `importing`, `validating`, `add-index`, … (empty before it starts and after it ends). */
  readonly phase: string
  /** `pending`, `running`, `canceled`, `failed`, `finished` (or a newer status). */
  readonly status: string
  /** As TiDB prints it, e.g. `11GB` or `1.02KiB`. */
  readonly sourceFileSize: string
  /** The same in bytes, when it can be read. */
  readonly sourceFileBytes: number | undefined
  readonly importedRows: number | null
  readonly resultMessage: string
  readonly createTime: Date | null
  readonly startTime: Date | null
  readonly endTime: Date | null
  readonly createdBy: string
  /** Columns this version of the rig does not know, as they came. */
  readonly extra: Readonly<Record<string, unknown>>
  /** True until the job has an end time (the seed's definition of active). */
  readonly active: boolean
}

/** A row that is not an import job row; names the column and the value. */
export class ImportJobRowError extends Error {
  /** Stable error code. */
  readonly code = 'TEST_RIG_IMPORT_JOB_ROW'

  constructor(problems: readonly string[]) {
    super(`test-rig: a SHOW IMPORT JOBS row does not have the documented columns:\n${problems.map((p) => `  - ${p}`).join('\n')}\nFix: check the server is TiDB 7.2 or later; report the row if it is.`)
    this.name = 'ImportJobRowError'
  }
}

const known = new Set(Object.keys(importJobRowSchema.shape))

/** Parses one row; throws {@link ImportJobRowError} naming each bad column. */
export function parseImportJob(row: Readonly<Record<string, unknown>>): ImportJob {
  const parsed = importJobRowSchema.safeParse(row)
  if (!parsed.success) {
    throw new ImportJobRowError(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(row)'} = ${JSON.stringify(row[String(issue.path[0])]) ?? 'missing'}: ${issue.message}`))
  }
  const r = parsed.data
  return {
    id: r.Job_ID,
    dataSource: r.Data_Source,
    targetTable: r.Target_Table,
    tableId: r.Table_ID,
    phase: r.Phase,
    status: r.Status,
    sourceFileSize: r.Source_File_Size,
    sourceFileBytes: parseSize(r.Source_File_Size),
    importedRows: r.Imported_Rows,
    resultMessage: r.Result_Message,
    createTime: r.Create_Time,
    startTime: r.Start_Time,
    endTime: r.End_Time,
    createdBy: r.Created_By,
    extra: Object.fromEntries(Object.entries(row).filter(([key]) => !known.has(key))),
    active: r.End_Time === null,
  }
}

const units: Readonly<Record<string, number>> = {
  b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, pb: 1e15,
  kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40, pib: 2 ** 50,
}

/** Reads a size as TiDB prints it (`11GB`, `1.02KiB`, `512B`, `0`) into bytes; undefined when unreadable. */
export function parseSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgtp]?i?b)?\s*$/i.exec(text)
  if (!match?.[1]) return undefined
  const unit = (match[2] ?? 'b').toLowerCase()
  const factor = units[unit]
  return factor === undefined ? undefined : Math.round(Number(match[1]) * factor)
}
