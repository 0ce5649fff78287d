/**
 * test-rig/schedules: fault schedules as properties. `faultSchedules()` is a fast-check arbitrary
 * of schedules for `faults.schedule()`; a failing property shrinks to the smallest failing one.
 * Its own entry point, so that fast-check loads only in specs that use it.
 */
export { faultSchedules, type FaultSchedulesOptions } from './faults/schedule-arbitrary.ts'
export { describeSchedule, faultSchedule, isTransientKind, permanentFaults, scheduledError, scheduledMethods, scheduleFaultKinds, type FaultSchedule, type ScheduledFault, type ScheduleFaultKind } from './faults/schedule.ts'
