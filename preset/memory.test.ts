import { join } from 'node:path'
import { expect, test } from 'vitest'
import { NestedProject } from './test-support/nested-project.ts'

// Per-test memory stays flat: what the rig makes for a test (its connection, its database's rig)
// must not pile up in the worker over a long file. Measured with the garbage collector run by
// hand, at test 100 and at test 1000 of one file.

test('a 1000-test file keeps the worker heap flat: under 50 KB kept per test, 1000 tests in under 150 MB', { timeout: 120_000 }, async () => {
  const repo = join(import.meta.dirname, '..')
  await using project = await NestedProject.create({
    'specs/many.spec.ts': `
      import { writeFileSync } from 'node:fs'
      import { join } from 'node:path'
      import { test } from 'test-rig'
      const heap = () => { globalThis.gc(); return process.memoryUsage().heapUsed }
      const marks = {}
      for (let i = 1; i <= 1000; i++) {
        test('test ' + i, async ({ conn }) => {
          await conn.query('SELECT 1')
          if (i === 100 || i === 1000) marks[i] = heap()
          if (i === 1000) writeFileSync(join(process.env.REPORT_DIR, 'heap.json'), JSON.stringify(marks))
        })
      }
    `,
  })
  await project.write('vitest.config.ts', [
    "import { defineConfig } from 'vitest/config'",
    `import { testRig } from ${JSON.stringify(join(repo, 'preset', 'index.ts'))}`,
    `export default defineConfig({ resolve: { alias: { 'test-rig': ${JSON.stringify(join(repo, 'src', 'index.ts'))} } }, plugins: [testRig()], test: { include: ['specs/**/*.spec.ts'], execArgv: ['--expose-gc'] } })`,
  ].join('\n'))
  const { code, output } = await project.run()
  expect(output).toMatch(/1000 passed/)
  expect(code).toBe(0)
  const marks = JSON.parse(await project.read('heap.json')) as Record<string, number>
  const perTest = ((marks['1000'] ?? 0) - (marks['100'] ?? 0)) / 900
  console.log(`worker heap: ${Math.round((marks['100'] ?? 0) / 1e6)} MB at test 100, ${Math.round((marks['1000'] ?? 0) / 1e6)} MB at test 1000, ${Math.round(perTest / 1000)} KB kept per test`)
  // A connection's own objects are a few KB; more than 50 KB per test means something per test is kept alive.
  expect(perTest).toBeLessThan(50_000)
  expect(marks['1000']).toBeLessThan(150e6)
})
