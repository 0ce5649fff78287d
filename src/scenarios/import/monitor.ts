import { setTimeout as sleep } from 'node:timers/promises'
import type { Connection } from 'mysql2/promise'
import { defineMachine, type Machine } from '../../machines/machine.ts'
import { runMachine } from '../../machines/run-machine.ts'
import type { RunResult } from '../../machines/trace.ts'
import type { ImportJob } from './import-job.ts'
import { showImportJob, showImportJobs } from './import-queries.ts'
import { quietDisplay, type ProgressDisplay } from './progress-display.ts'

/** Something that changed in a job between two polls. */
export interface ImportEvent {
  /** Ms since the monitor started. */
  readonly atMs: number
  readonly jobId: number
  /** `seen` (first poll), `status`, `phase`, `progress` (rows moved), or the end: `finished`, `failed`, `canceled`. */
  readonly kind: 'seen' | 'status' | 'phase' | 'progress' | 'finished' | 'failed' | 'canceled'
  readonly status: string
  readonly phase: string
  readonly importedRows: number | null
  /** The job's message, for failures. */
  readonly message: string
}

/** Options of {@link monitorImportJobs}. */
export interface MonitorOptions {
  /** Watch this job; default: every job that is active (no end time) at the first poll. */
  readonly jobId?: number
  /** Give up after this many ms (`imports.monitorDurationSecs`). */
  readonly durationMs: number
  /** Pause between polls in ms (`imports.updateIntervalSecs`). */
  readonly intervalMs: number
  /** Stops the monitor cleanly (e.g. on Ctrl-C). */
  readonly signal?: AbortSignal
  /** Called for every event as it happens. */
  readonly onEvent?: (event: ImportEvent) => void
  /** Live display; default: none. */
  readonly display?: ProgressDisplay
}

/** How the monitor ended and what it saw. */
export interface MonitorResult {
  /** `completed`: every watched job ended; `timed-out`: the duration passed; `stopped`: the signal fired; `failed`: a poll failed. */
  readonly status: 'completed' | 'timed-out' | 'stopped' | 'failed'
  /** The watched jobs as last seen. */
  readonly jobs: readonly ImportJob[]
  /** Every change, in order. */
  readonly events: readonly ImportEvent[]
  /** Polls made. */
  readonly polls: number
  /** The monitor's own run (a state machine): trace, Mermaid diagram. */
  readonly run: RunResult<MonitorData>
}

/** The monitor machine's data. */
export interface MonitorData {
  readonly jobs: Map<number, ImportJob>
  readonly events: ImportEvent[]
  watched: Set<number> | undefined
  polls: number
  stopped: boolean
}

const ended = new Set(['finished', 'failed', 'canceled'])

/** The import monitor as a machine: polling ⇄ waiting, until every watched job has ended. */
export function importMonitorMachine(options: MonitorOptions): Machine<MonitorData> {
  const startedAt = performance.now()
  const display = options.display ?? quietDisplay
  return defineMachine<MonitorData>({
    id: 'import-monitor',
    initial: 'polling',
    data: () => ({ jobs: new Map(), events: [], watched: options.jobId === undefined ? undefined : new Set([options.jobId]), polls: 0, stopped: false }),
    states: {
      polling: {
        next: ['waiting', 'done'],
        async execute({ conn, data }) {
          const seen = options.jobId === undefined ? await showImportJobs(conn) : [await showImportJob(conn, options.jobId)]
          data.polls++
          data.watched ??= new Set(seen.filter((job) => job.active).map((job) => job.id))
          const watched = data.watched
          for (const job of seen.filter((candidate) => watched.has(candidate.id))) {
            for (const event of changes(data.jobs.get(job.id), job, performance.now() - startedAt)) {
              data.events.push(event)
              options.onEvent?.(event)
            }
            data.jobs.set(job.id, job)
          }
          display.update([...data.jobs.values()])
          const open = [...watched].filter((id) => !ended.has(data.jobs.get(id)?.status ?? ''))
          return open.length === 0 ? 'done' : 'waiting'
        },
      },
      waiting: {
        next: ['polling', 'done'],
        async execute({ data, signal }) {
          const stop = options.signal ? AbortSignal.any([signal, options.signal]) : signal
          try {
            await sleep(options.intervalMs, undefined, { signal: stop })
          } catch {
            if (options.signal?.aborted) {
              data.stopped = true
              return 'done'
            }
            throw new Error('the monitor was interrupted')
          }
          return 'polling'
        },
      },
      done: { final: true, enter: () => display.finish() },
    },
  })
}

/** Watches import jobs until they end, the duration passes, or the signal fires; never polls faster than the interval. */
export async function monitorImportJobs(connection: Connection, options: MonitorOptions): Promise<MonitorResult> {
  const run = await runMachine(importMonitorMachine(options), { conn: connection, timeoutMs: options.durationMs })
  const { data } = run
  const status = run.status === 'timed-out' ? 'timed-out' : run.status === 'failed' ? 'failed' : data.stopped ? 'stopped' : 'completed'
  return { status, jobs: [...data.jobs.values()], events: data.events, polls: data.polls, run }
}

function changes(before: ImportJob | undefined, now: ImportJob, atMs: number): ImportEvent[] {
  const event = (kind: ImportEvent['kind']): ImportEvent => ({ atMs, jobId: now.id, kind, status: now.status, phase: now.phase, importedRows: now.importedRows, message: now.resultMessage })
  if (!before) return [event('seen'), ...(ended.has(now.status) ? [event(now.status as ImportEvent['kind'])] : [])]
  const out: ImportEvent[] = []
  if (before.status !== now.status) out.push(event(ended.has(now.status) ? (now.status as ImportEvent['kind']) : 'status'))
  if (before.phase !== now.phase && now.phase !== '') out.push(event('phase'))
  if ((before.importedRows ?? 0) !== (now.importedRows ?? 0) && !ended.has(now.status)) out.push(event('progress'))
  return out
}
