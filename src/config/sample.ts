import { stringify as stringifyToml } from 'smol-toml'
import { listFields, type FieldInfo, type SectionSchema } from './fields.ts'
import { mergeSettings } from './merge.ts'
import type { Setting } from './settings.ts'

/** Format of a generated config file. */
export type SampleFormat = 'toml' | 'json'

const header = [
  'test-rig configuration.',
  'Priority, highest first: testRig({...}) options and CLI flags > environment (TIDB_*, DATABASE_URL,',
  'TEST_RIG_<SECTION>_<FIELD>) > .env > this file > defaults. Never commit a password: use TIDB_PASSWORD.',
]

/**
 * Writes a commented sample config from the schema: every field with its description, its default
 * commented out (so `config show` still says the value comes from the defaults until it is
 * uncommented). `overrides` (e.g. from `--host`) are written as values. JSON has no comments: it
 * holds the overrides, and the descriptions and defaults under `$comment`.
 */
export function renderSample(sections: Readonly<Record<string, SectionSchema>>, format: SampleFormat, overrides: readonly Setting[] = []): string {
  const fields = listFields(sections)
  const chosen = mergeSettings(overrides).values as Record<string, Record<string, unknown> | undefined>
  return format === 'toml' ? renderToml(fields, chosen) : renderJson(fields, chosen)
}

function renderToml(fields: readonly FieldInfo[], chosen: Record<string, Record<string, unknown> | undefined>): string {
  const lines = header.map((line) => `# ${line}`)
  let section = ''
  for (const field of fields) {
    if (field.section !== section) {
      section = field.section
      lines.push('', `[${section}]`)
    }
    const unset = field.defaultValue === undefined
    lines.push(`# ${field.description}${optionsNote(field)}${unset ? ' Not set by default; for example:' : ''}`)
    const value = chosen[field.section]?.[field.name]
    const shown = value ?? field.defaultValue ?? field.example
    const assignment = `${tomlKey(field.name)} = ${shown === undefined ? exampleOf(field) : tomlValue(shown)}`
    lines.push(value === undefined ? `# ${assignment}` : assignment)
  }
  return `${lines.join('\n')}\n`
}

function renderJson(fields: readonly FieldInfo[], chosen: Record<string, Record<string, unknown> | undefined>): string {
  const sections: Record<string, { $comment: Record<string, string>; [field: string]: unknown }> = {}
  for (const field of fields) {
    const section = (sections[field.section] ??= { $comment: {} })
    const fallback = field.defaultValue === undefined ? '' : ` Default: ${JSON.stringify(field.defaultValue)}.`
    section.$comment[field.name] = `${field.description}${optionsNote(field)}${fallback}`
    const value = chosen[field.section]?.[field.name]
    if (value !== undefined) section[field.name] = value
  }
  return `${JSON.stringify({ $comment: header.join(' '), ...sections }, null, 2)}\n`
}

function optionsNote(field: FieldInfo): string {
  return field.options ? ` One of: ${field.options.join(', ')}.` : ''
}

function exampleOf(field: FieldInfo): string {
  if (field.kind === 'number') return '0'
  if (field.kind === 'boolean') return 'false'
  return '""'
}

function tomlKey(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()
}

/** A value as TOML writes it on one line: a table as an inline table (`{}`, `{ a = "b" }`), never as a `[header]`. */
function tomlValue(value: unknown): string {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>).map(([key, inner]) => `${/^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key)} = ${tomlValue(inner)}`)
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`
  }
  return stringifyToml({ v: value }).replace(/^v = /, '').trim()
}
