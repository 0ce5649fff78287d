import { isTransient } from '../resilience/classify.ts'
import type { FaultableMethod } from './fault-controller.ts'
import { mysqlErrors } from './mysql-errors.ts'

/** Faults a schedule can place: mysql2-shaped driver errors by name, and `networkReset` (the proxy's open connections are reset). */
export const scheduleFaultKinds = ['deadlock', 'lockWaitTimeout', 'tidbWriteConflict', 'connectionLost', 'syntaxError', 'accessDenied', 'networkReset'] as const

/** A fault a schedule can place. */
export type ScheduleFaultKind = (typeof scheduleFaultKinds)[number]

/** One fault of a schedule: the `call`-th statement (1-based, counted from when the schedule is armed) meets `kind`. */
export interface ScheduledFault {
  /** Which call it fails, 1-based. */
  readonly call: number
  /** What it fails with. */
  readonly kind: ScheduleFaultKind
}

/** Faults placed on the calls of a test, in call order. */
export interface FaultSchedule {
  /** The faults, by ascending call. */
  readonly faults: readonly ScheduledFault[]
}

/** The calls a schedule counts: every method that sends a statement. */
export const scheduledMethods: readonly FaultableMethod[] = ['query', 'execute', 'beginTransaction', 'commit', 'rollback']

/** The error a driver fault kind raises (a fresh one each time); undefined for `networkReset`, which cuts the connection instead. */
export function scheduledError(kind: ScheduleFaultKind): Error | undefined {
  return kind === 'networkReset' ? undefined : mysqlErrors[kind]()
}

/** Whether a retry can get past this kind (MySQL/TiDB classification: deadlocks, timeouts, lost connections). */
export function isTransientKind(kind: ScheduleFaultKind): boolean {
  return kind === 'networkReset' || isTransient(scheduledError(kind))
}

/** A schedule of the given faults, sorted by call; two faults on one call are refused. */
export function faultSchedule(faults: readonly ScheduledFault[]): FaultSchedule {
  const sorted = [...faults].sort((a, b) => a.call - b.call)
  sorted.forEach((fault, index) => {
    if (!Number.isInteger(fault.call) || fault.call < 1) throw new RangeError(`a scheduled fault's call must be a whole number from 1, got ${String(fault.call)}`)
    if (index > 0 && sorted[index - 1]?.call === fault.call) throw new RangeError(`two faults are scheduled on call ${fault.call}: give each call one fault`)
  })
  return { faults: sorted }
}

/** The permanent faults of a schedule (those no retry gets past), in call order. */
export function permanentFaults(schedule: FaultSchedule): ScheduledFault[] {
  return schedule.faults.filter((fault) => !isTransientKind(fault.kind))
}

/** A schedule as a readable list: `call 2: deadlock (transient); call 5: syntaxError (permanent)`, or `no faults`. */
export function describeSchedule(schedule: FaultSchedule): string {
  if (schedule.faults.length === 0) return 'no faults'
  return schedule.faults.map((fault) => `call ${fault.call}: ${fault.kind} (${isTransientKind(fault.kind) ? 'transient' : 'permanent'})`).join('; ')
}
