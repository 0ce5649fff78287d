import { settingDefaults } from '../../config/setting-defaults.ts'
import { randomBytes } from 'node:crypto'
import type { StartedTestContainer } from 'testcontainers'
import { readServerIdentity } from '../connect.ts'
import { capabilitiesOf, type EngineIdentity } from '../engine.ts'
import { ServerStartError } from '../errors.ts'
import type { ServerEndpoint, ServerInfo, ServerProvider, StartedServer } from '../types.ts'
import { startContainerWatchdog, type ContainerWatchdog } from './container-watchdog.ts'
import type { DockerEndpoint } from './docker-api.ts'
import { labelsForThisProcess, removeContainer, sweepOrphanedContainers } from './labels.ts'
import { DEFAULT_MARIADB_IMAGE, DEFAULT_MYSQL_IMAGE, DEFAULT_TIDB_IMAGE, TIDB_SQL_PORT } from './images.ts'

/** What the container provider runs. */
export type ContainerFlavor = 'tidb' | 'mysql' | 'mariadb'

/** Options of the container provider. */
export interface ContainerServerOptions {
  /** The Docker API found by `detectContainerRuntime`. */
  readonly docker: DockerEndpoint
  readonly flavor: ContainerFlavor
  /** Image; default by flavor. */
  readonly image?: string
  /** Keep the container for the next run (Testcontainers reuse). */
  readonly reuse?: boolean
  /** How long the server may take to answer SELECT 1, in ms. */
  readonly startTimeoutMs?: number
}

/** The image a flavor uses when none is configured. */
export function defaultImage(flavor: ContainerFlavor): string {
  return flavor === 'tidb' ? DEFAULT_TIDB_IMAGE : flavor === 'mysql' ? DEFAULT_MYSQL_IMAGE : DEFAULT_MARIADB_IMAGE
}

/**
 * The container provider: TiDB (the rig's TiDB module) or MySQL/MariaDB (`@testcontainers/mysql`)
 * through Testcontainers. It does Ryuk's job itself: its containers carry the rig's labels, a
 * watchdog removes the container if the runner dies, a failed start removes what was created, and
 * each start first sweeps containers of dead runs.
 */
export class ContainerServer implements ServerProvider {
  /** Provider name. */
  readonly name = 'container'
  readonly #options: ContainerServerOptions

  constructor(options: ContainerServerOptions) {
    this.#options = options
  }

  /** Starts the container and waits until it answers `SELECT VERSION()`. */
  async start(): Promise<StartedServer> {
    const { docker, flavor, reuse = false } = this.#options
    const image = this.#options.image ?? defaultImage(flavor)
    // The rig removes its containers itself (Ryuk's image often cannot be pulled in CI sandboxes).
    process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true'
    await sweepOrphanedContainers(docker)

    let containerId: string | undefined
    let watchdog: ContainerWatchdog | undefined
    const created = (id: string) => {
      containerId = id
      if (!reuse) watchdog = startContainerWatchdog(docker, id)
    }
    // A fresh password per run; a reused container keeps one (Testcontainers' reuse hash includes it).
    const password = flavor === 'tidb' ? undefined : reuse ? 'test-rig-reused' : `rig-${randomBytes(9).toString('hex')}`
    const labels = labelsForThisProcess(reuse)
    let started: StartedTestContainer | undefined
    try {
      const startupTimeoutMs = this.#options.startTimeoutMs ?? settingDefaults.startTimeoutSecs * 1000
      // Testcontainers loads here, when a container starts: a run on a local server never pays its ~300 ms import.
      if (flavor === 'tidb') {
        const { TiDBContainer } = await import('./tidb-container.ts')
        const container = new TiDBContainer(image).withLabels(labels).withCreatedCallback(created).withStartupTimeout(startupTimeoutMs)
        started = await (reuse ? container.withReuse() : container).start()
      } else {
        const { TrackedMySqlContainer } = await import('./mysql-container.ts')
        const container = new TrackedMySqlContainer(image).withRootPassword(password as string).withLabels(labels).withCreatedCallback(created).withStartupTimeout(startupTimeoutMs)
        started = await (reuse ? container.withReuse() : container).start()
      }
      const port = started.getMappedPort(flavor === 'tidb' ? TIDB_SQL_PORT : 3306)
      const endpoint: ServerEndpoint = { host: started.getHost(), port, user: 'root', ...(password ? { password } : {}), tls: false, connectTimeoutMs: 5_000 }
      // The polling policy (cockatiel) loads here: a run on a local or external server never needs it.
      const { pollUntil } = await import('../../resilience/poll.ts')
      const identity = await pollUntil(() => readServerIdentity(endpoint), { what: `${image} on ${endpoint.host}:${port} to answer SELECT VERSION()`, timeoutMs: startupTimeoutMs, intervalMs: 100 })
      return new StartedContainerServer(started, endpoint, identity, reuse, watchdog, docker)
    } catch (error) {
      // Testcontainers leaves a container whose wait strategy failed; the rig does not.
      watchdog?.disarm()
      if (containerId && !reuse) await removeContainer(docker, containerId).catch(() => {})
      const reason = error instanceof Error ? error.message : String(error)
      throw new ServerStartError(`the ${flavor} container (${image}) did not start: ${reason}\nFix: check the image exists (docker image ls) or can be pulled; set server.containerImage, or server.provider=local.`, { cause: error })
    }
  }
}

/** A running container; `stop()` removes it (unless it is kept for reuse). */
export class StartedContainerServer implements StartedServer {
  /** What and where the server is. */
  readonly info: ServerInfo
  /** How to connect. */
  readonly endpoint: ServerEndpoint
  /** The container's id. */
  readonly containerId: string
  /** A reused container outlives the run. */
  readonly outlivesRun: boolean
  readonly #reuse: boolean
  readonly #watchdog: ContainerWatchdog | undefined
  readonly #docker: DockerEndpoint
  #stopping: Promise<void> | undefined

  constructor(container: StartedTestContainer, endpoint: ServerEndpoint, identity: EngineIdentity, reuse: boolean, watchdog: ContainerWatchdog | undefined, docker: DockerEndpoint) {
    this.#reuse = reuse
    this.outlivesRun = reuse
    this.#watchdog = watchdog
    this.#docker = docker
    this.endpoint = endpoint
    this.containerId = container.getId()
    this.info = {
      provider: 'container', engine: identity.name, version: identity.version, versionText: identity.versionText,
      host: endpoint.host, port: endpoint.port, user: endpoint.user, tls: false, capabilities: capabilitiesOf(identity),
      ...(identity.tidbStorage ? { tidbStorage: identity.tidbStorage } : {}),
    }
  }

  /** Removes the container (a reused one keeps running for the next run). */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      if (!this.#reuse) await removeContainer(this.#docker, this.containerId)
      this.#watchdog?.disarm()
    })()
    return this.#stopping
  }

  /** Same as `stop()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop()
  }
}
