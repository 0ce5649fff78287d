import type { Connection, RowDataPacket } from 'mysql2/promise'
import { openConnection } from './connect.ts'
import { failedDatabaseName, parseFailedDatabase, type RunNaming } from './database-names.ts'
import { runSqlScript } from './run-sql-script.ts'
import type { ServerEndpoint } from './types.ts'

/**
 * Keeps a failed test's database on a server that outlives the run: a database of the kept shape
 * (`<prefix>_failed_<run>_<n>`) made from the test's dump, then the oldest kept ones dropped until
 * `cap` remain (their run ids say when they were made). Returns the kept database's name. Only
 * names of that shape are ever dropped.
 */
export async function keepFailedDatabase(endpoint: ServerEndpoint, naming: RunNaming, n: number, dump: string, cap: number): Promise<string> {
  const name = failedDatabaseName(naming, n)
  const admin = await openConnection(endpoint)
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``)
    await admin.query(`CREATE DATABASE \`${name}\``)
    const connection = await openConnection(endpoint, { database: name })
    try {
      await runSqlScript(connection, dump, `the dump of ${name}`)
    } finally {
      connection.destroy()
    }
    await capFailedDatabases(admin, naming.prefix, cap)
    return name
  } finally {
    admin.destroy()
  }
}

/**
 * Drops the kept failed tests' databases under `prefix` beyond the `cap` newest (their run ids say
 * when they were made); returns the names dropped. Only names of the kept shape are dropped.
 */
export async function capFailedDatabases(admin: Connection, prefix: string, cap: number): Promise<string[]> {
  const [rows] = await admin.query<RowDataPacket[]>('SHOW DATABASES LIKE ?', [`${prefix.replace(/_/g, '\\_')}\\_failed\\_%`])
  const kept = rows.map((row) => String(Object.values(row)[0])).flatMap((candidate) => {
    const parsed = parseFailedDatabase(candidate, prefix)
    return parsed ? [{ name: candidate, ...parsed }] : []
  })
  // Newest first: the run id starts with its start time in base 36 (same width), then the number.
  kept.sort((a, b) => (a.runId === b.runId ? b.n - a.n : b.runId.localeCompare(a.runId)))
  const dropped: string[] = []
  for (const old of kept.slice(cap)) {
    if (!parseFailedDatabase(old.name, prefix)) continue
    await admin.query(`DROP DATABASE IF EXISTS \`${old.name}\``)
    dropped.push(old.name)
  }
  return dropped
}
