import { execFile } from 'node:child_process'
import { access, constants, realpath } from 'node:fs/promises'
import { homedir } from 'node:os'
import { delimiter, join } from 'node:path'
import { promisify } from 'node:util'
import { identifyBinaryOutput, type EngineIdentity } from './engine.ts'
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
}

/** Binary names in order of preference: TiDB first. */
export const serverBinaryNames = ['tidb-server', 'mariadbd', 'mysqld'] as const

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
  const found = await listServerBinaries(options)
  const first = found[0]
  if (first) return first
  throw new ServerBinaryNotFoundError(options.explicit ? [options.explicit] : searchFolders(options), options.explicit)
}

/** Every distinct server binary found, preferred first (a `mysqld` link to `mariadbd` counts once). */
export async function listServerBinaries(options: DiscoveryOptions = {}): Promise<ServerBinary[]> {
  const candidates = options.explicit
    ? [options.explicit]
    : serverBinaryNames.flatMap((name) => searchFolders(options).map((folder) => join(folder, name)))
  const seen = new Set<string>()
  const found: ServerBinary[] = []
  for (const candidate of candidates) {
    const path = await executablePath(candidate)
    if (!path || seen.has(path)) continue
    seen.add(path)
    const engine = await identifyBinary(path)
    if (engine) found.push({ path, engine })
  }
  return found
}

/** Runs the binary's version flag and identifies it; undefined when it is not a known server. */
export async function identifyBinary(path: string): Promise<EngineIdentity | undefined> {
  const flag = path.endsWith('tidb-server') ? '-V' : '--version'
  try {
    const { stdout, stderr } = await run(path, [flag], { timeout: 10_000 })
    return identifyBinaryOutput(`${stdout}\n${stderr}`)
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
