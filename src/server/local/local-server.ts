import { settingDefaults } from '../../config/setting-defaults.ts'
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { readServerIdentity } from '../connect.ts'
import { findServerBinary, type ServerBinary } from '../discovery.ts'
import { capabilitiesOf, identifyVersionText, type EngineIdentity, type EngineName } from '../engine.ts'
import { ServerStartError } from '../errors.ts'
import { freePort } from '../free-port.ts'
import { readGreeting } from '../greeting.ts'
import type { DataSnapshot, ServerEndpoint, ServerInfo, ServerProvider, SnapshotContents, StartedServer } from '../types.ts'
import { keepSnapshot } from './data-snapshot.ts'
import { prepareDataDirectory, scratchRoot, type PreparedData } from './data-template.ts'
import { errorLogPath, serverCommand, tidbConfig, tidbConfigPath, type RunLayout } from './launch-plan.ts'
import { runnerFolder, sweepDeadRunnerFolders } from './run-folders.ts'
import { startWatchdog, type Watchdog } from './watchdog.ts'

/** Options of the local provider. */
export interface LocalServerOptions {
  /** Server binary to run; found on the machine when unset. */
  readonly binary?: string
  /** Only this product (`server.engine`). */
  readonly engine?: EngineName
  /** Keep the data directory on tmpfs when there is one. Default true. */
  readonly tmpfs?: boolean
  /** How long the server may take to answer, in milliseconds. Default 60 000. */
  readonly startTimeoutMs?: number
  /**
   * Start from the data directory kept for this key when there is one, and offer to keep one
   * (`StartedLocalServer.snapshot`): the preset passes its schema declaration's key.
   */
  readonly snapshotKey?: string
  /** Variables added to the server's environment (TiDB's failpoints are switched on this way). */
  readonly environment?: Readonly<Record<string, string>>
}

/**
 * The local provider: runs `tidb-server`, `mariadbd` or `mysqld` as a child process on a free
 * loopback port with a throw-away data directory. A watchdog process stops the server and removes
 * its files even when the test runner is killed.
 */
export class LocalServer implements ServerProvider {
  /** Provider name. */
  readonly name = 'local'
  readonly #options: LocalServerOptions

  constructor(options: LocalServerOptions = {}) {
    this.#options = options
  }

