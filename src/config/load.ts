import { readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { z } from 'zod'
import { ConfigError, type ConfigProblem } from './errors.ts'
import type { ConfigExtension, ExtensionsConfig } from './extension.ts'
import { settingsFromEnvironment, type Environment } from './environment.ts'
import { listFields, type SectionSchema } from './fields.ts'
import { findConfigFile, readConfigFile } from './file.ts'
import { mergeSettings, valueAt } from './merge.ts'
import { normalizeSettings } from './normalize.ts'
import { redacted } from './redact.ts'
import { passwordsInText, Secrets } from './secrets.ts'
import { coreSections, type RigConfig, type RigConfigInput } from './schema.ts'
import { flattenToSettings, type Setting } from './settings.ts'

/** Where to read configuration from; everything is optional. */
export interface LoadConfigOptions<Extensions extends readonly ConfigExtension[] = readonly ConfigExtension[]> {
  /** Project root holding the config file and `.env`. Default: `process.cwd()`. */
  readonly cwd?: string
  /** The environment. Default: `process.env`. */
  readonly env?: Environment
  /** Explicit config file, relative to `cwd`; else `TEST_RIG_CONFIG`, else the first of the known names. */
  readonly configFile?: string
  /** Inline options (from `testRig({...})`) — the highest priority. */
  readonly inline?: RigConfigInput & Record<string, unknown>
  /** Settings from command-line flags; same priority as inline options. */
  readonly flags?: readonly Setting[]
  /** Sections added by scenarios. */
  readonly extensions?: Extensions
  /** Read no `.env` file (tests of precedence pass their own environment). */
  readonly ignoreDotenv?: boolean
}

/** A resolved configuration and where each field came from. */
export interface LoadedConfig<Config = RigConfig> {
  /** The validated configuration, defaults filled in. Contains the password: print `redactConfig(config)` instead. */
  readonly config: Config
  /** Origin of every field that a source set, by dotted path; fields not listed come from the defaults. */
  readonly origins: ReadonlyMap<string, string>
  /** Files that were read, relative to `cwd`. */
  readonly files: readonly string[]
  /** Every password a source gave (used or overridden): pass each printed line through `secrets.redact`. */
  readonly secrets: Secrets
}

/**
 * Resolves the configuration from all sources in rising priority: defaults < config file < `.env` <
 * environment < inline options and flags. Throws one {@link ConfigError} naming every bad field,
 * the source it came from and the expected form.
 */
export async function loadConfig<const Extensions extends readonly ConfigExtension[] = []>(
  options: LoadConfigOptions<Extensions> = {},
): Promise<LoadedConfig<RigConfig & ExtensionsConfig<Extensions>>> {
  const cwd = options.cwd ?? process.cwd()
  const env = options.env ?? process.env
  const sections = sectionsWith(options.extensions ?? [])
  const files: string[] = []

  // The passwords of the sources above the file are known before the file is read, so that even
  // a file that does not parse is reported without any of them.
  const { configFile: _file, extensions: _extensions, ...inlineConfig } = options.inline ?? {}
  const dotenv = options.ignoreDotenv ? undefined : await readDotenv(join(cwd, '.env'))
  const upper: Setting[][] = [
    ...(dotenv ? [settingsFromEnvironment(dotenv, sections, '.env variable')] : []),
    settingsFromEnvironment(env, sections, 'environment variable'),
    flattenToSettings(inlineConfig, 'inline options'),
    [...(options.flags ?? [])],
  ]
  let secrets = secretsOf(upper)
  try {
    const layers: Setting[][] = []
    const configFile = await findConfigFile(cwd, options.configFile ?? env.TEST_RIG_CONFIG, options.configFile === undefined ? 'environment variable TEST_RIG_CONFIG' : 'options')
    if (configFile) {
      files.push(relative(cwd, configFile))
      const file = await readConfigFile(configFile)
      layers.push(file)
      secrets = secrets.with(secretsOf([file]))
    }
    if (dotenv) files.push('.env')
    layers.push(...upper)
    return validate(layers, sections, files, secrets) as LoadedConfig<RigConfig & ExtensionsConfig<Extensions>>
  } catch (error) {
    if (error instanceof ConfigError) throw error.redacted(secrets)
    throw error
  }
}

/** Every password the settings give, as a value or inside a URL (also one that does not parse). */
function secretsOf(layers: readonly Setting[][]): Secrets {
  const found: string[] = []
  for (const setting of layers.flat()) {
    if (typeof setting.value !== 'string') continue
    if (setting.path.at(-1) === 'password') found.push(setting.value)
    else if (setting.value.includes('://')) found.push(...passwordsInText(setting.value))
  }
  return new Secrets(found)
}

function validate(layers: readonly Setting[][], sections: Readonly<Record<string, SectionSchema>>, files: readonly string[], secrets: Secrets): LoadedConfig {
  const normalized = layers.map((layer) => normalizeSettings(layer))
  const merged = mergeSettings(normalized.flatMap((layer) => layer.settings))
  const schema = schemaOf(sections)
  const parsed = schema.safeParse(merged.values)
  // Every bad field at once: a shorthand that could not be read does not hide the others.
  const problems = [
    ...normalized.flatMap((layer) => layer.problems),
    ...(parsed.success ? [] : parsed.error.issues.flatMap((issue) => problemsOf(issue, merged.values, merged.origins, sections))),
  ]
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems)
  return { config: parsed.data as RigConfig, origins: merged.origins, files, secrets }
}

