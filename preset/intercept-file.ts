import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestProject } from 'vitest/node'

// Resolves to intercept-setup.ts in the sources and intercept-setup.js in the built package.
const interceptSetupFile = fileURLToPath(new URL(`./intercept-setup${extname(fileURLToPath(import.meta.url))}`, import.meta.url))

/**
 * Adds the intercept setup file to the project's `setupFiles` (with `faults.intercept`), from the
 * global setup, before any worker starts: workers read the config as it is when each file starts.
 * Only then — a setup file costs every test file ~10 ms of Vitest's own work, even an empty one.
 */
export function useInterceptSetup(project: TestProject): void {
  const files = project.config.setupFiles
  if (!files.includes(interceptSetupFile)) files.push(interceptSetupFile)
  // A later Vitest that no longer reads them then would leave the app's connections unpatched.
  if (!project.serializedConfig.setupFiles.includes(interceptSetupFile)) {
    throw new Error('test-rig: faults.intercept needs a setup file in every worker, and this version of Vitest did not take the one the rig adds. Fix: use the Vitest version test-rig is tested with, or hand the app\'s connections to the faults with instrumentConnection/instrumentPool and leave faults.intercept off.')
  }
}
