import type { Connection, ConnectionOptions, RowDataPacket } from 'mysql2/promise'
import { identifyVersionText, type EngineIdentity } from './engine.ts'
import { unpatched } from './mysql2-originals.ts'
import type { ServerEndpoint } from './types.ts'

/** Options of {@link openConnection} beyond the endpoint. */
export interface OpenConnectionOptions {
  /** Database to use after connecting. */
  readonly database?: string
  /** Allow several statements in one query (used for SQL scripts only). */
  readonly multipleStatements?: boolean
}

/** mysql2's promise API, loaded on first use (a test file that opens no connection does not load the driver). */
export async function loadDriver(): Promise<typeof import('mysql2/promise')> {
  return unpatched((await import('mysql2/promise')).default)
}

/** mysql2's callback API (the module its promise API wraps), loaded on first use: the rig makes test connections with it. */
export async function loadCallbackDriver(): Promise<typeof import('mysql2')> {
  return unpatched((await import('mysql2')).default)
}

/** Opens a mysql2 promise connection to an endpoint. */
export async function openConnection(endpoint: ServerEndpoint, options: OpenConnectionOptions = {}): Promise<Connection> {
  return (await loadDriver()).createConnection(connectionOptions(endpoint, options))
}

/**
 * Prepared statements a rig connection keeps cached. mysql2's default (16 000) pre-sizes its cache
 * at about 0.5 MB per connection, which a test's connections never fill (a test prepares a handful
 * of statements) but a 1000-test file kept in memory: 538 MB of worker heap, measured. Statements
 * evicted past this are closed on the server, so nothing breaks beyond it.
 */
export const testPreparedStatements = 256

/** The mysql2 options for an endpoint, shared by connections and pools. */
export function connectionOptions(endpoint: ServerEndpoint, options: OpenConnectionOptions = {}): ConnectionOptions {
  return {
    host: endpoint.host,
    port: endpoint.port,
    user: endpoint.user,
    ...(endpoint.password === undefined ? {} : { password: endpoint.password }),
    ...(options.database === undefined ? {} : { database: options.database }),
    ...(endpoint.tls ? { ssl: { rejectUnauthorized: true } } : {}),
    ...(options.multipleStatements ? { multipleStatements: true } : {}),
    connectTimeout: endpoint.connectTimeoutMs,
    maxPreparedStatements: testPreparedStatements,
  }
}

/** A `mysql://` URL for the app under test. Contains the password: do not print it (use `redactUrl`). */
export function connectionUrl(endpoint: ServerEndpoint, database?: string): string {
  const auth = endpoint.password ? `${encodeURIComponent(endpoint.user)}:${encodeURIComponent(endpoint.password)}` : encodeURIComponent(endpoint.user)
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host
  const path = database ? `/${encodeURIComponent(database)}` : '/'
  return `mysql://${auth}@${host}:${endpoint.port}${path}${endpoint.tls ? '?ssl=true' : ''}`
}

/** Connects, reads what the server is ({@link identifyServer}) and disconnects: the readiness probe of every provider. */
export async function readServerIdentity(endpoint: ServerEndpoint): Promise<EngineIdentity> {
  const connection = await openConnection(endpoint)
  try {
    return await identifyServer(connection)
  } finally {
    connection.destroy()
  }
}

/** Reads `SELECT VERSION()`, and of a TiDB whether it runs on a TiKV cluster (PD is listed) or on its embedded storage. */
export async function identifyServer(connection: Connection): Promise<EngineIdentity> {
  const [rows] = await connection.query<RowDataPacket[]>('SELECT VERSION() AS version')
  const identity = identifyVersionText(String(rows[0]?.version))
  if (identity.name !== 'tidb') return identity
  try {
    const [members] = await connection.query<RowDataPacket[]>("SELECT type FROM information_schema.cluster_info WHERE type = 'pd'")
    return { ...identity, tidbStorage: members.length > 0 ? 'cluster' : 'embedded' }
  } catch {
    return identity // not allowed to look (some managed services): leave it unsaid
  }
}
