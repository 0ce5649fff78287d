/** Fields mysql2 puts on its errors; injected errors carry the same so that code under test sees what it would see. */
export interface MysqlLikeError extends Error {
  /** mysql2's code name, e.g. `ER_LOCK_DEADLOCK` or `PROTOCOL_CONNECTION_LOST`. */
  code: string
  /** Server error number, for server errors. */
  errno?: number
  /** SQLSTATE, for server errors. */
  sqlState?: string
  /** The server's message, for server errors. */
  sqlMessage?: string
  /** True when the connection cannot be used any more. */
  fatal: boolean
}

function serverError(errno: number, code: string, sqlState: string, message: string): MysqlLikeError {
  return Object.assign(new Error(message), { code, errno, sqlState, sqlMessage: message, fatal: false })
}

function clientError(code: string, message: string, fatal: boolean, errno?: number): MysqlLikeError {
  return Object.assign(new Error(message), { code, fatal, ...(errno === undefined ? {} : { errno }) })
}

/**
 * Makers of errors shaped like those mysql2 raises for real, to arm as faults:
 * `faults.failNext('query', mysqlErrors.deadlock())`.
 */
export const mysqlErrors = {
  /** ER_LOCK_DEADLOCK (1213, 40001). */
  deadlock: () => serverError(1213, 'ER_LOCK_DEADLOCK', '40001', 'Deadlock found when trying to get lock; try restarting transaction'),
  /** ER_LOCK_WAIT_TIMEOUT (1205, HY000). */
  lockWaitTimeout: () => serverError(1205, 'ER_LOCK_WAIT_TIMEOUT', 'HY000', 'Lock wait timeout exceeded; try restarting transaction'),
  /** ER_ACCESS_DENIED_ERROR (1045, 28000). */
  accessDenied: (user = 'root') => serverError(1045, 'ER_ACCESS_DENIED_ERROR', '28000', `Access denied for user '${user}'@'localhost' (using password: YES)`),
  /** ER_CON_COUNT_ERROR (1040, 08004). */
  tooManyConnections: () => serverError(1040, 'ER_CON_COUNT_ERROR', '08004', 'Too many connections'),
  /** ER_PARSE_ERROR (1064, 42000). */
  syntaxError: (near = '') => serverError(1064, 'ER_PARSE_ERROR', '42000', `You have an error in your SQL syntax; check the manual near '${near}' at line 1`),
  /** TiDB 9007 write conflict. */
  tidbWriteConflict: () => serverError(9007, 'UNKNOWN_CODE_PLEASE_REPORT', 'HY000', 'Write conflict, txnStartTS=0, conflictStartTS=0, conflictCommitTS=0, key={}, reason=Optimistic [try again later]'),
  /** TiDB 9005 Region is unavailable. */
  tidbRegionUnavailable: () => serverError(9005, 'UNKNOWN_CODE_PLEASE_REPORT', 'HY000', 'Region is unavailable'),
  /** The server closed the connection (fatal). */
  connectionLost: () => clientError('PROTOCOL_CONNECTION_LOST', 'Connection lost: The server closed the connection.', true),
  /** The connection was reset (fatal). */
  connectionReset: () => Object.assign(clientError('ECONNRESET', 'read ECONNRESET', true, -104), { syscall: 'read' }),
  /** Nothing listens on the port. */
  connectionRefused: (address = '127.0.0.1', port = 3306) => Object.assign(clientError('ECONNREFUSED', `connect ECONNREFUSED ${address}:${port}`, true, -111), { syscall: 'connect', address, port }),
  /** Connect timeout. */
  connectTimeout: () => Object.assign(clientError('ETIMEDOUT', 'connect ETIMEDOUT', true), { syscall: 'connect', errorno: 'ETIMEDOUT' }),
} as const
