import type { Machine } from './machine.ts'
import type { RunResult } from './trace.ts'

const id = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '_')
const label = (text: string) => text.replace(/[;#\n]/g, ' ').replace(/\s+/g, ' ').trim()

/**
 * The machine as a Mermaid `stateDiagram-v2`: declared transitions (`next`), plus those a run
 * took when one is given (drawn dashed in the note, since Mermaid has no dashed state edges).
 */
export function stateDiagram(machine: Machine<never> | Machine<unknown>, run?: Pick<RunResult<unknown>, 'trace'>): string {
  const { definition } = machine as Machine<unknown>
  const lines = ['stateDiagram-v2']
  for (const name of machine.stateNames) if (id(name) !== name) lines.push(`  state "${name}" as ${id(name)}`)
  lines.push(`  [*] --> ${id(definition.initial)}`)
  const edges = new Set<string>()
  for (const [name, state] of Object.entries(definition.states)) for (const next of state.next ?? []) edges.add(`${id(name)} --> ${id(next)}`)
  for (const entry of run?.trace ?? []) if (entry.next) edges.add(`${id(entry.state)} --> ${id(entry.next)}`)
  for (const edge of edges) lines.push(`  ${edge}`)
  for (const [name, state] of Object.entries(definition.states)) if (state.final) lines.push(`  ${id(name)} --> [*]`)
  const failed = run?.trace.find((entry) => entry.error)
  if (failed) lines.push(`  note right of ${id(failed.state)}: failed here`)
  return lines.join('\n')
}

/** One thing that happened in a coordinated run, for the sequence diagram. */
interface Happening {
  readonly atMs: number
  readonly order: number
  readonly line: string
}

/**
 * A coordinated run as a Mermaid `sequenceDiagram`: each session's states against the database,
 * in time order, with blocked steps marked and their completion when they unblock.
 */
export function sequenceDiagram(runs: readonly Pick<RunResult<unknown>, 'session' | 'trace'>[]): string {
  const lines = ['sequenceDiagram', ...runs.map((run) => `  participant ${id(run.session)} as ${run.session}`), '  participant db as database']
  const happenings: Happening[] = []
  let order = 0
  for (const run of runs) {
    const who = id(run.session)
    for (const entry of run.trace) {
      const sql = entry.statements.map((s) => s.sql).join('; ')
      happenings.push({ atMs: entry.enteredAtMs, order: order++, line: `  ${who}->>db: ${label(entry.state)}${sql ? `: ${label(truncate(sql))}` : ''}` })
      if (entry.blockedAtMs !== undefined) happenings.push({ atMs: entry.blockedAtMs, order: order++, line: `  Note over ${who}: blocked in ${label(entry.state)}` })
      const endAt = entry.enteredAtMs + entry.durationMs
      const failed = entry.error ?? entry.statements.find((s) => s.error)?.error
      const took = `${Math.round(entry.durationMs)} ms`
      const reply = failed
        ? `  db--x${who}: ${label(truncate(failed))}`
        : `  db-->>${who}: ${entry.blockedAtMs !== undefined ? `unblocked, done after ${took}` : `ok ${took}`}`
      happenings.push({ atMs: endAt, order: order++, line: reply })
    }
  }
  happenings.sort((a, b) => a.atMs - b.atMs || a.order - b.order)
  return [...lines, ...happenings.map((h) => h.line)].join('\n')
}

function truncate(text: string): string {
  return text.length > 70 ? `${text.slice(0, 70)}…` : text
}
