import { readFile, stat } from 'node:fs/promises'
import { basename, extname, join, resolve } from 'node:path'
import { ConfigError } from './errors.ts'
import { jsonSyntaxError, tomlSyntaxError } from './file-syntax.ts'
import { flattenToSettings, isPlainObject, snakeToCamel, type Setting } from './settings.ts'

/** File names searched for in the project root, first found wins: the rig's own, then the seed's. */
export const configFileNames = [
  'test-rig.config.toml',
  'test-rig.config.json',
  'tidb_config.toml',
  'tidb_config.json',
] as const

/** Finds the config file of a project: the explicit path when given, else the first of {@link configFileNames} in `cwd`. */
export async function findConfigFile(cwd: string, explicit?: string, origin = 'options'): Promise<string | undefined> {
  if (explicit !== undefined) {
    const path = resolve(cwd, explicit)
    const kind = await kindOf(path)
    if (kind !== 'file') {
      const what = kind === 'missing' ? `no file at ${path}` : `${path} is a folder, not a file`
      throw new ConfigError([{ field: 'configFile', origin, expected: `${what}; point it at a .toml or .json file (create one with "npx test-rig config init")` }])
    }
    return path
  }
  for (const name of configFileNames) {
    const path = join(cwd, name)
    if ((await kindOf(path)) === 'file') return path
  }
  return undefined
}

/** Reads a JSON or TOML config file into settings; snake_case keys (the seed's layout) become camelCase. */
export async function readConfigFile(path: string): Promise<Setting[]> {
  const origin = `file ${basename(path)}`
  const text = await readFile(path, 'utf8')
  // The TOML parser loads with a TOML file: most runs have none (each package costs the run's start).
  const parseToml = extname(path) === '.toml' ? (await import('smol-toml')).parse : undefined
  let parsed: unknown
  try {
    // Integers beyond 2^53 come back as bigint, so the schema can name the one field that holds one.
    parsed = parseToml ? parseToml(text, { integersAsBigInt: 'asNeeded' }) : JSON.parse(text)
  } catch (error) {
    const format = extname(path) === '.toml' ? 'TOML' : 'JSON'
    const place = parseToml ? tomlSyntaxError(text, error) : await jsonSyntaxError(text)
    const where = `line ${place.line}, column ${place.column}`
    throw new ConfigError([{ field: place.field ?? '(whole file)', origin: `${origin}, ${where}`, expected: `not valid ${format} at ${where}: ${place.problem}` }])
  }
  if (!isPlainObject(parsed)) {
    throw new ConfigError([{ field: '(whole file)', origin, expected: 'expected an object of sections such as [database] and [test]' }])
  }
  return flattenToSettings(parsed, origin, snakeToCamel)
}

async function kindOf(path: string): Promise<'file' | 'folder' | 'missing'> {
  try {
    return (await stat(path)).isDirectory() ? 'folder' : 'file'
  } catch {
    return 'missing'
  }
}
