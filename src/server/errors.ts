/** No server binary for the local provider was found. */
export class ServerBinaryNotFoundError extends Error {
  /** Stable error code. */
  readonly code = 'TEST_RIG_NO_SERVER_BINARY'
  /** Folders that were searched. */
  readonly searched: readonly string[]

  constructor(searched: readonly string[], explicit?: string, engine?: 'tidb' | 'mysql' | 'mariadb') {
    const wanted = engine === 'tidb' ? 'tidb-server' : engine === 'mariadb' ? 'mariadbd' : engine === 'mysql' ? 'mysqld (MySQL)' : 'tidb-server, mariadbd or mysqld'
    const what = explicit
      ? `server.binary is set to ${explicit}, but that is not an executable ${wanted}`
      : `no ${wanted} found (searched PATH, ${searched.length} folders${engine === 'tidb' ? ' and the rig\'s TiDB build cache' : ''})${engine ? `, and server.engine pins ${engine}` : ''}`
    const install = engine === 'tidb'
      ? 'build one with test-rig\'s scripts/build-tidb.sh (Go 1.25+; it caches tidb-server where the rig finds it) or "tiup install tidb"'
      : 'install one (Debian/Ubuntu: "sudo apt-get install -y mariadb-server"; macOS: "brew install mariadb"; TiDB: scripts/build-tidb.sh or "tiup install tidb")'
    super(
      `test-rig: ${what}.\nFix: ${install}, ` +
        'or set server.binary / TEST_RIG_SERVER_BINARY to its path, or point the rig at a running server with DATABASE_URL=mysql://user:pass@host:port/.',
    )
    this.name = 'ServerBinaryNotFoundError'
    this.searched = searched
  }
}

/** A server was started but did not become ready, or exited. */
export class ServerStartError extends Error {
  /** Stable error code. */
  readonly code = 'TEST_RIG_SERVER_START'

  constructor(message: string, options?: { cause?: unknown }) {
    super(`test-rig: ${message}`, options)
    this.name = 'ServerStartError'
  }
}

/** A configured external server could not be reached or used. */
export class ServerUnreachableError extends Error {
  /** Stable error code. */
  readonly code = 'TEST_RIG_SERVER_UNREACHABLE'
  /** `host:port` that was tried. */
  readonly address: string

  /** `check` says what to check, naming where each suspect field came from (see `whatToCheck`). */
  constructor(address: string, reason: string, check: string, options?: { cause?: unknown }) {
    super(
      `test-rig: cannot reach the external server at ${address}: ${reason}.\n` +
        `Fix: ${check}; or unset the connection settings to let the rig start a local server instead.`,
      options,
    )
    this.name = 'ServerUnreachableError'
    this.address = address
  }
}

/** The rig refused to drop a database that is not its own. */
export class UnsafeDropError extends Error {
  /** Stable error code. */
  readonly code = 'TEST_RIG_UNSAFE_DROP'
  /** The database that was not dropped. */
  readonly databaseName: string

  constructor(databaseName: string, expectedPrefix: string) {
    super(`test-rig: refusing to drop database "${databaseName}": only databases named ${expectedPrefix}… are the rig's to drop. Nothing was dropped.`)
    this.name = 'UnsafeDropError'
    this.databaseName = databaseName
  }
}

/** A statement of an SQL script failed; names the script, the line and the statement. */
export class SqlScriptError extends Error {
  /** Stable error code. */
  readonly code = 'TEST_RIG_SQL_SCRIPT'
  /** Script name, e.g. `fixtures/schema.sql`. */
  readonly source: string
  /** Line where the failing statement starts. */
  readonly line: number
  /** The failing statement. */
  readonly sql: string

  constructor(source: string, line: number, sql: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    const shown = sql.length > 200 ? `${sql.slice(0, 200)}…` : sql
    super(`${source}:${line}: ${reason}\n  in: ${shown}\nFix the statement at ${source} line ${line}.`, { cause })
    this.name = 'SqlScriptError'
    this.source = source
    this.line = line
    this.sql = sql
  }
}

/** `server.engine` pins one product, and the run's server is another. */
export class EngineMismatchError extends Error {
  /** Stable error code. */
  readonly code = 'TEST_RIG_ENGINE_MISMATCH'

  constructor(pinned: string, found: string, provider: string) {
    super(
      `test-rig: server.engine pins ${pinned}, but the ${provider} provider's server is ${found}.\n` +
        `Fix: point the rig at a ${pinned} server (server.binary, server.containerFlavor/containerImage, DATABASE_URL), or change server.engine.`,
    )
    this.name = 'EngineMismatchError'
  }
}

/** Another run held a named lock of the rig's (a schema template being built) for longer than this run would wait. */
export class NamedLockTimeoutError extends Error {
  /** Stable error code. */
  readonly code = 'TEST_RIG_LOCK_TIMEOUT'
  /** The lock's name (the template database's name, for a template). */
  readonly lockName: string
  /** The server connection id of the session that held it, when the server said. */
  readonly holder: number | undefined

  constructor(lockName: string, holder: number | undefined, waitedMs: number) {
    super(
      `test-rig: waited ${Math.round(waitedMs / 1000)} s for another run to finish ${lockName}${holder === undefined ? '' : ` (held by server connection ${holder})`}, and it did not.\n` +
        `Fix: look for that run (SHOW PROCESSLIST on the server${holder === undefined ? '' : `, Id ${holder}`}); it may be stuck in a migration. Ending it (KILL ${holder ?? '<id>'}) lets this run build the template itself; schema.lockTimeoutSecs sets how long a run waits.`,
    )
    this.name = 'NamedLockTimeoutError'
    this.lockName = lockName
    this.holder = holder
  }
}

/** The project has no mysql2, or one outside the range the rig supports (its peer dependency). */
export class Mysql2VersionError extends Error {
  /** Stable error code. */
  readonly code = 'TEST_RIG_MYSQL2_VERSION'
  /** The version found, if any. */
  readonly found: string | undefined

  /** `range` is the supported range (`mysql2Range.text`), `lowest` its lowest version. */
  constructor(found: string | undefined, range: string, lowest: string) {
    super(found === undefined
      ? `test-rig: mysql2 is not installed in this project; the rig and your code share one copy of it (a peer dependency).\nFix: npm install --save-dev mysql2@^${lowest}`
      : `test-rig: this project has mysql2 ${found}, and the rig works with mysql2 ${range} (it shares your copy: a peer dependency).\nFix: npm install --save-dev mysql2@^${lowest} (or any later 3.x).`)
    this.name = 'Mysql2VersionError'
    this.found = found
  }
}

/** An entry of `schema.files` names no SQL file. */
export class SchemaFilesError extends Error {
  /** Stable error code. */
  readonly code = 'TEST_RIG_SCHEMA_FILES'
  /** The entry as written. */
  readonly entry: string

  constructor(entry: string, problem: string) {
    super(`test-rig: schema.files entry "${entry}": ${problem}.\nFix: name SQL files, folders of them, or globs, relative to the project's fixtures/ folder (e.g. "schema.sql", "migrations", "../prisma/migrations/*/migration.sql").`)
    this.name = 'SchemaFilesError'
    this.entry = entry
  }
}
