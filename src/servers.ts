/**
 * Servers outside a test run (`test-rig/servers`): a local server process, an external server,
 * their types and errors, and the SQL script splitter.
 */
export type { ServerInfo, ServerEndpoint, StartedServer, ServerProvider, ConcreteProvider } from './server/types.ts'
export type { EngineName, EngineIdentity, EngineCapabilities } from './server/engine.ts'
export { LocalServer, StartedLocalServer, type LocalServerOptions } from './server/local/local-server.ts'
export { ExternalServer, type ExternalServerOptions, type ConnectionOrigins } from './server/external-server.ts'
export { loadDriver } from './server/connect.ts'
export { nameShapes, type NameShape } from './server/database-names.ts'
export { splitSqlScript, type ScriptStatement } from './server/sql-script.ts'
export { ServerBinaryNotFoundError, ServerStartError, ServerUnreachableError, SqlScriptError, UnsafeDropError, NamedLockTimeoutError, Mysql2VersionError } from './server/errors.ts'
