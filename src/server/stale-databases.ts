import type { Connection, RowDataPacket } from 'mysql2/promise'
import { parseRigDatabase } from './database-names.ts'
import { UnsafeDropError } from './errors.ts'

/**
 * The names among `names` that are databases of earlier runs (the rig's prefix and a run id) and
 * older than `maxAgeMs`. Nothing else is ever returned.
 */
export function staleDatabases(names: readonly string[], prefix: string, now: Date, maxAgeMs: number): string[] {
  return names.filter((name) => {
    const parsed = parseRigDatabase(name, prefix)
    return parsed !== undefined && now.getTime() - parsed.createdAt.getTime() > maxAgeMs
  })
}

/** Drops the stale databases of earlier runs from a server the rig does not own; returns their names. */
export async function sweepStaleDatabases(admin: Connection, prefix: string, maxAgeMs: number, now = new Date()): Promise<string[]> {
  const [rows] = await admin.query<RowDataPacket[]>('SHOW DATABASES LIKE ?', [`${prefix}\\_%`])
  const stale = staleDatabases(rows.map((row) => String(Object.values(row)[0])), prefix, now, maxAgeMs)
  for (const name of stale) {
    // Checked again right before the statement: only the rig's own names reach DROP.
    if (staleDatabases([name], prefix, now, maxAgeMs).length !== 1) throw new UnsafeDropError(name, `${prefix}_`)
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``)
  }
  return stale
}
