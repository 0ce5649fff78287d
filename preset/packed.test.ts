import { execFile, spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, test } from 'vitest'

const repo = fileURLToPath(new URL('..', import.meta.url))
const run = promisify(execFile)

/** The package's own modules a file loads through static imports, itself included. */
async function modulesLoaded(entry: string, seen = new Set<string>()): Promise<Set<string>> {
  if (seen.has(entry)) return seen
  seen.add(entry)
  const text = await readFile(entry, 'utf8')
  for (const match of text.matchAll(/^(?:import|export)\s[^'"]*?['"](\.[^'"]+)['"]/gm)) await modulesLoaded(resolve(dirname(entry), match[1] as string), seen)
  return seen
}

/** Writes the files of a project. */
async function writeAll(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true })
    await writeFile(join(dir, path), text)
  }
}

describe('the packed package, installed as a user installs it', () => {
  test('intercept mode reaches the app\'s own named import of mysql2/promise, and the subpath entries load', { timeout: 240_000 }, async () => {
    await mkdir(join(repo, '.tmp'), { recursive: true })
    const dir = await mkdtemp(join(repo, '.tmp', 'packed-'))
    let child: ReturnType<typeof spawn> | undefined
    try {
      const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: repo, maxBuffer: 16 * 1024 * 1024 })
      const tarball = join(dir, stdout.trim().split('\n').at(-1) as string)
      await mkdir(join(dir, 'node_modules', 'test-rig'), { recursive: true })
      await run('tar', ['-xzf', tarball, '-C', join(dir, 'node_modules', 'test-rig'), '--strip-components=1'])
      // Every test file imports test-rig in a fresh worker: the index is bundled (scripts/bundle.ts), not ~90 modules.
      expect((await modulesLoaded(join(dir, 'node_modules', 'test-rig', 'dist', 'src', 'index.js'))).size).toBeLessThan(25)
      await writeAll(dir, {
        // A project of its own: without it Node resolves `test-rig` to this repository (self-reference).
        'package.json': JSON.stringify({ name: 'packed-project', private: true, type: 'module' }),
        'vitest.config.ts': "import { defineConfig } from 'vitest/config'\nimport { testRig } from 'test-rig/preset'\nexport default defineConfig({ plugins: [testRig({ faults: { intercept: true, unfired: 'fail' } })], test: { include: ['specs/**/*.spec.ts'] } })\n",
        'src/app.ts': "import { createPool } from 'mysql2/promise'\nexport function makeApp(url: string) {\n  const pool = createPool(url)\n  return { one: async () => (await pool.query('SELECT 1 AS one'))[0], [Symbol.asyncDispose]: () => pool.end() }\n}\n",
        'specs/app.spec.ts': [
          "import { expect, mysqlErrors, test } from 'test-rig'",
          "import { faultSchedules } from 'test-rig/schedules'",
          "import { resilient } from 'test-rig/resilience'",
          "import { makeApp } from '../src/app.ts'",
          "test('the app gets the fault through its own import', async ({ rig, faults }) => {",
          '  await using app = makeApp(rig.url)',
          "  faults.failNext('query', mysqlErrors.deadlock())",
          '  await expect(app.one()).rejects.toMatchObject({ code: \'ER_LOCK_DEADLOCK\', errno: 1213 })',
          '  expect(await app.one()).toEqual([{ one: 1 }])',
          "  expect(typeof faultSchedules).toBe('function')",
          "  expect(await resilient({ retryMaxAttempts: 1 }).execute('one', async () => 1)).toBe(1)",
          "  expect(import.meta.resolve('test-rig')).toContain('/node_modules/test-rig/dist/')",
          '})',
          '',
        ].join('\n'),
      })
      const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_ENV' && key !== 'TEST'))
      child = spawn(process.execPath, [join(repo, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', dir], { env: { ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
      let output = ''
      child.stdout?.on('data', (chunk) => (output += chunk))
      child.stderr?.on('data', (chunk) => (output += chunk))
      const running = child
      const code = await new Promise<number | null>((resolve) => running.once('close', resolve))
      expect(output).toMatch(/1 passed/)
      expect(code).toBe(0)
    } finally {
      // A timed-out test leaves no nested run behind (its server's watchdog then stops the server).
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await rm(dir, { recursive: true, force: true })
    }
  })
})
