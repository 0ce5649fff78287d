import { randomBytes } from 'node:crypto'

/** The parts every database name of a run is made of: `<prefix>_<runId>_<scope>`. */
export interface RunNaming {
  /** The rig's prefix from config (`test.databasePrefix`), e.g. `rig`. */
  readonly prefix: string
  /** This run's id: its start time in base 36 seconds and 4 random characters. */
  readonly runId: string
}

/** One shape of database name the rig makes on a server. */
export interface NameShape {
  /** What it is called in messages and docs. */
  readonly kind: string
  /** How the name looks, for people: `<prefix>_<run>_w<worker>_t<n>`. */
  readonly pattern: string
  /** `run`: carries a run id, and goes with its run (dropped at its end, or swept once it is dead); `shared`: outlives runs. */
  readonly owner: 'run' | 'shared'
  /** What the database holds. */
  readonly holds: string
  /** For a run's names: what follows `<prefix>_<run>_`. */
  readonly scope?: RegExp
}

/**
 * Every shape of database name the rig makes, declared once: the guard before each create and
 * drop, the sweep of dead runs and the documentation all read this list. A name of a run that no
 * shape here describes is never made, never dropped and never swept.
 */
export const nameShapes: readonly NameShape[] = [
  { kind: 'test', pattern: '<prefix>_<run>_w<worker>_t<n>', owner: 'run', holds: 'a test\'s own database (a copy of the schema template when the project declares one)', scope: /^w[0-9a-z]+_t[0-9]+$/ },
  { kind: 'file', pattern: '<prefix>_<run>_w<worker>_f<n>', owner: 'run', holds: 'one file\'s database (`test.databaseScope` `file` or `rollback`)', scope: /^w[0-9a-z]+_f[0-9]+$/ },
  { kind: 'spares', pattern: '<prefix>_<run>_spares', owner: 'run', holds: 'the run\'s list of unused databases that a later worker of the run may claim', scope: /^spares$/ },
  { kind: 'kept copy', pattern: '<prefix>_<run>_kept<n>', owner: 'run', holds: 'a first copy of the schema template kept in a local server\'s data directory, ready for the next run\'s first tests', scope: /^kept[0-9]+$/ },
  { kind: 'command', pattern: '<prefix>_<run>_isolation, <prefix>_<run>_run_basic, <prefix>_<run>_run_multi, <prefix>_<run>_history', owner: 'run', holds: 'the scratch database of a `test-rig isolation`, `test-rig run` or `test-rig history run` command', scope: /^(isolation|run_basic|run_multi|history)$/ },
  { kind: 'template', pattern: '<prefix>_tpl_<key>', owner: 'shared', holds: 'a schema template, keyed by a hash of its files, setup version and server; built once by one run, read by every run with the same key' },
  { kind: 'kept failure', pattern: '<prefix>_failed_<run>_<n>', owner: 'shared', holds: 'the database of a failed test, kept on a server that outlives runs (`forensics.keepFailedDatabases`); the oldest go when there are more than that' },
  { kind: 'registry', pattern: '<prefix>__test_rig', owner: 'shared', holds: 'the registry of live runs on a shared server (heartbeats); never dropped' },
]

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz'
const runScopes = nameShapes.flatMap((shape) => (shape.scope ? [shape.scope] : []))
const runIdShape = /^[0-9a-z]{10}$/

/** A new run id; its first 6 characters encode the start time, so stale databases can be told by age. */
export function newRunId(now: Date = new Date()): string {
  const seconds = Math.floor(now.getTime() / 1000).toString(36).padStart(6, '0')
  const random = [...randomBytes(4)].map((byte) => alphabet[byte % 36]).join('')
  return `${seconds}${random}`
}

/** What every name of the run starts with: `<prefix>_<run>_`. */
export function runNamePrefix(naming: RunNaming): string {
  return `${naming.prefix}_${naming.runId}_`
}

/**
 * The name of a database of this run for one scope (`w1_t17`, `spares`, `kept2`, …), e.g.
 * `rig_t5x9k2ab3d_w1_t17`. A scope of no declared shape (see {@link nameShapes}) is refused.
 */
export function databaseName(naming: RunNaming, scope: string): string {
  const name = `${runNamePrefix(naming)}${scope}`
  if (!/^[a-z0-9_]+$/.test(name) || name.length > 64) {
    throw new TypeError(`database name "${name}" must be at most 64 characters of a-z, 0-9 and _`)
  }
  if (!runScopes.some((shape) => shape.test(scope))) throw new TypeError(`database name "${name}" has no declared shape (see nameShapes in src/server/database-names.ts)`)
  return name
}

/** The name of the schema template with `key` (see `templateKey`). */
export function templateName(prefix: string, key: string): string {
  return `${prefix}_tpl_${key}`
}

/** The name of the `n`-th kept database of a failed test of run `naming` (see `forensics.keepFailedDatabases`). */
export function failedDatabaseName(naming: RunNaming, n: number): string {
  return `${naming.prefix}_failed_${naming.runId}_${n}`
}

/** The run and number of a kept failed test's database under `prefix`, or undefined for any other name. */
export function parseFailedDatabase(name: string, prefix: string): { readonly runId: string; readonly n: number } | undefined {
  const start = `${prefix}_failed_`
  if (!name.startsWith(start)) return undefined
  const match = /^([0-9a-z]{10})_([0-9]{1,9})$/.exec(name.slice(start.length))
  return match ? { runId: match[1] as string, n: Number(match[2]) } : undefined
}

/** The run and start time of a database of one of the run shapes under `prefix`, or undefined for any other name. */
export function parseRigDatabase(name: string, prefix: string): { readonly runId: string; readonly createdAt: Date } | undefined {
  const start = `${prefix}_`
  if (!name.startsWith(start)) return undefined
  const runId = name.slice(start.length, start.length + 10)
  const naming = { prefix, runId }
  if (!isRunDatabase(name, naming)) return undefined
  return { runId, createdAt: new Date(Number.parseInt(runId.slice(0, 6), 36) * 1000) }
}

/**
 * True when the name is one this very run makes: `<prefix>_<run>_` and a scope of a declared
 * shape. Checked before every create and drop and by the sweep of dead runs (no RegExp is built).
 */
export function isRunDatabase(name: string, naming: RunNaming): boolean {
  const start = runNamePrefix(naming)
  if (name.length <= start.length || !name.startsWith(start) || !runIdShape.test(naming.runId)) return false
  const scope = name.slice(start.length)
  return runScopes.some((shape) => shape.test(scope))
}
