import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const vitestBin = join(repo, 'node_modules', 'vitest', 'vitest.mjs')

/** The package's entries resolved to the sources (subpaths first: an alias matches by prefix). */
function entryAliases(): string {
  const subpaths = ['machines', 'isolation', 'toxics', 'faults', 'servers', 'history', 'resilience', 'config', 'imports', 'schedules', 'containers']
  return [...subpaths.map((name) => `'test-rig/${name}': ${JSON.stringify(join(repo, 'src', `${name}.ts`))}`), `'test-rig': ${JSON.stringify(join(repo, 'src', 'index.ts'))}`].join(', ')
}

/** What a finished nested run printed. */
export interface NestedRunResult {
  readonly code: number | null
  readonly output: string
}

/**
 * A throw-away Vitest project inside the repository (so it resolves the repository's packages)
 * that uses the preset from the sources; for tests of the preset as a user runs it.
 */
export class NestedProject implements AsyncDisposable {
  readonly dir: string
  readonly #children = new Set<ChildProcess>()

  private constructor(dir: string) {
    this.dir = dir
  }

  /** Creates the project with a vitest.config.ts that passes `presetOptions` to `testRig()`. */
  static async create(specs: Record<string, string>, presetOptions: object = {}): Promise<NestedProject> {
    await mkdir(join(repo, '.tmp'), { recursive: true })
    const project = new NestedProject(await mkdtemp(join(repo, '.tmp', 'nested-')))
    await project.write('vitest.config.ts', [
      "import { defineConfig } from 'vitest/config'",
      `import { testRig } from ${JSON.stringify(join(repo, 'preset', 'index.ts'))}`,
      'export default defineConfig({',
      `  resolve: { alias: { ${entryAliases()} } },`,
      `  plugins: [testRig(${JSON.stringify(presetOptions)})],`,
      "  test: { include: ['specs/**/*.spec.ts'] },",
      '})',
    ].join('\n'))
    for (const [path, text] of Object.entries(specs)) await project.write(path, text)
    return project
  }

  /** Writes a file of the project. */
  async write(path: string, text: string): Promise<void> {
    await mkdir(dirname(join(this.dir, path)), { recursive: true })
    await writeFile(join(this.dir, path), text)
  }

  /** Reads a file of the project. */
  read(path: string): Promise<string> {
    return readFile(join(this.dir, path), 'utf8')
  }

  /** Starts `vitest run` in its own process group (with another `node` when given); the outer run's Vitest variables are removed. */
  start(args: readonly string[] = [], env: Record<string, string> = {}, node: string = process.execPath): ChildProcess {
    const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_ENV' && key !== 'TEST'))
    const child = spawn(node, [vitestBin, 'run', '--root', this.dir, ...args], {
      env: { ...cleanEnv, ...env, REPORT_DIR: this.dir, NO_COLOR: '1' },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.#children.add(child)
    return child
  }

  /** Starts `vitest watch` (no terminal: it reruns on file changes and never exits by itself); the output so far is in `output()`. */
  watch(env: Record<string, string> = {}): { readonly child: ChildProcess; output(): string } {
    const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_ENV' && key !== 'TEST' && key !== 'CI'))
    const child = spawn(process.execPath, [vitestBin, 'watch', '--root', this.dir], {
      env: { ...cleanEnv, ...env, REPORT_DIR: this.dir, NO_COLOR: '1' },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.#children.add(child)
    let output = ''
    child.stdout?.on('data', (chunk) => (output += chunk))
    child.stderr?.on('data', (chunk) => (output += chunk))
    return { child, output: () => output }
  }

  /** Runs `vitest run` to the end. */
  async run(args: readonly string[] = [], env: Record<string, string> = {}, node?: string): Promise<NestedRunResult> {
    const child = this.start(args, env, node)
    let output = ''
    child.stdout?.on('data', (chunk) => (output += chunk))
    child.stderr?.on('data', (chunk) => (output += chunk))
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve))
    return { code, output }
  }

  /** Kills anything of the nested run still alive and removes the project. */
  async [Symbol.asyncDispose](): Promise<void> {
    for (const child of this.#children) {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    await rm(this.dir, { recursive: true, force: true })
  }
}

/** True while a process with this id exists (and is not a zombie). */
export async function isAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    const status = await readFile(`/proc/${pid}/stat`, 'utf8')
    return !/^\d+ \(.*\) Z/.test(status)
  } catch {
    return true
  }
}

/** Polls `check` every 50 ms until it is true or `timeoutMs` passes; returns the last answer. */
export async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return check()
}
