import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import type { EngineIdentity } from './engine.ts'

/**
 * What a server binary said about itself (`--version`, `-V`), remembered across runs: asking costs
 * a process start (30 ms for mariadbd, 100 ms and more for the 250 MB tidb-server) on every run.
 * Keyed by the binary's identity — path, size and modification time — so a replaced or upgraded
 * binary is asked again.
 */
export class BinaryFacts {
  readonly #file: string

  constructor(file: string = defaultFactsFile()) {
    this.#file = file
  }

  /** The identity remembered for the binary as it is now, or undefined. */
  async get(path: string): Promise<EngineIdentity | undefined> {
    const key = await keyOf(path)
    return key === undefined ? undefined : (await this.#read())[key]
  }

  /** Remembers the identity of the binary as it is now. Losing a race with another run is harmless. */
  async set(path: string, identity: EngineIdentity): Promise<void> {
    const key = await keyOf(path)
    if (key === undefined) return
    // Binaries that are gone (a test's fake, an uninstalled server) are forgotten.
    const kept = await Promise.all(Object.entries(await this.#read()).map(async ([known, value]) => ((await keyOf(known.split('|')[0] ?? '')) === known ? [[known, value] as const] : [])))
    const facts = { ...Object.fromEntries(kept.flat()), [key]: identity }
    await mkdir(dirname(this.#file), { recursive: true })
    const staging = `${this.#file}.${process.pid}`
    await writeFile(staging, JSON.stringify(facts))
    await rename(staging, this.#file)
  }

  async #read(): Promise<Record<string, EngineIdentity>> {
    try {
      return JSON.parse(await readFile(this.#file, 'utf8')) as Record<string, EngineIdentity>
    } catch {
      return {}
    }
  }
}

/** The rig's cache folder outside any project: `$TEST_RIG_CACHE`, else `$XDG_CACHE_HOME/test-rig`, else `~/.cache/test-rig`. */
export function rigCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.TEST_RIG_CACHE || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'test-rig')
}

function defaultFactsFile(): string {
  return join(rigCacheDir(), 'binaries.json')
}

async function keyOf(path: string): Promise<string | undefined> {
  try {
    const facts = await stat(path)
    return `${path}|${facts.size}|${facts.mtimeMs}`
  } catch {
    return undefined
  }
}
