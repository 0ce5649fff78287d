import { withDriverOptions } from '../faults/driver/driver-options.ts'
import { instrumentedMariadb, type MariadbModule, type StatementRecorder } from '../faults/driver/instrument-mariadb.ts'
import { instrumentedMariadbCallback, type MariadbCallbackModule } from '../faults/driver/instrument-mariadb-callback.ts'
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
  /** A pool cluster whose nodes are added with `add(id, config?)`: each opens into this test's database unless its config says otherwise. */
  createPoolCluster(options?: object): NonNullable<ReturnType<NonNullable<M['createPoolCluster']>>>
}

/** The `mariadb` connector's callback API as `rig.mariadbCallback(driver)` gives it: opening into the test's database, with its faults. */
export interface RigMariadbCallback<M extends MariadbCallbackModule> {
  /** Options into this test's database (they hold the password: do not print them). */
  readonly config: MariadbConfig
  /** A connection into this test's database, connecting at once (`connect(callback)`, or its `connect`/`error` events); `config` overrides or adds options. */
  createConnection(config?: object): ReturnType<M['createConnection']>
  /** A pool into this test's database; `config` overrides or adds options. */
  createPool(config?: object): ReturnType<M['createPool']>
  /** A pool cluster whose nodes are added with `add(id, config?)`: each opens into this test's database unless its config says otherwise. */
  createPoolCluster(options?: object): NonNullable<ReturnType<NonNullable<M['createPoolCluster']>>>
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
      createPoolCluster: (options = {}) => {
        if (instrumented.createPoolCluster === undefined) throw new TypeError('this mariadb module has no createPoolCluster')
        return this.#intoTestDatabase(instrumented.createPoolCluster(options), config) as NonNullable<ReturnType<NonNullable<M['createPoolCluster']>>>
      },
    }
  }

  /** The connector's callback API with the test's faults, opening into `config`'s database; `record` is told of each statement sent. */
  openCallback<M extends MariadbCallbackModule>(driver: M, config: MariadbConfig, source: FaultSource, record?: StatementRecorder): RigMariadbCallback<M> {
    const instrumented = instrumentedMariadbCallback(driver, source, record)
    const note = (threadId: number | null, what: string) => {
      if (threadId !== null) this.threads.set(threadId, what)
    }
    return {
      config,
      createConnection: (options = {}) => {
        const connection = instrumented.createConnection(withDriverOptions(config, options))
        ;(connection as unknown as { once?: (event: string, listener: () => void) => void }).once?.('connect', () => note(connection.threadId, 'a connection from rig.mariadbCallback()'))
        this.#closers.add(async () => connection.destroy())
        return connection as ReturnType<M['createConnection']>
      },
      createPool: (options = {}) => {
        const pool = instrumented.createPool(withDriverOptions(config, options))
        pool.on?.('connection', (connection) => note(connection.threadId, 'a connection of a rig.mariadbCallback() pool'))
        this.#closers.add(() => new Promise<void>((resolve) => pool.end(() => resolve())))
        return pool as ReturnType<M['createPool']>
      },
      createPoolCluster: (options = {}) => {
        if (instrumented.createPoolCluster === undefined) throw new TypeError('this mariadb module has no createPoolCluster')
        return this.#intoTestDatabase(instrumented.createPoolCluster(options), config) as NonNullable<ReturnType<NonNullable<M['createPoolCluster']>>>
      },
    }
  }

  /** A pool cluster whose nodes open into `config`'s database unless their own config says otherwise, ended after the test (either API's). */
  #intoTestDatabase<C extends { add(id: string, config: object): void }>(cluster: C, config: MariadbConfig): C {
    const add = cluster.add.bind(cluster)
    cluster.add = (id: string, nodeConfig: object = {}) => add(id, withDriverOptions(config, nodeConfig))
    const end = (cluster as { end?: (callback: () => void) => unknown }).end?.bind(cluster)
    // The promise API's end returns a promise; the callback API's calls back.
    this.#closers.add(() => new Promise<void>((resolve) => {
      const ending = end?.(() => resolve())
      if (ending instanceof Promise) ending.then(() => resolve(), () => resolve())
      else if (end === undefined) resolve()
    }))
    return cluster
  }

  /** Closes every connection and pool opened (errors of those already gone are ignored). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#closers].map((close) => close()))
    this.#closers.clear()
  }
}
