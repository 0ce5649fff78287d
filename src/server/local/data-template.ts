import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { access, constants, mkdir, rename, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import type { ServerBinary } from '../discovery.ts'
import { ServerStartError } from '../errors.ts'
import { copySparse } from './copy-sparse.ts'
import { findSnapshot, type FoundSnapshot } from './data-snapshot.ts'
import { initCommand } from './launch-plan.ts'
import { runnerFolder, sweepDeadRunnerFolders } from './run-folders.ts'
import { startWatchdog, type Watchdog } from './watchdog.ts'

const run = promisify(execFile)

/**
 * The folder for run directories and templates: tmpfs (`/dev/shm`) when wanted and writable,
 * else the OS temp folder.
 */
export async function scratchRoot(useTmpfs: boolean): Promise<string> {
  if (useTmpfs) {
    try {
      await access('/dev/shm', constants.W_OK)
      if ((await stat('/dev/shm')).isDirectory()) return '/dev/shm'
    } catch {
      // no tmpfs here: fall through
    }
  }
  return tmpdir()
}

/**
 * Makes a fresh data directory ready in `dataDir` for a server with no initialisation command
 * (TiDB bootstraps its store on first start): typically starts the server on it once and stops it.
 */
export type Bootstrap = (dataDir: string, watchdog: Watchdog) => Promise<void>

/** The data directory a run starts from. */
export interface PreparedData {
  /** The initialised template of the binary (kept data directories live beside it). */
  readonly base: string
  /** The data directory kept for the key asked for, when there is one: the run's copy is of it. */
  readonly snapshot: FoundSnapshot | undefined
}

/**
 * Fills `dataDir` with an initialised data directory. Initialising takes a second (MariaDB) to
 * many seconds (TiDB's bootstrap), so it is done once per binary and kept as a template under
 * `root`; each run copies the template, keeping its files sparse (most of InnoDB's files are
 * zeros), which takes milliseconds. `bootstrap` initialises for servers without an init command.
 * With `snapshotKey`, a data directory kept for that key beside the template (see
 * `keepSnapshot`) is copied instead when there is one.
 */
export async function prepareDataDirectory(binary: ServerBinary, dataDir: string, root: string, asRoot: boolean, bootstrap: Bootstrap, snapshotKey?: string): Promise<PreparedData> {
  const base = await ensureTemplate(binary, root, asRoot, bootstrap)
  const snapshot = snapshotKey === undefined ? undefined : await findSnapshot(base, snapshotKey)
  if (snapshot) {
    try {
      await copySparse(snapshot.dataDir, dataDir)
      return { base, snapshot }
    } catch {
      // Removed under our feet (another run pruned it): start from the template instead.
      await rm(dataDir, { recursive: true, force: true })
    }
  }
  await copySparse(base, dataDir)
  return { base, snapshot: undefined }
}

async function ensureTemplate(binary: ServerBinary, root: string, asRoot: boolean, bootstrap: Bootstrap): Promise<string> {
  const installDb = binary.engine.name === 'mariadb' ? await findInstallDb(binary.path) : undefined
  const key = createHash('sha256')
    .update(JSON.stringify([binary.path, binary.engine.versionText, initCommand(binary, '<data>', asRoot, installDb) ?? 'bootstrap']))
    .digest('hex')
    .slice(0, 12)
  const templates = join(root, 'test-rig-templates')
  const template = join(templates, `${binary.engine.name}-${binary.engine.version}-${key}`)
  if (await isDirectory(template)) return template

  await mkdir(templates, { recursive: true })
  await sweepDeadRunnerFolders(templates, [stagingStem])
  const staging = await runnerFolder(templates, stagingStem)
  // Guarded from the first instant: a runner killed during the build leaves no server and no folder.
  const watchdog = startWatchdog(staging)
  try {
    const fresh = join(staging, 'data')
    const init = initCommand(binary, fresh, asRoot, installDb)
    if (init) {
      try {
        await run(init.command, [...init.args], { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 })
      } catch (error) {
        const output = error instanceof Error && 'stderr' in error ? String((error as { stderr: unknown }).stderr).trim().split('\n').slice(-8).join('\n') : String(error)
        throw new ServerStartError(`initialising a ${binary.engine.name} data directory failed (${init.command}):\n${output}\nFix: check that the server package is complete; set logging.level=debug for more.`, { cause: error })
      }
    } else {
      await mkdir(fresh, { recursive: true })
      await bootstrap(fresh, watchdog)
    }
    const sparse = join(staging, 'sparse')
    await copySparse(fresh, sparse)
    try {
      await rename(sparse, template)
    } catch (error) {
      // Another run made the same template at the same moment: theirs is as good as ours.
      if (!(await isDirectory(template))) throw error
    }
    return template
  } finally {
    await rm(staging, { recursive: true, force: true })
    watchdog.disarm()
  }
}

/** The name stem of a template being built (`.staging-<runner pid>-<random>`). */
const stagingStem = '.staging'

async function findInstallDb(binaryPath: string): Promise<string | undefined> {
  const folders = [dirname(binaryPath), join(dirname(dirname(binaryPath)), 'bin'), ...(process.env.PATH ?? '').split(':')]
  for (const folder of folders) {
    for (const name of ['mariadb-install-db', 'mysql_install_db']) {
      try {
        await access(join(folder, name), constants.X_OK)
        return join(folder, name)
      } catch {
        // keep looking
      }
    }
  }
  return undefined
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
  } catch {
    return false
  }
}
