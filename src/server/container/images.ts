/** The MySQL image used when none is given. */
export const DEFAULT_MYSQL_IMAGE = 'mysql:8.4'
/** The MariaDB image used when none is given. */
export const DEFAULT_MARIADB_IMAGE = 'mariadb:11.4'
/** The TiDB image used when none is given (pinned; override with `server.containerImage`). */
export const DEFAULT_TIDB_IMAGE = 'pingcap/tidb:v8.5.6'
/** TiDB's SQL port. */
export const TIDB_SQL_PORT = 4000
/** TiDB's HTTP status port. */
export const TIDB_STATUS_PORT = 10080
