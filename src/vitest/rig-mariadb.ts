import { withDriverOptions } from '../faults/driver/driver-options.ts'
import { instrumentedMariadb, type MariadbModule, type StatementRecorder } from '../faults/driver/instrument-mariadb.ts'
import type { FaultSource } from '../faults/driver/instrument-connection.ts'

/** Options of the `mariadb` connector into a test's database. */
export interface MariadbConfig {
  readonly host: string
  readonly port: number
  readonly user: string
  readonly password?: string
  readonly database: string
}

/** The `mariadb` connector as `rig.mariadb(driver)` gives it: opening into the test's database, with its faults. */
export interface RigMariadb<M extends MariadbModule> {
  /** Options into this test's database (they hold the password: do not print them). */
  readonly config: MariadbConfig
  /** A connection into this test's database; `config` overrides or adds options. */
  createConnection(config?: object): Promise<Awaited<ReturnType<M['createConnection']>>>
  /** A pool into this test's database; `config` overrides or adds options. */
  createPool(config?: object): ReturnType<M['createPool']>
}

/**
 * What one test opened with the `mariadb` connector: the server threads of its connections (so
 * statements still running at the test's end can be found and killed) and how to close them all.
 */
export class MariadbResources {
  /** Server thread ids of the connections opened, by what they are called in messages. */
  readonly threads = new Map<number, string>()
  readonly #closers = new Set<() => Promise<unknown>>()

  /** The connector's promise API with the test's faults, opening into `config`'s database; `record` is told of each statement sent. */
  open<M extends MariadbModule>(driver: M, config: MariadbConfig, source: FaultSource, record?: StatementRecorder): RigMariadb<M> {
    const instrumented = instrumentedMariadb(driver, source, record)
    return {
      config,
      createConnection: async (options = {}): Promise<Awaited<ReturnType<M['createConnection']>>> => {
        const connection = await instrumented.createConnection(withDriverOptions(config, options))
        if (connection.threadId !== null) this.threads.set(connection.threadId, 'a connection from rig.mariadb()')
        this.#closers.add(async () => connection.destroy())
        return connection as Awaited<ReturnType<M['createConnection']>>
      },
      createPool: (options = {}) => {
        const pool = instrumented.createPool(withDriverOptions(config, options))
        pool.on?.('connection', (connection) => {
          if (connection.threadId !== null) this.threads.set(connection.threadId, 'a connection of a rig.mariadb() pool')
        })
        this.#closers.add(() => pool.end())
        return pool as ReturnType<M['createPool']>
      },
    }
  }

  /** Closes every connection and pool opened (errors of those already gone are ignored). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#closers].map((close) => close()))
    this.#closers.clear()
  }
}
