/** A machine definition that cannot run. */
export class MachineDefinitionError extends Error {
  /** Stable error code. */
  readonly code = 'TEST_RIG_MACHINE_DEFINITION'

  constructor(machineId: string, problems: readonly string[]) {
    super(`machine "${machineId}" is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'MachineDefinitionError'
  }
}

/** Which handler of a state was running (`turn`: none yet, the state waited for its turn in a coordinator's order). */
export type HandlerPhase = 'turn' | 'enter' | 'execute' | 'exit' | 'transition'

/** A machine ended with an error: names the machine, the state, the phase and the SQL in flight. */
export class MachineError extends Error {
  /** Stable error code: `TEST_RIG_STATE_FAILED`, `TEST_RIG_STATE_TIMEOUT`, `TEST_RIG_MACHINE_TIMEOUT` or `TEST_RIG_UNKNOWN_STATE`. */
  readonly code: string
  /** The machine. */
  readonly machineId: string
  /** The state it happened in. */
  readonly state: string
  /** The handler that was running. */
  readonly phase: HandlerPhase
  /** The statement that was running, if any. */
  readonly sql: string | undefined

  constructor(code: string, machineId: string, state: string, phase: HandlerPhase, summary: string, options: { cause?: unknown; sql?: string | undefined } = {}) {
    const during = options.sql ? `\n  while running: ${options.sql}` : ''
    super(`machine "${machineId}", state "${state}" (${phase}): ${summary}${during}`, { cause: options.cause })
    this.name = 'MachineError'
    this.code = code
    this.machineId = machineId
    this.state = state
    this.phase = phase
    this.sql = options.sql
  }
}

/** A barrier whose sessions can no longer all arrive (one of them failed). */
export class BarrierBrokenError extends Error {
  /** Stable error code. */
  readonly code = 'TEST_RIG_BARRIER_BROKEN'

  constructor(barrier: string, reason: string) {
    super(`barrier "${barrier}" is broken: ${reason}`)
    this.name = 'BarrierBrokenError'
  }
}
