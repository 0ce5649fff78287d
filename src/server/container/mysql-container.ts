import { MySqlContainer, type StartedMySqlContainer } from '@testcontainers/mysql'

/** The MySQL image used when none is given. */
export const DEFAULT_MYSQL_IMAGE = 'mysql:8.4'
/** The MariaDB image used when none is given. */
export const DEFAULT_MARIADB_IMAGE = 'mariadb:11.4'

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
