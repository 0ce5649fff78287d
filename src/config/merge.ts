import { isPlainObject, type Setting } from './settings.ts'

/** Settings of all sources merged into one object, with the origin of every field that was set. */
export interface MergedSettings {
  /** The merged raw values, nested by section. */
  readonly values: Record<string, unknown>
  /** Origin of each field by dotted path, e.g. `database.port` → `environment variable TIDB_HOST`. */
  readonly origins: ReadonlyMap<string, string>
}

/** Applies settings in order, lowest priority first; a later setting of the same field wins. */
export function mergeSettings(settings: Iterable<Setting>): MergedSettings {
  const values: Record<string, unknown> = {}
  const origins = new Map<string, string>()
  for (const setting of settings) {
    let node = values
    for (const key of setting.path.slice(0, -1)) {
      const next = node[key]
      if (!isPlainObject(next)) node[key] = {}
      node = node[key] as Record<string, unknown>
    }
    const leaf = setting.path.at(-1)
    if (leaf === undefined) continue
    node[leaf] = setting.value
    origins.set(setting.path.join('.'), setting.origin)
  }
  return { values, origins }
}

/** Reads the value at a path of a nested object, or undefined. */
export function valueAt(values: Readonly<Record<string, unknown>>, path: readonly PropertyKey[]): unknown {
  let node: unknown = values
  for (const key of path) {
    if (!isPlainObject(node)) return undefined
    node = node[key as string]
  }
  return node
}
