import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import { testRig } from './preset/index.ts'
import { SummaryReporter } from './scripts/summary-reporter.ts'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

// Inside this repository `test-rig` resolves to the sources; users get the built package.
const alias = { 'test-rig/preset': here('./preset/index.ts'), 'test-rig': here('./src/index.ts') }

export default defineConfig({
  resolve: { alias },
  test: {
    reporters: ['default', new SummaryReporter()],
    projects: [
      {
        resolve: { alias },
        test: { name: 'unit', include: ['src/**/*.test.ts', 'preset/**/*.test.ts', 'scripts/**/*.test.ts'], testTimeout: 30_000 },
      },
      {
        resolve: { alias },
        plugins: [testRig()],
        test: { name: 'specs', include: ['specs/**/*.spec.ts'] },
      },
    ],
  },
})
