import { fileURLToPath } from 'node:url'
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config'
import { testRig } from './preset/index.ts'
import { SummaryReporter } from './scripts/summary-reporter.ts'
import { detectContainerEngine, imagePresent } from './src/server/container/engine-detection.ts'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

// Inside this repository `test-rig` resolves to the sources; users get the built package.
const alias = { 'test-rig/preset': here('./preset/index.ts'), 'test-rig': here('./src/index.ts') }

/** The image scripts/build-test-image.sh builds; the container project runs the specs against it. */
export const testImage = 'test-rig/mariadb:bookworm'

export default defineConfig(async () => {
  const projects: TestProjectInlineConfiguration[] = [
    {
      resolve: { alias },
      test: { name: 'unit', include: ['src/**/*.test.ts', 'preset/**/*.test.ts', 'scripts/**/*.test.ts'], testTimeout: 30_000 },
    },
    {
      resolve: { alias },
      plugins: [testRig()],
      test: { name: 'specs', include: ['specs/**/*.spec.ts'] },
    },
  ]
  // The same specs through the container provider, where an engine runs and the test image exists.
  const engine = await detectContainerEngine()
  if (engine.available && (await imagePresent(engine.endpoint, testImage))) {
    projects.push({
      resolve: { alias },
      plugins: [testRig({ server: { provider: 'container', containerFlavor: 'mariadb', containerImage: testImage } })],
      test: { name: 'containers', include: ['specs/**/*.spec.ts'] },
    })
  } else {
    // Vitest evaluates this file more than once per run: say it once.
    const said = Symbol.for('test-rig.containers-left-out')
    const once = globalThis as { [said]?: boolean }
    if (!once[said]) {
      once[said] = true
      const why = engine.available ? `${testImage} is not built (bash scripts/build-test-image.sh)` : engine.reason
      process.stderr.write(`[test-rig] the containers project is left out: ${why}\n`)
    }
  }
  return { resolve: { alias }, test: { reporters: ['default', new SummaryReporter()], projects } }
})
