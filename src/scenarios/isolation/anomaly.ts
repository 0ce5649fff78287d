/** One step of an anomaly's interleaving: which session runs which statement; `label` names a read for the decision. */
export type AnomalyStep = readonly [session: string, sql: string, label?: string]

/** What the sessions saw, for an anomaly's decision. */
export interface Observation {
  /** `value` of the first row a labelled read returned; null when it returned no row. */
  value(label: string): number | null
  /** The rows a labelled step returned. */
  rows(label: string): readonly Record<string, unknown>[]
  /** Rows a labelled write changed. */
  affected(label: string): number
  /** Whether a session's transaction committed: it reached COMMIT without an error or an abort. */
  committed(session: string): boolean
  /** The table after every session ended, id → value. */
  readonly final: ReadonlyMap<number, number>
}

/** An anomaly's verdict from what the sessions saw. */
export interface Verdict {
  /** True when the anomaly happened. */
  readonly anomaly: boolean
  /** What the sessions saw that decided it, in words. */
  readonly evidence: string
}

/** An isolation anomaly as a coordinated interleaving and a decision on what the sessions saw. */
export interface AnomalyScenario {
  /** Short name from the literature, e.g. `G1a` or `PMP-write`. */
  readonly id: string
  /** What it is. */
  readonly title: string
  /** Rows of `test (id, value)` before the run. Default: (1, 10), (2, 20). */
  readonly rows?: readonly (readonly [number, number])[]
  /** The interleaving, in order. */
  readonly steps: readonly AnomalyStep[]
  /** Decides from what was observed. */
  decide(observed: Observation): Verdict
}

/** Declares an anomaly scenario (yours or the catalogue's); checks that labels are unique. */
export function defineAnomaly(scenario: AnomalyScenario): AnomalyScenario {
  const labels = scenario.steps.flatMap(([, , label]) => (label ? [label] : []))
  if (new Set(labels).size !== labels.length) throw new TypeError(`anomaly ${scenario.id}: step labels must be unique`)
  if (scenario.steps.length === 0) throw new TypeError(`anomaly ${scenario.id}: no steps`)
  return scenario
}
