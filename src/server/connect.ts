import mysql from 'mysql2/promise'
import type { ServerEndpoint } from './types.ts'

/** Options of {@link openConnection} beyond the endpoint. */
export interface OpenConnectionOptions {
  /** Database to use after connecting. */
  readonly database?: string
  /** Allow several statements in one query (used for SQL scripts only). */
  readonly multipleStatements?: boolean
}

/** Opens a mysql2 promise connection to an endpoint. */
export function openConnection(endpoint: ServerEndpoint, options: OpenConnectionOptions = {}): Promise<mysql.Connection> {
  return mysql.createConnection(connectionOptions(endpoint, options))
}

/** The mysql2 options for an endpoint, shared by connections and pools. */
export function connectionOptions(endpoint: ServerEndpoint, options: OpenConnectionOptions = {}): mysql.ConnectionOptions {
  return {
    host: endpoint.host,
    port: endpoint.port,
    user: endpoint.user,
    ...(endpoint.password === undefined ? {} : { password: endpoint.password }),
    ...(options.database === undefined ? {} : { database: options.database }),
    ...(endpoint.tls ? { ssl: { rejectUnauthorized: true } } : {}),
    ...(options.multipleStatements ? { multipleStatements: true } : {}),
    connectTimeout: endpoint.connectTimeoutMs,
  }
}

/** A `mysql://` URL for the app under test. Contains the password: do not print it (use `redactUrl`). */
export function connectionUrl(endpoint: ServerEndpoint, database?: string): string {
  const auth = endpoint.password ? `${encodeURIComponent(endpoint.user)}:${encodeURIComponent(endpoint.password)}` : encodeURIComponent(endpoint.user)
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host
  const path = database ? `/${encodeURIComponent(database)}` : '/'
  return `mysql://${auth}@${host}:${endpoint.port}${path}${endpoint.tls ? '?ssl=true' : ''}`
}

/** Connects, reads `SELECT VERSION()` and disconnects: the readiness probe of every provider. */
export async function readServerVersion(endpoint: ServerEndpoint): Promise<string> {
  const connection = await openConnection(endpoint)
  try {
    const [rows] = await connection.query<mysql.RowDataPacket[]>('SELECT VERSION() AS version')
    return String(rows[0]?.version)
  } finally {
    connection.destroy()
  }
}