  /** Starts the server and waits until it is ready: mariadbd and mysqld greet, TiDB answers `SELECT VERSION()` and `GET /status`. */
  async start(): Promise<StartedLocalServer> {
    const { binary: explicit, engine } = this.#options
    const binary = await findServerBinary({ ...(explicit === undefined ? {} : { explicit }), ...(engine === undefined ? {} : { engine }) })
    const root = await scratchRoot(this.#options.tmpfs ?? settingDefaults.tmpfs)
    // Runs killed before they could clean up (SIGKILL in the instant before their watchdog acted).
    await sweepDeadRunnerFolders(root, [runStem])
    const runDir = await runnerFolder(root, runStem)
    // The watchdog guards the folder before anything is in it: no window is left for an orphan.
    const watchdog = startWatchdog(runDir)
    const timeoutMs = this.#options.startTimeoutMs ?? settingDefaults.startTimeoutSecs * 1000
    const asRoot = process.getuid?.() === 0
    try {
      const dataDir = join(runDir, 'data')
      const { snapshotKey } = this.#options
      const prepared = await prepareDataDirectory(binary, dataDir, root, asRoot, (fresh, guard) => bootstrapStore(binary, fresh, asRoot, timeoutMs, guard), snapshotKey)
      const layout = { dataDir, runDir, asRoot, environment: this.#options.environment ?? {} }
      const launched = await launch(binary, layout, timeoutMs, watchdog)
      const server = new StartedLocalServer(launched, watchdog, runDir)
      if (snapshotKey !== undefined) server.snapshot = new LocalSnapshot(server, snapshotKey, prepared, () => launch(binary, layout, timeoutMs, watchdog))
      return server
    } catch (error) {
      await rm(runDir, { recursive: true, force: true })
      watchdog.disarm()
      throw error
    }
  }
}

/** The name stem of a run folder (`test-rig-run-<runner pid>-<random>`). */
const runStem = 'test-rig-run'

/** A server process that answered. */
interface LaunchedServer {
  readonly child: ChildProcess
  readonly endpoint: ServerEndpoint
  readonly identity: EngineIdentity
}

/**
 * Spawns the server on a prepared data directory, on free loopback ports, tells the folder's
 * watchdog its pid, and waits until it answers; on failure nothing it started is left running.
 */
async function launch(binary: ServerBinary, where: Pick<RunLayout, 'dataDir' | 'runDir' | 'asRoot'> & { readonly environment?: Readonly<Record<string, string>> }, timeoutMs: number, watchdog: Watchdog): Promise<LaunchedServer> {
  const layout: RunLayout = { ...where, port: await freePort(), statusPort: binary.engine.name === 'tidb' ? await freePort() : 0 }
  if (binary.engine.name === 'tidb') await writeFile(tidbConfigPath(layout), tidbConfig(layout))
  const command = serverCommand(binary, layout)
  let child: ChildProcess | undefined
  try {
    child = spawn(command.command, [...command.args], { detached: true, stdio: 'ignore', cwd: layout.runDir, env: { ...process.env, ...where.environment } })
    child.unref()
    if (child.pid !== undefined) watchdog.watch(child.pid)
    await once(child, 'spawn')
    const endpoint: ServerEndpoint = { host: '127.0.0.1', port: layout.port, user: 'root', tls: false, connectTimeoutMs: 2_000 }
    const identity = await waitUntilReady(child, binary, endpoint, layout, timeoutMs)
    return { child, endpoint, identity }
  } catch (error) {
    if (child) await killAndReap(child)
    throw error
  }
}

/**
 * Bootstraps a store for servers that make their own on first start (TiDB writes its system
 * tables, which takes seconds): starts the server on `dataDir`, waits until it answers and stops
 * it gracefully so that everything it wrote is on disk.
 */
async function bootstrapStore(binary: ServerBinary, dataDir: string, asRoot: boolean, timeoutMs: number, watchdog: Watchdog): Promise<void> {
  const launched = await launch(binary, { dataDir, runDir: dirname(dataDir), asRoot }, timeoutMs, watchdog)
  await stopCleanly(launched.child)
}

/** A running local server; `stop()` kills it and removes its data directory. */
export class StartedLocalServer implements StartedServer {
  /** What and where the server is. */
  info: ServerInfo
  /** How to connect. */
  endpoint: ServerEndpoint
  /** A local server lives and dies with the run. */
  readonly outlivesRun = false
  /** The run folder (data directory, socket, error log); gone after `stop()`. */
  readonly runDir: string
  /** Its data directory kept across runs, when a key was given (see LocalServerOptions.snapshotKey). */
  snapshot: DataSnapshot | undefined
  #child: ChildProcess
  readonly #watchdog: Watchdog
  #stopping: Promise<void> | undefined

  constructor(launched: LaunchedServer, watchdog: Watchdog, runDir: string) {
    this.#watchdog = watchdog
    this.runDir = runDir
    this.#child = launched.child
    this.endpoint = launched.endpoint
    this.info = describe(launched)
  }

  /**
   * Stops the server cleanly (everything it wrote is on disk), runs `meanwhile` on its stopped
   * data directory, and starts it again with `relaunch`: a new process on new ports (`endpoint`
   * and `info` change). Returns what `meanwhile` threw, or why it was not run: a server that did not
   * stop cleanly (within 30 s, with exit code 0). Throws only when the server does not start again.
   */
  async restart(meanwhile: () => Promise<void>, relaunch: () => Promise<LaunchedServer>): Promise<string | undefined> {
    if (this.#stopping) throw new Error('the server was stopped')
    const child = this.#child
    await stopCleanly(child)
    let failure: string | undefined
    try {
      if (child.exitCode === 0) await meanwhile()
      else failure = `the server did not stop cleanly (${child.signalCode ?? `exit code ${child.exitCode}`})`
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error)
    }
    const launched = await relaunch()
    this.#child = launched.child
    this.endpoint = launched.endpoint
    this.info = describe(launched)
    return failure
  }

  /** Kills the server (its data is thrown away, so there is nothing to shut down gracefully) and removes its folder. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      // The watchdog stays armed until everything is gone: if this process dies half-way
      // (a closed pipe, a second Ctrl-C), it finishes the job.
      // The folder goes while the killed server is reaped (a process with 256 MB of buffer pool
      // takes a while to die); the second pass catches a file its last instant may have made.
      await Promise.all([killAndReap(this.#child), rm(this.runDir, { recursive: true, force: true }).catch(() => {})])
      await rm(this.runDir, { recursive: true, force: true })
      this.#watchdog.disarm()
    })()
    return this.#stopping
  }

  /** Same as `stop()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop()
  }
}

/**
 * The data directory of a local server kept across runs for one key: found at start (the run's
 * copy was made of it), or kept by {@link LocalSnapshot.keep}, which stops the server cleanly,
 * copies its data directory beside the binary's initialised template and starts it again.
 */
class LocalSnapshot implements DataSnapshot {
  readonly key: string
  readonly found: SnapshotContents | undefined
  readonly #server: StartedLocalServer
  readonly #base: string
  readonly #relaunch: () => Promise<LaunchedServer>

  constructor(server: StartedLocalServer, key: string, prepared: PreparedData, relaunch: () => Promise<LaunchedServer>) {
    this.#server = server
    this.key = key
    this.found = prepared.snapshot?.contents
    this.#base = prepared.base
    this.#relaunch = relaunch
  }

  async keep(contents: SnapshotContents): Promise<{ readonly kept: boolean; readonly why?: string }> {
    const why = await this.#server.restart(() => keepSnapshot(this.#base, this.key, join(this.#server.runDir, 'data'), contents), this.#relaunch)
    return why === undefined ? { kept: true } : { kept: false, why }
  }
}

/** The plain facts of a launched server. */
function describe(launched: LaunchedServer): ServerInfo {
  const { child, endpoint, identity } = launched
  return {
    provider: 'local',
    engine: identity.name,
    version: identity.version,
    versionText: identity.versionText,
    host: endpoint.host,
    port: endpoint.port,
    user: endpoint.user,
    tls: false,
    capabilities: capabilitiesOf(identity),
    ...(identity.tidbStorage ? { tidbStorage: identity.tidbStorage } : {}),
    ...(child.pid === undefined ? {} : { pid: child.pid }),
  }
}

/** Stops a server gracefully (SIGTERM, up to 30 s), then kills it if it is still there and waits for its exit. */
async function stopCleanly(child: ChildProcess): Promise<void> {
  try {
    await stopGracefully(child, 30_000)
  } finally {
    await killAndReap(child)
  }
}

/** Sends SIGTERM and waits up to `timeoutMs` for the exit. */
async function stopGracefully(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.ref()
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  let timer: NodeJS.Timeout | undefined
  await Promise.race([exited, new Promise((resolve) => { timer = setTimeout(resolve, timeoutMs) })])
  clearTimeout(timer)
}

/** Kills a child with SIGKILL and waits for its exit; the child is referenced meanwhile so Node waits for it. */
async function killAndReap(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.ref()
  const exited = once(child, 'exit')
  child.kill('SIGKILL')
  await exited
}

async function waitUntilReady(child: ChildProcess, binary: ServerBinary, endpoint: ServerEndpoint, layout: RunLayout, timeoutMs: number): Promise<EngineIdentity> {
  const exited = new AbortController()
  const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
    void readLogTail(errorLogPath(layout)).then((tail) => {
      exited.abort(new ServerStartError(`${binary.path} exited (${signal ?? `code ${code}`}) before it answered on port ${layout.port}.\nIts error log ends with:\n${tail}\nFix: read the log above; a port clash or a full disk are the usual causes.`))
    })
  }
  child.once('exit', onExit)
  try {
    // TiDB is ready when its status endpoint answers too (it serves SQL a moment before), and a
    // query tells its storage. mariadbd and mysqld are ready when they greet: their greeting names
    // the version, and mysql2 need not load in the runner's process (~100 ms of a start's CPU).
    const tidb = layout.statusPort > 0
    const ready = async () => {
      if (!tidb) return identifyVersionText(await readGreeting(endpoint.host, endpoint.port, endpoint.connectTimeoutMs))
      const identity = await readServerIdentity(endpoint)
      if (!(await fetch(`http://127.0.0.1:${layout.statusPort}/status`)).ok) throw new Error('the status endpoint does not answer yet')
      return identity
    }
    const what = `${binary.engine.name} (${binary.path}) on 127.0.0.1:${layout.port} to ${tidb ? `answer SELECT VERSION() and GET /status on ${layout.statusPort}` : 'greet'}`
    // The polling policy (cockatiel) loads here, not with the package: test files import this module too.
    const { pollUntil } = await import('../../resilience/poll.ts')
    return await pollUntil(ready, { what, timeoutMs, intervalMs: 10, signal: exited.signal })
  } finally {
    child.off('exit', onExit)
  }
}

async function readLogTail(path: string): Promise<string> {
  try {
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n')
    return lines.slice(-10).map((line) => `  ${line}`).join('\n')
  } catch {
    return '  (no error log was written)'
  }
}
