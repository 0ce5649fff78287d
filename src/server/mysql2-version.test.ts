import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { checkMysql2, mysql2InRange, mysql2Range } from './mysql2-version.ts'

describe('the mysql2 a project has', () => {
  test.each([['3.23.0', true], ['3.26.1', true], ['3.99.9', true], ['3.22.6', false], ['3.21.2', false], ['3.19.2', false], ['3.14.0', false], ['4.0.0', false], ['2.3.3', false], ['3.23.3-canary.20f732b', true], ['garbage', false]] as const)('%s in range: %s', (version, inRange) => {
    expect(mysql2InRange(version)).toBe(inRange)
  })

  test('one clear message names the version found, the range and the fix; none installed says so too', async () => {
    const root = await mkdtemp(join(tmpdir(), 'rig-mysql2-'))
    try {
      await writeFile(join(root, 'package.json'), '{}')
      await expect(checkMysql2(root)).rejects.toThrow(/mysql2 is not installed in this project.*\nFix: npm install --save-dev mysql2@\^3\.23\.0/)
      await mkdir(join(root, 'node_modules', 'mysql2'), { recursive: true })
      await writeFile(join(root, 'node_modules', 'mysql2', 'package.json'), JSON.stringify({ name: 'mysql2', version: '3.14.1', main: 'index.js' }))
      await expect(checkMysql2(root)).rejects.toMatchObject({ code: 'TEST_RIG_MYSQL2_VERSION', found: '3.14.1' })
      await expect(checkMysql2(root)).rejects.toThrow(/has mysql2 3\.14\.1, and the rig works with mysql2 >=3\.23\.0 <4/)
    } finally {
      await rm(root, { recursive: true, force: true })
    }
  })

  test('the range here is package.json\'s peer range', async () => {
    const manifest = JSON.parse(await readFile(join(process.cwd(), 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> }
    expect(manifest.peerDependencies.mysql2).toBe(mysql2Range.text)
  })

  test('this repository\'s own mysql2 is in range', async () => {
    expect(mysql2InRange(await checkMysql2(process.cwd()))).toBe(true)
  })
})
