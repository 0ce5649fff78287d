import type { Connection } from 'mysql2/promise'
import { SqlScriptError } from './errors.ts'
import { splitSqlScript } from './sql-script.ts'

/** Runs an SQL script statement by statement; the first failure throws {@link SqlScriptError} naming the line and statement. */
export async function runSqlScript(connection: Connection, script: string, source: string): Promise<number> {
  const statements = splitSqlScript(script)
  for (const statement of statements) {
    try {
      await connection.query(statement.sql)
    } catch (error) {
      throw new SqlScriptError(source, statement.line, statement.sql, error)
    }
  }
  return statements.length
}
