import type { RowDataPacket } from 'mysql2/promise'
import { loadDriver, connectionOptions } from './connect.ts'
import { readDefinitions } from './schema-template.ts'
import type { ServerEndpoint } from './types.ts'

/** A database written as SQL that makes it again. */
export interface DatabaseDump {
  /** The statements, for `mysql <database> < file.sql` (the `mysql` and `mariadb` clients, or the rig's own splitter). */
  readonly sql: string
  /** Tables written. */
  readonly tables: number
  /** Rows written as INSERTs. */
  readonly rows: number
  /** Whether rows were left out to stay under the size limit. */
  readonly truncated: boolean
}

/** Rows of one INSERT statement. */
const rowsPerInsert = 100

/**
 * Dumps `database` as statements that make it again in another, empty database on any MySQL,
 * MariaDB or TiDB server: every table (`SHOW CREATE TABLE`), view, trigger and routine, then the
 * rows as INSERTs, until the text reaches `maxBytes` (the rest of the rows are left out, and the
 * dump says so). Statements end with `;;` under `DELIMITER ;;`, so routine bodies replay as well.
 */
export async function dumpDatabase(endpoint: ServerEndpoint, database: string, maxBytes: number, heading: string): Promise<DatabaseDump> {
  const mysql = await loadDriver()
  const connection = await mysql.createConnection({
    ...connectionOptions(endpoint, { multipleStatements: true }),
    // Values as the server writes them: no time zone shifts for dates, big numbers and JSON as text.
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    jsonStrings: true,
  })
  try {
    const { tables, creates, routines, triggers } = await readDefinitions(connection, database)
    const lines = [`-- ${heading}`, '-- Replay into an empty database: mysql <database> < this file', 'DELIMITER ;;']
    // Tables and views, routines, the rows, then the triggers (which must not fire on the rows);
    // foreign keys are checked again at the end.
    for (const statement of ['SET FOREIGN_KEY_CHECKS = 0', ...creates, ...routines]) lines.push(`${statement};;`)
    let size = lines.reduce((total, line) => total + line.length + 1, 0)
    let rows = 0
    let truncated = false
    for (const table of tables) {
      const quoted = `\`${table.replace(/`/g, '``')}\``
      const [found] = await connection.query<RowDataPacket[]>(`SELECT * FROM \`${database.replace(/`/g, '``')}\`.${quoted}`)
      for (let at = 0; at < found.length && !truncated; at += rowsPerInsert) {
        const chunk = found.slice(at, at + rowsPerInsert).map((row) => Object.values(row))
        const insert = `${mysql.format(`INSERT INTO ${quoted} VALUES ?`, [chunk])};;`
        if (size + insert.length > maxBytes) {
          truncated = true
          lines.push(`-- the rows of ${quoted} from the ${at + 1}st on, and of the tables after it, are left out: the dump stopped at ${maxBytes} bytes (forensics.dumpMaxBytes)`)
          break
        }
        lines.push(insert)
        size += insert.length + 1
        rows += chunk.length
      }
      if (truncated) break
    }
    for (const statement of [...triggers, 'SET FOREIGN_KEY_CHECKS = 1']) lines.push(`${statement};;`)
    lines.push('DELIMITER ;', '')
    return { sql: lines.join('\n'), tables: tables.length, rows, truncated }
  } finally {
    connection.destroy()
  }
}
