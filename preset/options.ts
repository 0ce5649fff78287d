import type { TestProject } from 'vitest/node'
import type { ConfigExtension } from '../src/config/extension.ts'
import type { RigConfigInput } from '../src/config/schema.ts'
import type { SchemaSetup } from '../src/server/schema-template.ts'

/** Options of the `testRig()` plugin: any config field inline (highest priority), plus where to read the rest. */
export type TestRigOptions = RigConfigInput & {
  /** Config file relative to the project root; default: the first of test-rig.config.toml/.json, tidb_config.toml/.json. */
  readonly configFile?: string
  /** Sections that scenarios add to the config schema. */
  readonly extensions?: readonly ConfigExtension[]
  /**
   * The project's own migrations (Knex, Kysely, Drizzle, plain SQL), run once per run on a
   * connection into the schema template, after `schema.files`; every test's database is a copy.
   * Set `schema.version` to rebuild the template when they change (default: their source text).
   */
  readonly migrate?: SchemaSetup
}

// The config file and the globalSetup file are loaded as separate module graphs, so the options
// travel on the project object itself, under a registered symbol both graphs can name.
const optionsKey = Symbol.for('test-rig.preset-options')

type ProjectWithOptions = TestProject & { [optionsKey]?: TestRigOptions }

/** Attaches the plugin's options to a project (from the plugin). */
export function attachOptions(project: TestProject, options: TestRigOptions): void {
  ;(project as ProjectWithOptions)[optionsKey] = options
}

/** Reads the plugin's options from a project (in globalSetup). */
export function readOptions(project: TestProject): TestRigOptions {
  return (project as ProjectWithOptions)[optionsKey] ?? {}
}
