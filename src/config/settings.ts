/** One configuration value as a source gives it: the field's path, the value and where it came from. */
export interface Setting {
  /** Path of the field, e.g. `['database', 'port']`. */
  readonly path: readonly string[]
  /** The raw value, before validation. */
  readonly value: unknown
  /** Where the value came from, e.g. `environment variable TIDB_HOST`; used in error messages. */
  readonly origin: string
}

/** Turns a nested object into settings, one per leaf; keys starting with `$` (comments, `$schema`) are skipped. */
export function flattenToSettings(
  source: Readonly<Record<string, unknown>>,
  origin: string,
  renameKey: (key: string) => string = (key) => key,
  prefix: readonly string[] = [],
): Setting[] {
  const settings: Setting[] = []
  for (const [rawKey, value] of Object.entries(source)) {
    if (rawKey.startsWith('$') || value === undefined) continue
    const path = [...prefix, renameKey(rawKey)]
    if (isPlainObject(value)) settings.push(...flattenToSettings(value, origin, renameKey, path))
    else settings.push({ path, value, origin })
  }
  return settings
}

/** True for `{...}` objects, false for arrays, null, class instances and primitives. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** `pool_size` → `poolSize`; camelCase keys pass unchanged. */
export function snakeToCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase())
}
