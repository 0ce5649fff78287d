import fc from 'fast-check'
import { describeSchedule, faultSchedule, scheduleFaultKinds, isTransientKind, type FaultSchedule, type ScheduleFaultKind } from './schedule.ts'

/** Options of {@link faultSchedules}. */
export interface FaultSchedulesOptions {
  /** Faults fall on calls 1 to `calls`. */
  readonly calls: number
  /** At most this many faults in a schedule. Default 3. */
  readonly maxFaults?: number
  /** Fault kinds to draw from, in the order shrinking prefers (first: simplest). Default: the transient driver faults. */
  readonly kinds?: readonly ScheduleFaultKind[]
}

/**
 * A fast-check arbitrary of fault schedules: up to `maxFaults` faults of the given kinds on
 * distinct calls from 1 to `calls`. A failing property shrinks to fewer faults, earlier calls and
 * the earlier kinds of the list, and fast-check prints the schedule as a readable list
 * (`call 3: deadlock (transient)`).
 */
export function faultSchedules(options: FaultSchedulesOptions): fc.Arbitrary<FaultSchedule> {
  const { calls, maxFaults = 3, kinds = scheduleFaultKinds.filter((kind) => kind !== 'networkReset' && isTransientKind(kind)) } = options
  if (!Number.isInteger(calls) || calls < 1) throw new RangeError(`calls must be a whole number from 1, got ${String(calls)}`)
  if (kinds.length === 0) throw new RangeError('kinds is empty: name at least one fault kind')
  const fault = fc.record({ call: fc.integer({ min: 1, max: calls }), kind: fc.constantFrom(...kinds) })
  return fc
    .uniqueArray(fault, { maxLength: Math.min(maxFaults, calls), selector: (entry) => entry.call })
    .map((faults) => printable(faultSchedule(faults)))
}

/** The schedule, printed by fast-check (and `String()`) as its readable list. */
function printable(schedule: FaultSchedule): FaultSchedule {
  const text = describeSchedule(schedule)
  return Object.defineProperties(schedule, {
    [fc.toStringMethod]: { value: () => text },
    toString: { value: () => text },
  })
}
