import { MySqlContainer, type StartedMySqlContainer } from '@testcontainers/mysql'

export { DEFAULT_MARIADB_IMAGE, DEFAULT_MYSQL_IMAGE } from './images.ts'

/** `@testcontainers/mysql`'s container (MySQL, MariaDB and images that honour `MYSQL_*` variables), telling the rig its id as soon as it exists. */
export class TrackedMySqlContainer extends MySqlContainer {
  #onCreated: ((containerId: string) => void) | undefined

  /** Calls `callback` with the container id as soon as the container exists (before it is ready). */
  withCreatedCallback(callback: (containerId: string) => void): this {
    this.#onCreated = callback
    return this
  }

  protected override async containerCreated(containerId: string): Promise<void> {
    this.#onCreated?.(containerId)
  }
}

export type { StartedMySqlContainer }
