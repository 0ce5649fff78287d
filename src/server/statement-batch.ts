import type { Connection, RowDataPacket } from 'mysql2/promise'

/**
 * The result of each statement, in order: one round trip for all of them on a connection that
 * takes several statements per query. Should the batch fail, they run one by one, and with
 * `optional` a statement that fails answers no rows (else its error goes on).
 */
export async function eachResult(connection: Connection, statements: readonly string[], values: readonly unknown[] = [], optional = false): Promise<RowDataPacket[][]> {
  if (statements.length === 0) return []
  try {
    const [sets] = await connection.query<RowDataPacket[][]>(statements.join(';\n'), [...values])
    // One statement answers its rows; several answer one set each.
    return statements.length === 1 ? [sets as unknown as RowDataPacket[]] : sets
  } catch (error) {
    if (!optional && statements.length === 1) throw error
  }
  let next = 0
  const results: RowDataPacket[][] = []
  for (const sql of statements) {
    // Each statement takes the values of its own placeholders, in order.
    const own = values.slice(next, (next += (sql.match(/\?/g) ?? []).length))
    const run = connection.query<RowDataPacket[]>(sql, own).then(([rows]) => rows)
    results.push(await (optional ? run.catch(() => [] as RowDataPacket[]) : run))
  }
  return results
}
