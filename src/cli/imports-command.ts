import { readFile } from 'node:fs/promises'
import { extname, isAbsolute, resolve } from 'node:path'
import { parse as parseToml } from 'smol-toml'
import { z } from 'zod'
import { importJobsUnsupportedReason, ImportNotSupportedError, importUnsupportedReason } from '../scenarios/import/import-support.ts'
import { startImport } from '../scenarios/import/import-queries.ts'
import { monitorImportJobs, type ImportEvent } from '../scenarios/import/monitor.ts'
import { describeJob, progressDisplay } from '../scenarios/import/progress-display.ts'
import { openConnection } from '../server/connect.ts'
import { RigRun } from '../server/rig-run.ts'
import { loadCliConfig } from './cli-config.ts'
import type { CliOutput } from './cli-output.ts'
import { UsageError, type ConnectionFlags } from './flags.ts'

/** Options of `test-rig imports watch`. */
export interface ImportsWatchOptions extends ConnectionFlags {
  readonly format: 'text' | 'json'
  readonly monitorDuration?: string
  readonly updateInterval?: string
  readonly showDetails?: boolean
  readonly importConfig?: string
}

/** What `--import-config` describes: an import to start, then watch. */
const importConfigSchema = z.object({
  table: z.string().min(1).describe('Target table, `table` or `db.table`.'),
  source: z.string().min(1).describe('Data source as the TiDB server sees it: a path on its host, or s3://…, gs://…'),
  format: z.enum(['csv', 'sql', 'parquet']).optional(),
  options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional().describe('IMPORT INTO options, e.g. { "skip_rows": 1, "thread": 4 }'),
}).strict()

/**
 * The seed's import-job monitor: watches one job (`jobId`) or every active job, or first starts the
 * import that `--import-config` describes; live progress on a terminal, one plain line per event
 * elsewhere (CI, pipes). Exit code 0 when every watched job finished, 1 when one failed, was
 * canceled, or the duration ran out, and on an engine without import jobs.
 */
export async function importsWatch(cwd: string, jobIdText: string | undefined, options: ImportsWatchOptions, output: CliOutput): Promise<number> {
  const jobId = jobIdText === undefined ? undefined : wholeNumber(jobIdText, 'job id', 0)
  const sets = [
    ...(options.set ?? []),
    ...(options.monitorDuration === undefined ? [] : [`imports.monitorDurationSecs=${wholeNumber(options.monitorDuration, '--monitor-duration', 1)}`]),
    ...(options.updateInterval === undefined ? [] : [`imports.updateIntervalSecs=${wholeNumber(options.updateInterval, '--update-interval', 1)}`]),
    ...(options.showDetails ? ['imports.showDetails=true'] : []),
  ]
  const importConfig = options.importConfig === undefined ? undefined : await readImportConfig(resolve(cwd, options.importConfig))
  if (importConfig && jobId !== undefined) throw new UsageError('give a job id or --import-config, not both')
  const { config, origins, logger } = await loadCliConfig(cwd, { ...options, set: sets }, output)
  await using run = await RigRun.start(config, origins, logger)
  logger.info(run.startLine)
  // Watching needs SHOW IMPORT JOBS only; starting an import needs a TiKV cluster too.
  const reason = importConfig ? importUnsupportedReason(run.server.info) : importJobsUnsupportedReason(run.server.info)
  if (reason) {
    output.err(new ImportNotSupportedError(reason).message)
    return 1
  }
  const connection = await openConnection(run.server.endpoint, config.database.database ? { database: config.database.database } : {})
  const stop = new AbortController()
  const onSignal = () => stop.abort()
  process.once('SIGINT', onSignal)
  try {
    const started = importConfig
      ? await startImport(connection, { table: importConfig.table, source: isAbsolute(importConfig.source) || /^\w+:\/\//.test(importConfig.source) ? importConfig.source : resolve(cwd, importConfig.source), ...(importConfig.format ? { format: importConfig.format } : {}), ...(importConfig.options ? { options: importConfig.options } : {}) })
      : undefined
    if (started) output.err(`started import job ${started.id} into ${importConfig?.table}`)
    const plain = options.format === 'text' && (!process.stderr.isTTY || process.env.CI)
    const result = await monitorImportJobs(connection, {
      durationMs: config.imports.monitorDurationSecs * 1000,
      intervalMs: config.imports.updateIntervalSecs * 1000,
      signal: stop.signal,
      ...(started ? { jobId: started.id } : jobId === undefined ? {} : { jobId }),
      ...(options.format === 'text' ? { display: progressDisplay(process.stderr, config.imports.showDetails) } : {}),
      ...(plain ? { onEvent: (event: ImportEvent) => output.out(eventLine(event)) } : {}),
    })
    const ok = result.status === 'completed' && result.jobs.every((job) => job.status === 'finished')
    if (options.format === 'json') output.out(JSON.stringify({ status: result.status, polls: result.polls, jobs: result.jobs, events: result.events }, null, 2))
    else {
      for (const job of result.jobs) output.out(describeJob(job, config.imports.showDetails))
      output.out(`monitor ${result.status}: ${result.jobs.length} job(s) watched, ${result.polls} polls`)
    }
    return ok ? 0 : 1
  } finally {
    process.off('SIGINT', onSignal)
    connection.destroy()
  }
}

/** One plain line per monitor event, for CI logs. */
export function eventLine(event: ImportEvent): string {
  const rows = event.importedRows === null ? '' : `, ${event.importedRows} rows`
  return `${(event.atMs / 1000).toFixed(1)}s job ${event.jobId}: ${event.kind} (${event.status}${event.phase ? `/${event.phase}` : ''}${rows})${event.message ? ` — ${event.message}` : ''}`
}

async function readImportConfig(path: string): Promise<z.infer<typeof importConfigSchema>> {
  let parsed: unknown
  try {
    const text = await readFile(path, 'utf8')
    parsed = extname(path) === '.toml' ? parseToml(text) : JSON.parse(text)
  } catch (error) {
    throw new UsageError(`--import-config ${path}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`)
  }
  const result = importConfigSchema.safeParse(parsed)
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`).join('; ')
    throw new UsageError(`--import-config ${path}: ${problems}; expected { "table": "orders", "source": "/data/orders.csv", "options": { "skip_rows": 1 } }`)
  }
  return result.data
}

function wholeNumber(text: string, what: string, min: number): number {
  const value = Number(text)
  if (!Number.isInteger(value) || value < min) throw new UsageError(`${what} ${text}: a whole number of at least ${min}`)
  return value
}
