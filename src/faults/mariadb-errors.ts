/** Fields the `mariadb` connector puts on its errors (its `SqlError`): injected errors carry the same. */
export interface MariadbLikeError extends Error {
  /** The connector's code name, e.g. `ER_LOCK_DEADLOCK` or `ER_SOCKET_UNEXPECTED_CLOSE`. */
  code: string
  /** Server error number, or the connector's own (45000–45999), or the system's for network errors. */
  errno: number
  /** SQLSTATE. */
  sqlState: string
  /** The message without the connector's header. */
  sqlMessage?: string
  /** True when the connection cannot be used any more. */
  fatal: boolean
}

/** An error as the connector's `SqlError` is: named so, its message headed by the connection, the number and the state. */
function sqlError(errno: number, code: string, sqlState: string, message: string, fatal = false): MariadbLikeError {
  const error = new Error(`(conn:-1, no: ${errno}, SQLState: ${sqlState}) ${message}`)
  error.name = 'SqlError'
  return Object.assign(error, { code, errno, sqlState, sqlMessage: message, fatal })
}

/**
 * Makers of errors shaped like those the `mariadb` connector (and so Prisma's MariaDB adapter)
 * raises for real, to arm as faults on the connector's connections:
 * `faults.failNext('query', mariadbErrors.deadlock())`.
 */
export const mariadbErrors = {
  /** ER_LOCK_DEADLOCK (1213, 40001). */
  deadlock: () => sqlError(1213, 'ER_LOCK_DEADLOCK', '40001', 'Deadlock found when trying to get lock; try restarting transaction'),
  /** ER_LOCK_WAIT_TIMEOUT (1205, HY000). */
  lockWaitTimeout: () => sqlError(1205, 'ER_LOCK_WAIT_TIMEOUT', 'HY000', 'Lock wait timeout exceeded; try restarting transaction'),
  /** ER_DUP_ENTRY (1062, 23000). */
  duplicateEntry: (value = '1', key = 'PRIMARY') => sqlError(1062, 'ER_DUP_ENTRY', '23000', `Duplicate entry '${value}' for key '${key}'`),
  /** TiDB 9007 write conflict. */
  tidbWriteConflict: () => sqlError(9007, 'UNKNOWN', 'HY000', 'Write conflict, txnStartTS=0, conflictStartTS=0, conflictCommitTS=0, key={}, reason=Optimistic [try again later]'),
  /** The socket closed under the connection (fatal), as the connector reports a lost connection. */
  connectionLost: () => sqlError(45009, 'ER_SOCKET_UNEXPECTED_CLOSE', '08S01', 'socket has unexpectedly been closed', true),
  /** Nothing listens on the port (fatal), as the connector passes the system's error on. */
  connectionRefused: (address = '127.0.0.1', port = 3306): MariadbLikeError => Object.assign(new Error(`connect ECONNREFUSED ${address}:${port}`), { code: 'ECONNREFUSED', errno: -111, sqlState: 'HY000', fatal: true }),
} as const
