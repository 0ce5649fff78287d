import type { ImportJob } from './import-job.ts'

/** Shows the progress of import jobs while the monitor runs. */
export interface ProgressDisplay {
  /** Shows the jobs as they are now. */
  update(jobs: readonly ImportJob[]): void
  /** Leaves the last state on screen. */
  finish(): void
}

/** A display that shows nothing (CI, logs, pipes). */
export const quietDisplay: ProgressDisplay = { update() {}, finish() {} }

/**
 * A live display on an interactive terminal — one line per job, redrawn in place — and
 * {@link quietDisplay} when the stream is not a TTY or `CI` is set.
 */
export function progressDisplay(stream: NodeJS.WriteStream = process.stderr, showDetails = false, env: NodeJS.ProcessEnv = process.env): ProgressDisplay {
  if (!stream.isTTY || env.CI) return quietDisplay
  let drawn = 0
  return {
    update(jobs) {
      const lines = jobs.map((job) => describeJob(job, showDetails))
      if (drawn > 0) stream.write(`\x1b[${drawn}A`)
      for (const line of lines) stream.write(`\x1b[2K${line}\n`)
      drawn = lines.length
    },
    finish() {
      drawn = 0
    },
  }
}

/** One line about a job: id, table, status, phase, rows and size. */
export function describeJob(job: ImportJob, showDetails = false): string {
  const rows = job.importedRows === null ? '' : ` ${job.importedRows.toLocaleString('en')} rows`
  const size = job.sourceFileSize ? ` of ${job.sourceFileSize}` : ''
  const phase = job.phase ? ` ${job.phase}` : ''
  const details = showDetails ? ` from ${job.dataSource}${job.resultMessage ? ` — ${job.resultMessage}` : ''}` : ''
  return `import job ${job.id} ${job.targetTable}: ${job.status}${phase}${rows}${size}${details}`
}
