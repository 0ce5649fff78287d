import { readFile } from 'node:fs/promises'
import { expect, test } from 'vitest'
import { renderErrorTable } from './error-table.ts'

test('README lists every classified error, as the classifier has them', async () => {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8')
  const section = /<!-- error-table:start -->\n([\s\S]*?)\n<!-- error-table:end -->/.exec(readme)?.[1]
  expect(section, 'README.md needs the markers <!-- error-table:start --> and <!-- error-table:end -->').toBeDefined()
  expect(section).toBe(renderErrorTable())
})
