import type { z } from 'zod'

/**
 * A section that a scenario adds to the config schema (the seed's ConfigExtension idea):
 * it is validated, defaulted, read from files and `TEST_RIG_<SECTION>_<FIELD>` variables, and
 * written into generated samples like a core section.
 */
export interface ConfigExtension<Section extends string = string, Schema extends z.ZodObject = z.ZodObject> {
  /** Name of the section, e.g. `isolation`. */
  readonly section: Section
  /** Schema of the section; every field should have a default or be optional. */
  readonly schema: Schema
}

/** Declares a config extension; pass it to `testRig({ extensions: [...] })` or `loadConfig`. */
export function defineConfigExtension<Section extends string, Schema extends z.ZodObject>(
  section: Section,
  schema: Schema,
): ConfigExtension<Section, Schema> {
  if (!/^[a-z][a-zA-Z0-9]*$/.test(section)) {
    throw new TypeError(`config extension section "${section}" must be a camelCase identifier, e.g. "isolation"`)
  }
  return { section, schema }
}

/** The config type added by a list of extensions. */
export type ExtensionsConfig<Extensions extends readonly ConfigExtension[]> = {
  [E in Extensions[number] as E['section']]: z.infer<E['schema']>
}
