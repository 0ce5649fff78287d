import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Plugin } from 'vitest/config'
import { nodeFits, supportedNode } from '../src/config/node-version.ts'
import { useCompileCache } from './compile-cache.ts'
import { attachOptions, type TestRigOptions } from './options.ts'

export type { TestRigOptions } from './options.ts'

// Resolves to global-setup.ts in the sources and global-setup.js in the built package.
const globalSetupFile = fileURLToPath(new URL(`./global-setup${extname(fileURLToPath(import.meta.url))}`, import.meta.url))

/**
 * The test-rig Vitest plugin. Starts one database server per run in globalSetup (local, container
 * or external, see `server.provider`), shares it with the workers, and lets specs use the `rig`
 * and `conn` fixtures from `test-rig`.
 *
 * @example
 * export default defineConfig({ plugins: [testRig()] })
 */
export function testRig(options: TestRigOptions = {}): Plugin {
  // Checked before anything else loads: on an older Node the run would crash deep in a dependency.
  if (!nodeFits(process.versions.node)) {
    throw new Error(`test-rig: Node ${process.versions.node} is too old: vitest 5 and testcontainers 12 need Node ${supportedNode}.\nFix: install Node 24 (nvm install 24, or "npm install --prefix .tools/node node@24" and put .tools/node/node_modules/.bin on PATH; this repository's scripts/bootstrap.sh does that).`)
  }
  return {
    name: 'test-rig',
    config() {
      // Every test file gets a fresh worker: with Node's compile cache it reads compiled code
      // instead of compiling Vitest, mysql2 and the rig again (set before any worker is spawned).
      useCompileCache()
      // (The intercept setup file is added by the global setup, only with faults.intercept.)
      // The tag of tests that use faults.server: they run on a TiDB of their worker's own, whose
      // first start (and a failpoint build's first start, bootstrapping its store) takes seconds.
      return { test: { globalSetup: [globalSetupFile], tags: [{ name: 'server-faults', description: 'runs on a TiDB server of the worker\'s own, where faults.server arms TiDB\'s failpoints (test-rig)', timeout: 120_000 }] } }
    },
    configureVitest({ project, vitest }) {
      attachOptions(project, options)
      // Watch mode reruns when an SQL fixture, a schema file or an isolation expectation of this
      // project changes. Vitest reads the triggers from the root config only: a project of
      // test.projects adds its own there (and the global setup rebuilds the template first).
      const trigger = `${project.config.root.replace(/\/$/, '')}/fixtures/**`
      if (!vitest.config.forceRerunTriggers.includes(trigger)) vitest.config.forceRerunTriggers.push(trigger)
    },
  }
}
