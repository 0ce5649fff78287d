/** Whether trying again can succeed. */
export type ErrorKind = 'transient' | 'permanent' | 'unknown'

/** What to do about an error of a kind. */
export type Recovery =
  /** Run the same statement again (after a backoff). */
  | 'retry-statement'
  /** The server rolled the transaction back: run the whole transaction again. */
  | 'retry-transaction'
  /** The connection is gone: open a new one, then retry. */
  | 'reconnect'
  /** Retrying cannot help: fix the cause (credentials, SQL, schema, data). */
  | 'fail'
  /** Not classified: look at the message before deciding. */
  | 'investigate'

/** One known error: its code, what it means for retries, and why. */
export interface KnownError {
  /** Server error number, for server errors. */
  readonly errno?: number
  /** mysql2's or Node's code name, e.g. `ER_LOCK_DEADLOCK`, `ECONNRESET`. */
  readonly code: string
  /** Who raises it. */
  readonly source: 'MySQL' | 'TiDB' | 'client' | 'network'
  /** Transient or permanent. */
  readonly kind: Exclude<ErrorKind, 'unknown'>
  /** What to do. */
  readonly recovery: Exclude<Recovery, 'investigate'>
  /** Why it is classified so (from the engine's documentation). */
  readonly why: string
}

const transient = (errno: number | undefined, code: string, source: KnownError['source'], recovery: KnownError['recovery'], why: string): KnownError =>
  ({ ...(errno === undefined ? {} : { errno }), code, source, kind: 'transient', recovery, why })
const permanent = (errno: number | undefined, code: string, source: KnownError['source'], why: string): KnownError =>
  ({ ...(errno === undefined ? {} : { errno }), code, source, kind: 'permanent', recovery: 'fail', why })

/**
 * Every error the rig classifies, in one table (README's error table is generated from the same
 * facts). TiDB codes follow TiDB's "Error Codes and Troubleshooting" documentation.
 */
