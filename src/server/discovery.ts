import { execFile } from 'node:child_process'
import { access, constants, readdir, realpath } from 'node:fs/promises'
import { homedir } from 'node:os'
import { basename, delimiter, dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { BinaryFacts, rigCacheDir } from './binary-facts.ts'
import { identifyBinaryOutput, type EngineIdentity, type EngineName } from './engine.ts'
import { ServerBinaryNotFoundError } from './errors.ts'

const run = promisify(execFile)

/** A server binary found on the machine and what it is. */
export interface ServerBinary {
  /** Absolute path, links resolved. */
  readonly path: string
  /** The product and version it reports. */
  readonly engine: EngineIdentity
}

/** Where to look for server binaries. */
export interface DiscoveryOptions {
  /** A path from config (`server.binary`); when set, only it is considered. */
  readonly explicit?: string
  /** The PATH to search. Default: `process.env.PATH`. */
  readonly searchPath?: string
  /** Folders searched after PATH. Default: {@link defaultServerFolders}. */
  readonly folders?: readonly string[]
  /** Only this product (`server.engine`); a pinned TiDB is also looked for in {@link tidbBuildCache}. */
  readonly engine?: EngineName
  /** tiup's home, where `tiup install tidb` puts `components/tidb/<version>/tidb-server`. Default: `$TIUP_HOME`, else `~/.tiup`. */
  readonly tiupHome?: string
}

/** Binary names in order of preference: TiDB first. */
export const serverBinaryNames = ['tidb-server', 'mariadbd', 'mysqld'] as const

const binaryNamesOf: Readonly<Record<EngineName, readonly string[]>> = { tidb: ['tidb-server'], mariadb: ['mariadbd', 'mysqld'], mysql: ['mysqld'] }

/**
 * Where scripts/build-tidb.sh keeps the tidb-server builds, one folder per pinned release:
 * `$TEST_RIG_CACHE`, else `$XDG_CACHE_HOME/test-rig`, else `~/.cache/test-rig`, then `tidb/`.
 */
export function tidbBuildCache(env: NodeJS.ProcessEnv = process.env): string {
  return join(rigCacheDir(env), 'tidb')
}

/** Folders where packages put server binaries that are often not on PATH. */
export const defaultServerFolders: readonly string[] = [
  '/usr/sbin',
  '/usr/local/sbin',
  '/usr/local/mysql/bin',
  '/usr/local/bin',
  '/opt/homebrew/bin',
  '/opt/homebrew/sbin',
  join(homedir(), '.tiup', 'bin'),
]

/** Finds and identifies the preferred server binary, or throws {@link ServerBinaryNotFoundError} with the fix. */
export async function findServerBinary(options: DiscoveryOptions = {}): Promise<ServerBinary> {
  // The first one found is enough: the folders after it are not searched.
  for await (const binary of serverBinaries(options)) return binary
  throw new ServerBinaryNotFoundError(options.explicit ? [options.explicit] : searchFolders(options), options.explicit, options.engine)
}

/** Every distinct server binary found, preferred first (a `mysqld` link to `mariadbd` counts once). */
export async function listServerBinaries(options: DiscoveryOptions = {}): Promise<ServerBinary[]> {
  const found: ServerBinary[] = []
  for await (const binary of serverBinaries(options)) found.push(binary)
  return found
}

/** The server binaries of {@link listServerBinaries}, one at a time, each looked for only when asked. */
async function* serverBinaries(options: DiscoveryOptions): AsyncGenerator<ServerBinary> {
  const names = options.engine ? binaryNamesOf[options.engine] : serverBinaryNames
  // tidb-server where tiup installs it (newest version first) comes right after the one on PATH.
  const tiup = names.includes('tidb-server') && !options.explicit ? await tiupTidbBuilds(options.tiupHome) : []
  const candidates = options.explicit
    ? [options.explicit]
    : [...names.flatMap((name) => [...searchFolders(options).map((folder) => join(folder, name)), ...(name === 'tidb-server' ? tiup : [])]), ...(options.engine === 'tidb' ? await cachedTidbBuilds() : [])]
  const seen = new Set<string>()
  const facts = new BinaryFacts()
  for (const candidate of candidates) {
    const path = await executablePath(candidate)
    if (!path || seen.has(path)) continue
    seen.add(path)
    const engine = await identifyBinary(path, facts)
    if (engine && (!options.engine || engine.name === options.engine)) yield { path, engine }
  }
}

/**
 * The tidb-server binaries tiup installed (`tiup install tidb[:v8.5.6]`), newest version first:
 * tiup keeps only itself in `~/.tiup/bin` and each component version under
 * `~/.tiup/components/tidb/<version>/` (the folder `tiup --binary tidb` prints).
 */
async function tiupTidbBuilds(home: string = process.env.TIUP_HOME || join(homedir(), '.tiup')): Promise<string[]> {
  const components = join(home, 'components', 'tidb')
  try {
    const versions = await readdir(components)
    return versions.sort((a, b) => b.localeCompare(a, 'en', { numeric: true })).map((version) => join(components, version, 'tidb-server'))
  } catch {
    return []
  }
}

/** The suffix of the cache folders of failpoint builds (`build-tidb.sh --failpoints`). */
const failpointSuffix = '-failpoints'

/** The tidb-server builds in the rig's cache, newest release first: the normal builds, or only the failpoint builds. */
async function cachedTidbBuilds(failpoints = false): Promise<string[]> {
  const cache = tidbBuildCache()
  try {
    const releases = (await readdir(cache)).filter((release) => release.endsWith(failpointSuffix) === failpoints)
    return releases.sort((a, b) => b.localeCompare(a, 'en', { numeric: true })).map((release) => join(cache, release, 'tidb-server'))
  } catch {
    return []
  }
}

/**
 * The failpoint build of tidb-server `version` (`scripts/build-tidb.sh --failpoints`) in the rig's
 * cache, or undefined when there is none: TiDB's own failpoints are compiled into it.
 */
export async function findFailpointTidb(version: string): Promise<ServerBinary | undefined> {
  const facts = new BinaryFacts()
  for (const path of await cachedTidbBuilds(true)) {
    if (!basename(dirname(path)).startsWith(`v${version.replace(/^v/, '')}-`)) continue
    const engine = await identifyBinary(path, facts)
    if (engine?.name === 'tidb') return { path, engine }
  }
  return undefined
}

/**
 * Identifies a binary by its version flag; undefined when it is not a known server. What it says is
 * remembered ({@link BinaryFacts}) until the binary changes, so a run does not start it to ask.
 */
export async function identifyBinary(path: string, facts: BinaryFacts = new BinaryFacts()): Promise<EngineIdentity | undefined> {
  const known = await facts.get(path)
  if (known) return known
  const flag = path.endsWith('tidb-server') ? '-V' : '--version'
  try {
    const { stdout, stderr } = await run(path, [flag], { timeout: 10_000 })
    const identity = identifyBinaryOutput(`${stdout}\n${stderr}`)
    if (identity) await facts.set(path, identity).catch(() => {})
    return identity
  } catch {
    return undefined
  }
}

function searchFolders(options: DiscoveryOptions): string[] {
  const fromPath = (options.searchPath ?? process.env.PATH ?? '').split(delimiter).filter(Boolean)
  return [...new Set([...fromPath, ...(options.folders ?? defaultServerFolders)])]
}

async function executablePath(candidate: string): Promise<string | undefined> {
  try {
    await access(candidate, constants.X_OK)
    return await realpath(candidate)
  } catch {
    return undefined
  }
}