/** The core sections plus those of the extensions; an extension may not replace a core section. */
export function sectionsWith(extensions: readonly ConfigExtension[]): Record<string, SectionSchema> {
  const sections: Record<string, SectionSchema> = { ...coreSections }
  for (const extension of extensions) {
    if (extension.section in sections) {
      throw new TypeError(`config extension "${extension.section}" clashes with a section of the same name; rename the extension's section`)
    }
    sections[extension.section] = extension.schema
  }
  return sections
}

function schemaOf(sections: Readonly<Record<string, SectionSchema>>): z.ZodObject {
  const shape: Record<string, z.ZodType> = {}
  for (const [name, section] of Object.entries(sections)) shape[name] = section.prefault({})
  return z.object(shape).strict()
}

/** Fields that had another name in an earlier version, by their old name. */
const renamedFields: Readonly<Record<string, string>> = {
  'server.engineTimeoutMs': 'server.containerRuntimeTimeoutMs',
}

function problemsOf(
  issue: z.core.$ZodIssue,
  values: Record<string, unknown>,
  origins: ReadonlyMap<string, string>,
  sections: Readonly<Record<string, SectionSchema>>,
): ConfigProblem[] {
  const path = issue.path.map(String)
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const field = [...path, key].join('.')
      const known = path.length === 0 ? Object.keys(sections) : listFields(sections).filter((f) => f.section === path[0]).map((f) => f.name)
      const renamed = renamedFields[field]
      if (renamed) return { field, origin: originOf(field, origins), expected: `renamed to ${renamed}: write it under its new name` }
      return { field, origin: originOf(field, origins), expected: `unknown ${path.length === 0 ? 'section' : 'field'}; known: ${known.join(', ')}` }
    })
  }
  const field = path.join('.')
  const description = listFields(sections).find((f) => `${f.section}.${f.name}` === field)?.description
  const value = valueAt(values, path)
  return [{
    field,
    origin: originOf(field, origins),
    expected: description ? `${issue.message}. ${description}` : issue.message,
    ...(value === undefined ? {} : { shown: path.at(-1) === 'password' ? redacted : typeof value === 'bigint' ? String(value) : JSON.stringify(value) }),
  }]
}

function originOf(field: string, origins: ReadonlyMap<string, string>): string {
  const exact = origins.get(field)
  if (exact) return exact
  for (const [key, origin] of origins) if (key.startsWith(`${field}.`)) return origin
  return 'defaults'
}

async function readDotenv(path: string): Promise<Environment | undefined> {
  try {
    const text = await readFile(path, 'utf8')
    // The parser loads with a .env file: most runs have none (each package costs the run's start).
    const { parse } = await import('dotenv')
    return parse(text)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}