export const knownErrors: readonly KnownError[] = [
  // Server errors, MySQL and MariaDB (TiDB returns the same numbers for these).
  transient(1213, 'ER_LOCK_DEADLOCK', 'MySQL', 'retry-transaction', 'Deadlock: the server rolled back this transaction so the other can go on.'),
  transient(1205, 'ER_LOCK_WAIT_TIMEOUT', 'MySQL', 'retry-transaction', 'A row lock was held longer than innodb_lock_wait_timeout; the statement (and in TiDB the transaction) is rolled back.'),
  transient(1040, 'ER_CON_COUNT_ERROR', 'MySQL', 'retry-statement', 'Too many connections: others will close.'),
  transient(1053, 'ER_SERVER_SHUTDOWN', 'MySQL', 'reconnect', 'The server is shutting down; a restarted or another server can answer.'),
  transient(1927, 'ER_CONNECTION_KILLED', 'MySQL', 'reconnect', 'The connection was killed.'),
  transient(1317, 'ER_QUERY_INTERRUPTED', 'MySQL', 'retry-statement', 'The statement was interrupted (KILL QUERY).'),
  transient(3024, 'ER_QUERY_TIMEOUT', 'MySQL', 'retry-statement', 'max_execution_time was exceeded.'),
  transient(1969, 'ER_STATEMENT_TIMEOUT', 'MySQL', 'retry-statement', 'MariaDB: max_statement_time was exceeded.'),
  permanent(1044, 'ER_DBACCESS_DENIED_ERROR', 'MySQL', 'The user may not use that database.'),
  permanent(1045, 'ER_ACCESS_DENIED_ERROR', 'MySQL', 'Wrong user or password.'),
  permanent(1142, 'ER_TABLEACCESS_DENIED_ERROR', 'MySQL', 'The user may not use that table.'),
  permanent(1227, 'ER_SPECIFIC_ACCESS_DENIED_ERROR', 'MySQL', 'A privilege is missing.'),
  permanent(1049, 'ER_BAD_DB_ERROR', 'MySQL', 'Unknown database.'),
  permanent(1064, 'ER_PARSE_ERROR', 'MySQL', 'SQL syntax error.'),
  permanent(1146, 'ER_NO_SUCH_TABLE', 'MySQL', 'Unknown table.'),
  permanent(1054, 'ER_BAD_FIELD_ERROR', 'MySQL', 'Unknown column.'),
  permanent(1050, 'ER_TABLE_EXISTS_ERROR', 'MySQL', 'The table exists already.'),
  permanent(1062, 'ER_DUP_ENTRY', 'MySQL', 'Duplicate key: the same row cannot be inserted twice.'),
  permanent(1048, 'ER_BAD_NULL_ERROR', 'MySQL', 'NULL in a NOT NULL column.'),
  permanent(1406, 'ER_DATA_TOO_LONG', 'MySQL', 'The value does not fit the column.'),
  permanent(1264, 'ER_WARN_DATA_OUT_OF_RANGE', 'MySQL', 'The value is out of the column’s range.'),
  permanent(1366, 'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD', 'MySQL', 'Wrong value for the column’s type.'),
  permanent(1451, 'ER_ROW_IS_REFERENCED_2', 'MySQL', 'A foreign key refers to the row.'),
  permanent(1452, 'ER_NO_REFERENCED_ROW_2', 'MySQL', 'The referenced row does not exist.'),
  permanent(1193, 'ER_UNKNOWN_SYSTEM_VARIABLE', 'MySQL', 'Unknown system variable (e.g. transaction_isolation on MariaDB 10).'),
  permanent(1231, 'ER_WRONG_VALUE_FOR_VAR', 'MySQL', 'A system variable cannot take that value.'),
  // TiDB's own codes.
  transient(8002, 'TIDB_SELECT_FOR_UPDATE_CONFLICT', 'TiDB', 'retry-transaction', 'A SELECT FOR UPDATE transaction met a commit conflict and was rolled back; the application can safely retry the whole transaction.'),
  transient(8005, 'TIDB_WRITE_CONFLICT_STALE', 'TiDB', 'retry-transaction', 'Write conflict, txnStartTS is stale (optimistic transactions): retry the write.'),
  transient(8022, 'TIDB_TXN_RETRYABLE', 'TiDB', 'retry-transaction', 'The commit failed and was rolled back; the application can safely retry the whole transaction.'),
  transient(8027, 'TIDB_SCHEMA_OUTDATED', 'TiDB', 'retry-statement', 'The TiDB server’s schema version is behind; it catches up.'),
  transient(8028, 'TIDB_INFO_SCHEMA_CHANGED', 'TiDB', 'retry-transaction', 'The table schema changed during the transaction; the application can safely retry the whole transaction.'),
  transient(9001, 'TIDB_PD_SERVER_TIMEOUT', 'TiDB', 'retry-statement', 'PD request timed out.'),
  transient(9002, 'TIDB_TIKV_SERVER_TIMEOUT', 'TiDB', 'retry-statement', 'TiKV request timed out.'),
  transient(9003, 'TIDB_TIKV_SERVER_BUSY', 'TiDB', 'retry-statement', 'TiKV is busy (high load).'),
  transient(9004, 'TIDB_RESOLVE_LOCK_TIMEOUT', 'TiDB', 'retry-transaction', 'Resolving locks timed out under heavy conflicts.'),
  transient(9005, 'TIDB_REGION_UNAVAILABLE', 'TiDB', 'retry-statement', 'A Region is unavailable (TiKV busy or down, leader moving).'),
  transient(9007, 'TIDB_WRITE_CONFLICT', 'TiDB', 'retry-transaction', 'Write conflict; the transaction can be retried.'),
  transient(9008, 'TIDB_STORE_LIMIT', 'TiDB', 'retry-statement', 'Too many requests to TiKV at once.'),
  permanent(8004, 'TIDB_TXN_TOO_LARGE', 'TiDB', 'The transaction is too large; split it.'),
  permanent(8025, 'TIDB_ENTRY_TOO_LARGE', 'TiDB', 'A single key-value pair is larger than txn-entry-size-limit.'),
  permanent(8048, 'TIDB_UNSUPPORTED_ISOLATION_LEVEL', 'TiDB', 'The isolation level is not supported (see tidb_skip_isolation_level_check).'),
  permanent(9006, 'TIDB_GC_TOO_EARLY', 'TiDB', 'GC life time is shorter than the transaction; raise tidb_gc_life_time.'),
  permanent(9500, 'TIDB_TXN_TOO_LARGE_LIMIT', 'TiDB', 'A single transaction is too large.'),
  // Client-side (mysql2) and network errors.
  transient(2006, 'CR_SERVER_GONE_ERROR', 'client', 'reconnect', 'The server went away.'),
  transient(2013, 'CR_SERVER_LOST', 'client', 'reconnect', 'Lost connection during a query.'),
  transient(undefined, 'PROTOCOL_CONNECTION_LOST', 'client', 'reconnect', 'The server closed the connection.'),
  transient(undefined, 'PROTOCOL_SEQUENCE_TIMEOUT', 'client', 'reconnect', 'The server did not answer within the timeout.'),
  transient(undefined, 'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR', 'client', 'reconnect', 'The connection had a fatal error before; it cannot be used again.'),
  transient(undefined, 'ECONNRESET', 'network', 'reconnect', 'The connection was reset.'),
  transient(undefined, 'ECONNREFUSED', 'network', 'reconnect', 'Nothing listens (yet): a starting or restarting server.'),
  transient(undefined, 'ECONNABORTED', 'network', 'reconnect', 'The connection was aborted.'),
  transient(undefined, 'EPIPE', 'network', 'reconnect', 'Writing to a closed connection.'),
  transient(undefined, 'ETIMEDOUT', 'network', 'reconnect', 'The network did not answer in time.'),
  transient(undefined, 'EHOSTUNREACH', 'network', 'reconnect', 'No route to the host (for now).'),
  transient(undefined, 'ENETUNREACH', 'network', 'reconnect', 'The network is unreachable (for now).'),
  transient(undefined, 'EAI_AGAIN', 'network', 'reconnect', 'A temporary DNS failure.'),
  permanent(undefined, 'ENOTFOUND', 'network', 'The host name does not exist.'),
  permanent(undefined, 'HANDSHAKE_SSL_ERROR', 'client', 'The TLS handshake failed: TLS settings or certificates are wrong.'),
]

const byErrno = new Map(knownErrors.filter((e) => e.errno !== undefined).map((e) => [e.errno as number, e]))
const byCode = new Map(knownErrors.map((e) => [e.code, e]))

/** The table entry for a server error number or a code name, if the rig knows it. */
export function lookupError(errno: number | undefined, code: string | undefined): KnownError | undefined {
  return (errno === undefined ? undefined : byErrno.get(errno)) ?? (code === undefined ? undefined : byCode.get(code))
}
