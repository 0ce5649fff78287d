import { randomBytes } from 'node:crypto'

/** The parts every database name of a run is made of: `<prefix>_<runId>_<scope>`. */
export interface RunNaming {
  /** The rig's prefix from config (`test.databasePrefix`), e.g. `rig`. */
  readonly prefix: string
  /** This run's id: its start time in base 36 seconds and 4 random characters. */
  readonly runId: string
}

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz'

/** A new run id; its first 6 characters encode the start time, so stale databases can be told by age. */
export function newRunId(now: Date = new Date()): string {
  const seconds = Math.floor(now.getTime() / 1000).toString(36).padStart(6, '0')
  const random = [...randomBytes(4)].map((byte) => alphabet[byte % 36]).join('')
  return `${seconds}${random}`
}

/** The name of a database of this run for one scope (a test or a file), e.g. `rig_t5x9k2ab3d_w1_17`. */
export function databaseName(naming: RunNaming, scope: string): string {
  const name = `${naming.prefix}_${naming.runId}_${scope}`
  if (!/^[a-z0-9_]+$/.test(name) || name.length > 64) {
    throw new TypeError(`database name "${name}" must be at most 64 characters of a-z, 0-9 and _`)
  }
  return name
}

/** The run and start time of a database that carries the rig's prefix, or undefined for any other name. */
export function parseRigDatabase(name: string, prefix: string): { readonly runId: string; readonly createdAt: Date } | undefined {
  const match = new RegExp(`^${prefix}_([0-9a-z]{6})([0-9a-z]{4})_[a-z0-9_]+$`).exec(name)
  if (!match?.[1] || !match[2]) return undefined
  return { runId: `${match[1]}${match[2]}`, createdAt: new Date(Number.parseInt(match[1], 36) * 1000) }
}

const scopeCharacters = /^[a-z0-9_]+$/
const runIdShape = /^[0-9a-z]{10}$/

/** True when the database was made by this very run (checked before every create and drop: no RegExp is built for it). */
export function isRunDatabase(name: string, naming: RunNaming): boolean {
  const start = `${naming.prefix}_${naming.runId}_`
  return name.length > start.length && name.startsWith(start) && scopeCharacters.test(name.slice(start.length)) && runIdShape.test(naming.runId)
}
