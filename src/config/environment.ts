import { environmentName, listFields, parseFieldText, type SectionSchema } from './fields.ts'
import type { Setting } from './settings.ts'

/** Environment variables as a plain record (process.env, or a parsed .env file). */
export type Environment = Readonly<Record<string, string | undefined>>

/** A variable of the seed that sets a field (`TIDB_HOST` → database.host). */
export interface Alias {
  readonly variable: string
  readonly path: readonly [string, string]
  readonly parse?: (text: string) => unknown
}

const toNumber = (text: string): unknown => (/^\d+$/.test(text.trim()) ? Number(text) : text)

/** The seed's variables; `TIDB_HOST` is `host:port` and is split by normalization. Later entries win. */
export const environmentAliases: readonly Alias[] = [
  { variable: 'DATABASE_URL', path: ['database', 'url'] },
  { variable: 'TIDB_HOST', path: ['database', 'host'] },
  { variable: 'TIDB_PORT', path: ['database', 'port'], parse: toNumber },
  { variable: 'TIDB_USERNAME', path: ['database', 'username'] },
  { variable: 'TIDB_USER', path: ['database', 'username'] },
  { variable: 'TIDB_PASSWORD', path: ['database', 'password'] },
  { variable: 'TIDB_DATABASE', path: ['database', 'database'] },
  { variable: 'TIDB_LOG_LEVEL', path: ['logging', 'level'], parse: (text) => text.toLowerCase() },
  { variable: 'TIDB_TEST_ROWS', path: ['test', 'rows'], parse: toNumber },
]

/**
 * Reads settings from environment variables: the seed's `TIDB_*` and `DATABASE_URL`, then
 * `TEST_RIG_<SECTION>_<FIELD>` for every field of every section (these win over the aliases).
 * `label` names the source in error messages (`environment variable` or `.env variable`).
 */
export function settingsFromEnvironment(
  env: Environment,
  sections: Readonly<Record<string, SectionSchema>>,
  label: string,
): Setting[] {
  const settings: Setting[] = []
  for (const alias of environmentAliases) {
    const text = env[alias.variable]
    if (text === undefined || text === '') continue
    settings.push({ path: alias.path, value: alias.parse ? alias.parse(text) : text, origin: `${label} ${alias.variable}` })
  }
  for (const field of listFields(sections)) {
    const variable = environmentName(field)
    const text = env[variable]
    if (text === undefined || text === '') continue
    settings.push({ path: [field.section, field.name], value: parseFieldText(field.kind, text), origin: `${label} ${variable}` })
  }
  return settings
}
