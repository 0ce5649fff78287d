import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'smol-toml'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { loadConfig, sectionsWith } from './load.ts'
import { renderSample } from './sample.ts'

let cwd: string
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'rig-sample-'))
})
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true })
})

describe('renderSample', () => {
  test('a generated TOML file loads back to the defaults and documents every field', async () => {
    const toml = renderSample(sectionsWith([]), 'toml')
    expect(toml).toContain('# Where the server comes from')
    expect(toml).toContain('pool_size = 5')
    expect(toml).toMatch(/# password = ""/)
    await writeFile(join(cwd, 'test-rig.config.toml'), toml)
    const fromFile = await loadConfig({ cwd, env: {} })
    const defaults = await loadConfig({ cwd: tmpdir(), env: {}, ignoreDotenv: true, configFile: undefined })
    expect(fromFile.config).toEqual(defaults.config)
  })

  test('a generated JSON file loads back and carries the descriptions as $comment', async () => {
    const json = renderSample(sectionsWith([]), 'json', [{ path: ['database', 'host'], value: 'tidb.local', origin: 'flag' }, { path: ['database', 'port'], value: 4000, origin: 'flag' }])
    expect(JSON.parse(json).database.$comment.poolSize).toMatch(/pool/)
    await writeFile(join(cwd, 'test-rig.config.json'), json)
    const { config } = await loadConfig({ cwd, env: {} })
    expect(config.database).toMatchObject({ host: 'tidb.local', port: 4000 })
  })

  test('every line of the TOML sample parses uncommented: each default and example is a valid value', async () => {
    const toml = renderSample(sectionsWith([]), 'toml')
    const uncommented = toml.split('\n').map((line) => /^# [a-z_]+ = /.test(line) ? line.slice(2) : line).join('\n')
    expect(uncommented).toMatch(/^seeds = \{\}$/m)
    expect(uncommented).toMatch(/^keep = true$/m)
    expect(() => parse(uncommented)).not.toThrow()
    await writeFile(join(cwd, 'test-rig.config.toml'), uncommented)
    const { config } = await loadConfig({ cwd, env: {} })
    expect(config.schema).toMatchObject({ files: [], seeds: {}, keep: true })
    expect(config.database).toMatchObject({ host: 'tidb.example.com', port: 4000 })
  })

  test('the JSON sample parses and states each default once', () => {
    const json = JSON.parse(renderSample(sectionsWith([]), 'json')) as Record<string, { $comment: Record<string, string> }>
    expect(json.database?.$comment.poolSize).toMatch(/Default: 5\.$/)
    expect(json.schema?.$comment.keep).not.toMatch(/Default:/)
  })

  test('TOML overrides are written as values', () => {
    const toml = renderSample(sectionsWith([]), 'toml', [{ path: ['database', 'host'], value: 'tidb.local', origin: 'flag' }])
    expect(parse(toml)).toMatchObject({ database: { host: 'tidb.local' } })
  })
})
