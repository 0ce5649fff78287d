import type { Connection } from 'mysql2/promise'
import { MachineDefinitionError } from './errors.ts'

/** What every handler receives: the session's connection, the author's data, and engine services. */
export interface MachineContext<Data> {
  /** The machine's id. */
  readonly machineId: string
  /** The session name under a coordinator (the machine id under `rig.run`). */
  readonly session: string
  /** The state being run. */
  readonly state: string
  /** The session's connection; every statement through it is recorded in the trace of the current state. */
  readonly conn: Connection
  /** The author's data, typed by the machine; handlers may change it. */
  readonly data: Data
  /** Aborted when the state or the machine times out. */
  readonly signal: AbortSignal
  /** Waits until every session of a coordinated run has reached the barrier of this name. */
  barrier(name: string): Promise<void>
  /** Adds a note to the trace of the current state. */
  note(text: string): void
}

/** What every state may have: hooks around its work, and a timeout. */
interface StateHooks<Data> {
  /** Runs when the state is entered. */
  enter?(context: MachineContext<Data>): Promise<void> | void
  /** Runs when the state is left — also after an error or a timeout in `enter` or `execute`. */
  exit?(context: MachineContext<Data>): Promise<void> | void
  /** Timeout of this state (enter, execute and exit), in ms. */
  readonly timeoutMs?: number
}

/** A state that moves on: `execute` returns the next state, one of those `next` lists. */
export interface StepState<Data> extends StateHooks<Data> {
  /** Does the state's work and returns the next state. */
  execute(context: MachineContext<Data>): Promise<string> | string
  /** The states `execute` may return: every machine can be drawn and checked from them. */
  readonly next: readonly string[]
  /** Not final. */
  readonly final?: false
}

/** A state where the machine ends; its `execute`, if any, does the last work. */
export interface FinalState<Data> extends StateHooks<Data> {
  /** The last work of the machine. */
  execute?(context: MachineContext<Data>): Promise<void> | void
  /** The machine ends here. */
  readonly final: true
  /** A final state moves nowhere. */
  readonly next?: never
}

/** The handlers of one state: a step (`execute` and its `next` states) or a final state. */
export type StateHandler<Data> = StepState<Data> | FinalState<Data>

/** A machine as data: an id, the initial state, the states, and how to make its data. */
export interface MachineDefinition<Data> {
  /** Name of the machine, used in traces, errors and diagrams. */
  readonly id: string
  /** The state it starts in. */
  readonly initial: string
  /** Its states by name. */
  readonly states: Readonly<Record<string, StateHandler<Data>>>
  /** Makes the initial data of a run. */
  readonly data?: () => Data
  /** Timeout of the whole run, in ms. */
  readonly timeoutMs?: number
}

/** A validated machine; `withState` makes a new machine with a state added or replaced (dynamic states). */
export class Machine<Data = Record<string, unknown>> {
  /** The definition. */
  readonly definition: MachineDefinition<Data>
  readonly #stateNames: readonly string[]
  readonly #states: ReadonlySet<string>

  constructor(definition: MachineDefinition<Data>) {
    validate(definition)
    this.definition = definition
    this.#stateNames = Object.freeze(Object.keys(definition.states))
    this.#states = new Set(this.#stateNames)
  }

  /** Machine id. */
  get id(): string {
    return this.definition.id
  }

  /** State names in declaration order. */
  get stateNames(): readonly string[] {
    return this.#stateNames
  }

  /** Whether the machine has a state of this name. */
  hasState(name: string): boolean {
    return this.#states.has(name)
  }

  /** A copy of this machine with one more (or a replaced) state. */
  withState(name: string, handler: StateHandler<Data>): Machine<Data> {
    return new Machine({ ...this.definition, states: { ...this.definition.states, [name]: handler } })
  }

  /** A copy with other options (id, initial state, data, timeout). */
  with(changes: Partial<Omit<MachineDefinition<Data>, 'states'>>): Machine<Data> {
    return new Machine({ ...this.definition, ...changes })
  }
}

/** Defines a machine; throws {@link MachineDefinitionError} naming what is wrong. */
export function defineMachine<Data = Record<string, unknown>>(definition: MachineDefinition<Data>): Machine<Data> {
  return new Machine(definition)
}

function validate<Data>(definition: MachineDefinition<Data>): void {
  const names = Object.keys(definition.states)
  const problems: string[] = []
  if (!definition.id) problems.push('it has no id')
  if (!(definition.initial in definition.states)) problems.push(`initial state "${definition.initial}" is not one of its states (${names.join(', ') || 'none'})`)
  if (!names.some((name) => definition.states[name]?.final)) problems.push('it has no final state (mark one with final: true)')
  // Checked as data: a definition may come from plain JavaScript, whatever its type says.
  for (const [name, state] of Object.entries(definition.states) as [string, { final?: boolean; next?: readonly string[]; execute?: unknown }][]) {
    if (state.final && state.next?.length) problems.push(`final state "${name}" lists next states`)
    if (!state.final && !state.execute) problems.push(`state "${name}" is neither final nor has an execute handler to pick the next state`)
    else if (!state.final && !state.next?.length) problems.push(`state "${name}" lists no next states: give it next: [...] with the states its execute can return (or final: true)`)
    for (const next of state.next ?? []) if (!(next in definition.states)) problems.push(`state "${name}" lists next state "${next}", which does not exist`)
  }
  if (problems.length > 0) throw new MachineDefinitionError(definition.id || '(no id)', problems)
}

