import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'

// Every test file imports `test-rig`: what its static import graph holds, every worker loads for
// every file. The heavy packages load when used (a connection, a container, a config file).

const here = dirname(fileURLToPath(import.meta.url))

/** Bare packages reached by static imports (not `import type`, not `import()`) from an entry. */
async function packagesReached(entry: string): Promise<Map<string, string>> {
  const seen = new Set<string>()
  const packages = new Map<string, string>()
  const walk = async (file: string): Promise<void> => {
    if (seen.has(file)) return
    seen.add(file)
    // Comments go first: a TSDoc line that quotes an import is not one.
    const text = (await readFile(file, 'utf8')).replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
    for (const match of text.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm)) {
      const specifier = match[1] as string
      if (specifier.startsWith('.')) await walk(resolve(dirname(file), specifier))
      else if (!specifier.startsWith('node:') && !packages.has(specifier)) packages.set(specifier, file)
    }
  }
  await walk(entry)
  return packages
}

const heavy = ['testcontainers', '@testcontainers/mysql', 'mysql2', 'mysql2/promise', 'zod', 'dotenv', 'smol-toml', 'commander', 'fast-check']

describe('the import graph of a test file', () => {
  test.each(['index.ts', 'vitest/test.ts'])('importing %s loads no heavy package (they load on first use)', async (entry) => {
    const reached = await packagesReached(resolve(here, entry))
    const loaded = heavy.filter((name) => reached.has(name)).map((name) => `${name} (from ${reached.get(name)})`)
    expect(loaded).toEqual([])
    // cockatiel too loads with a policy (`test-rig/resilience`), not with every test file.
    expect([...reached.keys()].sort()).toEqual(['vitest'])
  })

  test("the run's start loads Testcontainers only when a container starts", async () => {
    // chooseProvider names the container provider; a run on a local or external server never starts one.
    const reached = await packagesReached(resolve(here, '..', 'preset', 'global-setup.ts'))
    expect(reached.has('testcontainers')).toBe(false)
    expect(reached.has('@testcontainers/mysql')).toBe(false)
  })

  test("the run's start loads only zod before its server is spawned; the rest loads with what needs it", async () => {
    // Every package here is on the path of every run's start: cockatiel loads with a container's
    // wait (and the local server's, once spawned), smol-toml with a TOML file, dotenv with a .env
    // file, mysql2 with a schema or a shared server.
    const reached = await packagesReached(resolve(here, '..', 'preset', 'global-setup.ts'))
    expect([...reached.keys()].sort()).toEqual(['zod'])
  })

  test('the subpath entries carry what was moved out', async () => {
    expect((await packagesReached(resolve(here, 'containers.ts'))).has('testcontainers')).toBe(true)
    expect((await packagesReached(resolve(here, 'config.ts'))).has('zod')).toBe(true)
    expect((await packagesReached(resolve(here, 'imports.ts'))).has('zod')).toBe(true)
    expect((await packagesReached(resolve(here, 'schedules.ts'))).has('fast-check')).toBe(true)
    expect((await packagesReached(resolve(here, 'resilience.ts'))).has('cockatiel')).toBe(true)
  })
})
