import type { z } from 'zod'

/** What kind of value a field holds, as far as parsing text (environment, CLI) needs to know. */
export type FieldKind = 'number' | 'boolean' | 'string' | 'enum' | 'other'

/** One leaf field of a config section, read off its zod schema. */
export interface FieldInfo {
  /** Section name, e.g. `database`. */
  readonly section: string
  /** Field name within the section, e.g. `poolSize`. */
  readonly name: string
  /** Kind of value. */
  readonly kind: FieldKind
  /** The field's description from the schema. */
  readonly description: string
  /** The default value, when the schema has one. */
  readonly defaultValue?: unknown
  /** Allowed values of an enum field. */
  readonly options?: readonly string[]
  /** A value to show for a field without a default (the schema's `meta({ examples })`). */
  readonly example?: unknown
}

/** A section schema: a zod object whose fields are leaves. */
export type SectionSchema = z.ZodObject

interface Introspectable {
  readonly _zod: { readonly def: { readonly type: string; readonly innerType?: Introspectable; readonly defaultValue?: unknown; readonly entries?: Record<string, string> } }
  readonly description?: string
  meta?(): { readonly examples?: readonly unknown[] } | undefined
}

/** Lists the leaf fields of the given sections, in declaration order. */
export function listFields(sections: Readonly<Record<string, SectionSchema>>): FieldInfo[] {
  const fields: FieldInfo[] = []
  for (const [section, schema] of Object.entries(sections)) {
    for (const [name, fieldSchema] of Object.entries(schema.shape)) {
      fields.push(describeField(section, name, fieldSchema as unknown as Introspectable))
    }
  }
  return fields
}

function describeField(section: string, name: string, schema: Introspectable): FieldInfo {
  const examples = schema.meta?.()?.examples
  const example = examples && examples.length > 0 ? { example: examples[0] } : {}
  let node: Introspectable | undefined = schema
  let description = schema.description ?? ''
  let defaultValue: unknown
  let hasDefault = false
  while (node) {
    const def: Introspectable['_zod']['def'] = node._zod.def
    if (description === '' && node.description) description = node.description
    if (def.type === 'default' || def.type === 'prefault') {
      hasDefault = true
      defaultValue = typeof def.defaultValue === 'function' ? (def.defaultValue as () => unknown)() : def.defaultValue
    }
    if (def.type === 'optional' || def.type === 'default' || def.type === 'prefault' || def.type === 'nullable') {
      node = def.innerType
      continue
    }
    const kind: FieldKind = def.type === 'number' || def.type === 'int' ? 'number'
      : def.type === 'boolean' ? 'boolean'
      : def.type === 'string' ? 'string'
      : def.type === 'enum' ? 'enum'
      : 'other'
    const options = kind === 'enum' && def.entries ? Object.values(def.entries) : undefined
    return { section, name, kind, description, ...(hasDefault ? { defaultValue } : {}), ...(options ? { options } : {}), ...example }
  }
  return { section, name, kind: 'other', description }
}

/** Parses text (from the environment or a command line) into the field's kind; text that does not parse is kept so validation can name it. */
export function parseFieldText(kind: FieldKind, text: string): unknown {
  if (kind === 'number') return /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text
  if (kind === 'boolean') {
    const lower = text.trim().toLowerCase()
    if (['true', '1', 'yes', 'on'].includes(lower)) return true
    if (['false', '0', 'no', 'off'].includes(lower)) return false
    return text
  }
  return text
}

/** The environment variable that sets a field: `TEST_RIG_DATABASE_POOL_SIZE` for `database.poolSize`. */
export function environmentName(field: Pick<FieldInfo, 'section' | 'name'>): string {
  const snake = (text: string) => text.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()
  return `TEST_RIG_${snake(field.section)}_${snake(field.name)}`
}
