import { access, readFile } from 'node:fs/promises'
import { basename, extname, join, resolve } from 'node:path'
import { parse as parseToml } from 'smol-toml'
import { ConfigError } from './errors.ts'
import { flattenToSettings, isPlainObject, snakeToCamel, type Setting } from './settings.ts'

/** File names searched for in the project root, first found wins: the rig's own, then the seed's. */
export const configFileNames = [
  'test-rig.config.toml',
  'test-rig.config.json',
  'tidb_config.toml',
  'tidb_config.json',
] as const

/** Finds the config file of a project: the explicit path when given, else the first of {@link configFileNames} in `cwd`. */
export async function findConfigFile(cwd: string, explicit?: string): Promise<string | undefined> {
  if (explicit !== undefined) {
    const path = resolve(cwd, explicit)
    if (!(await exists(path))) {
      throw new ConfigError([{ field: 'configFile', origin: 'options', expected: `no file at ${path}; create it with "npx test-rig config init" or fix the path` }])
    }
    return path
  }
  for (const name of configFileNames) {
    const path = join(cwd, name)
    if (await exists(path)) return path
  }
  return undefined
}

/** Reads a JSON or TOML config file into settings; snake_case keys (the seed's layout) become camelCase. */
export async function readConfigFile(path: string): Promise<Setting[]> {
  const origin = `file ${basename(path)}`
  const text = await readFile(path, 'utf8')
  let parsed: unknown
  try {
    parsed = extname(path) === '.toml' ? parseToml(text) : JSON.parse(text)
  } catch (error) {
    const format = extname(path) === '.toml' ? 'TOML' : 'JSON'
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error)
    throw new ConfigError([{ field: '(whole file)', origin, expected: `not valid ${format}: ${detail}` }])
  }
  if (!isPlainObject(parsed)) {
    throw new ConfigError([{ field: '(whole file)', origin, expected: 'expected an object of sections such as [database] and [test]' }])
  }
  return flattenToSettings(parsed, origin, snakeToCamel)
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path)
    return true
  } catch {
    return false
  }
}
