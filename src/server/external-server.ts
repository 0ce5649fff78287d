import type { Connection, RowDataPacket } from 'mysql2/promise'
import type { ResilienceConfig } from '../config/schema.ts'
import type { ContextualError } from '../resilience/error-context.ts'
import { identifyServer, openConnection } from './connect.ts'
import { capabilitiesOf } from './engine.ts'
import { ServerUnreachableError } from './errors.ts'
import type { ServerEndpoint, ServerInfo, ServerProvider, StartedServer } from './types.ts'

/** Options of the external provider. */
export interface ExternalServerOptions {
  /** Where the server is. */
  readonly endpoint: ServerEndpoint
  /** A database that must exist there (checked at start). */
  readonly database?: string
  /** Where each connection field came from, for error messages (e.g. `environment variable TIDB_PASSWORD`): a failure names the source of the field that is wrong. */
  readonly origins: ConnectionOrigins
  /** Retry settings for the first connection (transient errors only: a refused or reset connection, too many connections). */
  readonly resilience?: Partial<ResilienceConfig>
}

/** The source of each connection field (see `LoadedConfig.origins`), `defaults` for one no source set. */
export interface ConnectionOrigins {
  readonly host: string
  readonly port: string
  readonly user: string
  readonly password: string
  readonly database: string
  readonly tls: string
}

/** The external provider: a server the rig does not own (TiDB Cloud, a cluster, a developer's server). */
export class ExternalServer implements ServerProvider {
  /** Provider name. */
  readonly name = 'external'
  readonly #options: ExternalServerOptions

  constructor(options: ExternalServerOptions) {
    this.#options = options
  }

  /**
   * Connects (retrying transient failures with backoff; wrong credentials or an unknown host fail at
   * once), reads the version and checks the configured database; throws {@link ServerUnreachableError} with the fix.
   */
  async start(): Promise<StartedServer> {
    const { endpoint, database, origins } = this.#options
    const address = `${endpoint.host}:${endpoint.port}`
    let connection: Connection
    try {
      // Loaded here, not with the package: test files import this module too.
      const { resilient } = await import('../resilience/resilient.ts')
      const policy = resilient({ retryMaxAttempts: 3, retryMaxDelayMs: 500, ...this.#options.resilience, noBreaker: true })
      connection = await policy.execute('connect', () => openConnection(endpoint))
    } catch (error) {
      const { cause, context } = error as ContextualError
      const attempts = context?.attempt && context.attempt > 1 ? ` (${context.attempt} attempts)` : ''
      throw new ServerUnreachableError(address, `${describeConnectError(cause ?? error, endpoint)}${attempts}`, whatToCheck(cause ?? error, endpoint, origins), { cause: cause ?? error })
    }
    try {
      const identity = await identifyServer(connection)
      if (database !== undefined) {
        const [found] = await connection.query<RowDataPacket[]>('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [database])
        if (found.length === 0) throw new ServerUnreachableError(address, `database "${database}" does not exist there`, `check the database name (it comes from ${origins.database}), or create that database`)
      }
      const info: ServerInfo = {
        provider: 'external', engine: identity.name, version: identity.version, versionText: identity.versionText,
        host: endpoint.host, port: endpoint.port, user: endpoint.user, tls: endpoint.tls, capabilities: capabilitiesOf(identity),
        ...(identity.tidbStorage ? { tidbStorage: identity.tidbStorage } : {}),
      }
      return { info, endpoint, outlivesRun: true, stop: async () => {}, [Symbol.asyncDispose]: async () => {} }
    } finally {
      connection.destroy()
    }
  }
}

/** What to check after a failed connect, naming the source of each field that can be wrong. */
export function whatToCheck(error: unknown, endpoint: Pick<ServerEndpoint, 'user'>, origins: ConnectionOrigins): string {
  switch ((error as { code?: string } | undefined)?.code) {
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_DBACCESS_DENIED_ERROR': {
      // dotenv ends an unquoted value at " #": a password with one arrives cut.
      const dotenv = origins.password.startsWith('.env') ? '; in a .env file a # in an unquoted value starts a comment: put the password in quotes' : ''
      return `check the user and password: the user "${endpoint.user}" comes from ${origins.user}, the password from ${origins.password}${dotenv}`
    }
    case 'ER_BAD_DB_ERROR':
      return `check the database name (it comes from ${origins.database}), or create that database`
    case 'HANDSHAKE_SSL_ERROR':
    case 'HANDSHAKE_NO_SSL_SUPPORT':
      return `set database.tls to what the server speaks (now from ${origins.tls})`
    default:
      return `check that the server runs and that the host and port are right (the host comes from ${origins.host}, the port from ${origins.port})`
  }
}

/** Says in words why a connection failed, from mysql2's and Node's error codes; never includes the password. */
export function describeConnectError(error: unknown, endpoint: Pick<ServerEndpoint, 'host' | 'port' | 'user' | 'connectTimeoutMs'>): string {
  const code = (error as { code?: string } | undefined)?.code
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (nothing listens on that port)'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host "${endpoint.host}" not found`
    case 'ETIMEDOUT':
      return `no answer within ${endpoint.connectTimeoutMs} ms`
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'no route to that host'
    case 'ER_ACCESS_DENIED_ERROR':
      return `access denied for user "${endpoint.user}" (wrong user or password)`
    case 'ER_BAD_DB_ERROR':
      return 'the database in the URL does not exist'
    case 'HANDSHAKE_SSL_ERROR':
    case 'HANDSHAKE_NO_SSL_SUPPORT':
      return 'the TLS handshake failed (set database.tls to match the server)'
    default:
      return error instanceof Error ? `${code ?? 'error'}: ${error.message}` : String(error)
  }
}
