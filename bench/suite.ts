import { execFile, spawn } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { connectionUrl, openConnection } from '../src/server/connect.ts'
import { LocalServer } from '../src/server/local/local-server.ts'
import { summarize, type Summary } from './stats.ts'

const repo = fileURLToPath(new URL('..', import.meta.url))
const vitestBin = join(repo, 'node_modules', 'vitest', 'vitest.mjs')
const files = 10

const run = promisify(execFile)

/**
 * A whole Vitest run of N trivial tests (`SELECT 1` on a connection) in 10 files, two ways in
 * alternating rounds: with the rig (its own server, a database per test) and by hand (plain
 * Vitest, one mysql2 connection per file into a shared database of a server already running).
 * Reports both wall times, their ratio, and from N = 100 and 1000 the marginal cost per test and
 * the fixed cost per file of each. The rig side uses the packed package (`npm pack`) installed in
 * the project's node_modules, as a user has it: Vitest then loads it as a dependency, untransformed.
 */
export async function benchSuite(): Promise<Record<string, unknown>> {
  await mkdir(join(repo, '.tmp'), { recursive: true })
  const root = await mkdtemp(join(repo, '.tmp', 'bench-suite-'))
  await installPacked(root)
  await using server = await new LocalServer().start()
  const admin = await openConnection(server.endpoint)
  await admin.query('CREATE DATABASE IF NOT EXISTS bench_suite_shared')
  admin.destroy()
  const sharedUrl = connectionUrl(server.endpoint, 'bench_suite_shared')
  try {
    const sizes = [100, 1000] as const
    const rounds = 3
    const wall: Record<string, number[]> = {}
    for (const size of sizes) {
      const rig = await project(join(root, `rig-${size}`), size, 'rig')
      const hand = await project(join(root, `hand-${size}`), size, 'hand')
      for (let round = 0; round < rounds; round++) {
        for (const [name, dir] of round % 2 === 0 ? [['rig', rig], ['hand', hand]] as const : [['hand', hand], ['rig', rig]] as const) {
          ;(wall[`${name}-${size}`] ??= []).push(await runVitest(dir, sharedUrl))
        }
      }
    }
    const at = (key: string): Summary => summarize(wall[key] ?? [])
    const marginal = (side: string) => (at(`${side}-1000`).p50 - at(`${side}-100`).p50) / 900
    const fixedPerFile = (side: string) => (at(`${side}-100`).p50 - 100 * marginal(side)) / files
    const round3 = (x: number) => Math.round(x * 1000) / 1000
    return {
      files,
      rounds,
      wallMs: Object.fromEntries(Object.keys(wall).map((key) => [key, at(key)])),
      ratio: Object.fromEntries(sizes.map((size) => [size, round3(at(`rig-${size}`).p50 / at(`hand-${size}`).p50)])),
      marginalMsPerTest: { rig: round3(marginal('rig')), hand: round3(marginal('hand')) },
      fixedMsPerFile: { rig: round3(fixedPerFile('rig')), hand: round3(fixedPerFile('hand')), rigOverHand: round3(fixedPerFile('rig') - fixedPerFile('hand')) },
      targets: 'ratio <= 2 at 100 and <= 1.5 at 1000; fixed cost per file <= 50 ms over plain Vitest; marginal cost per test <= 1.2 ms',
      note: 'the rig side includes starting its own server (one per run); the hand-written side uses a server already running',
    }
  } finally {
    await rm(root, { recursive: true, force: true })
  }
}

/** Writes a project of `size` tests in 10 files, using the rig or written by hand. */
async function project(dir: string, size: number, kind: 'rig' | 'hand'): Promise<string> {
  await mkdir(join(dir, 'specs'), { recursive: true })
  const config = kind === 'rig'
    ? [
        "import { defineConfig } from 'vitest/config'",
        "import { testRig } from 'test-rig/preset'",
        "export default defineConfig({ plugins: [testRig()], test: { include: ['specs/**/*.spec.ts'] } })",
      ]
    : ["import { defineConfig } from 'vitest/config'", "export default defineConfig({ test: { include: ['specs/**/*.spec.ts'] } })"]
  await writeFile(join(dir, 'vitest.config.ts'), config.join('\n'))
  const perFile = size / files
  for (let file = 0; file < files; file++) {
    const spec = kind === 'rig'
      ? [
          "import { test } from 'test-rig'",
          `for (let i = 0; i < ${perFile}; i++) test('select ' + i, async ({ conn }) => { await conn.query('SELECT 1') })`,
        ]
      : [
          "import { afterAll, beforeAll, test } from 'vitest'",
          "import mysql from 'mysql2/promise'",
          'let conn',
          'beforeAll(async () => { conn = await mysql.createConnection(process.env.BENCH_SHARED_URL) })',
          'afterAll(() => conn.end())',
          `for (let i = 0; i < ${perFile}; i++) test('select ' + i, async () => { await conn.query('SELECT 1') })`,
        ]
    await writeFile(join(dir, 'specs', `f${file}.spec.ts`), spec.join('\n'))
  }
  return dir
}

/**
 * Packs the package (its prepack builds dist/) and unpacks it as `<root>/node_modules/test-rig`.
 * `<root>` gets a package.json of its own: without one, Node resolves `test-rig` from inside this
 * repository to the repository itself (package self-reference), which Vitest then transforms as
 * project source instead of loading it as a dependency, as a user's project does.
 */
export async function installPacked(root: string): Promise<void> {
  await writeFile(join(root, 'package.json'), JSON.stringify({ name: 'bench-project', private: true, type: 'module' }))
  const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', root], { cwd: repo })
  const tarball = join(root, stdout.trim().split('\n').at(-1) as string)
  const target = join(root, 'node_modules', 'test-rig')
  await mkdir(target, { recursive: true })
  await run('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'])
}

/** Runs `vitest run` in a project and returns its wall time in ms; throws when it fails. */
export async function runVitest(dir: string, sharedUrl: string, extraArgs: readonly string[] = []): Promise<number> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')))
  const startedAt = performance.now()
  const child = spawn(process.execPath, [vitestBin, 'run', '--root', dir, ...extraArgs], { env: { ...env, BENCH_SHARED_URL: sharedUrl, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve))
  const ms = performance.now() - startedAt
  if (code !== 0) throw new Error(`vitest run in ${dir} failed (${code}):\n${output.slice(-2000)}`)
  return ms
}
