import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Plugin } from 'vitest/config'
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
  return {
    name: 'test-rig',
    config() {
      return { test: { globalSetup: [globalSetupFile] } }
    },
    configureVitest({ project }) {
      attachOptions(project, options)
    },
  }
}
