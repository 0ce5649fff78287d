import { settingDefaults } from '../../config/setting-defaults.ts'
import { AbstractStartedContainer, GenericContainer, Wait, type StartedTestContainer } from 'testcontainers'
import { DEFAULT_TIDB_IMAGE, TIDB_SQL_PORT, TIDB_STATUS_PORT } from './images.ts'

export { DEFAULT_TIDB_IMAGE, TIDB_SQL_PORT, TIDB_STATUS_PORT }

/**
 * A TiDB container in the style of testcontainers-node's modules: a single `tidb-server` on
 * unistore, SQL on 4000, status on 10080; ready when `GET /status` answers 200 (the rig then also
 * waits for `SELECT 1`). Root has no password, as in the image.
 */
export class TiDBContainer extends GenericContainer {
  #onCreated: ((containerId: string) => void) | undefined

  constructor(image = DEFAULT_TIDB_IMAGE) {
    super(image)
    this.withExposedPorts(TIDB_SQL_PORT, TIDB_STATUS_PORT)
      .withCommand(['--store=unistore', '--path=/tmp/tidb', '-P', String(TIDB_SQL_PORT), '--status', String(TIDB_STATUS_PORT), '-L', 'warn'])
      // The status endpoint answers once the server is up. (No listening-ports check: Testcontainers
      // runs that inside the container with a shell, which a minimal TiDB image does not have.)
      .withWaitStrategy(Wait.forHttp('/status', TIDB_STATUS_PORT).forStatusCode(200))
      .withStartupTimeout(settingDefaults.startTimeoutSecs * 1000)
  }

  /** Calls `callback` with the container id as soon as the container exists (before it is ready). */
  withCreatedCallback(callback: (containerId: string) => void): this {
    this.#onCreated = callback
    return this
  }

  protected override async containerCreated(containerId: string): Promise<void> {
    this.#onCreated?.(containerId)
  }

  /** Starts the container and waits until the status endpoint answers. */
  override async start(): Promise<StartedTiDBContainer> {
    return new StartedTiDBContainer(await super.start())
  }
}

/** A started TiDB container: mapped ports and connection details. */
export class StartedTiDBContainer extends AbstractStartedContainer {
  constructor(started: StartedTestContainer) {
    super(started)
  }

  /** The mapped SQL port. */
  getPort(): number {
    return this.getMappedPort(TIDB_SQL_PORT)
  }

  /** The mapped status port. */
  getStatusPort(): number {
    return this.getMappedPort(TIDB_STATUS_PORT)
  }

  /** User to connect as. */
  getUsername(): string {
    return 'root'
  }

  /** `mysql://root@host:port/` (optionally into a database). */
  getConnectionUri(database = ''): string {
    return `mysql://root@${this.getHost()}:${this.getPort()}/${database}`
  }
}
