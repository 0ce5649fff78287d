import type { Connection, RowDataPacket } from 'mysql2/promise'
import { classifyError } from '../../resilience/classify.ts'
import type { EngineCapabilities } from '../../server/engine.ts'
import { setIsolationSql, type IsolationLevel } from './levels.ts'
import type { TransactionMode } from './run-anomaly.ts'

/** Options of {@link runContention}. */
export interface ContentionOptions {
  /** A new connection into a database of the check's own. */
  readonly connect: () => Promise<Connection>
  readonly capabilities: Pick<EngineCapabilities, 'isolationVariable'>
  readonly level: IsolationLevel
  /** Sessions running at once (the seed's `--concurrent-connections`). */
  readonly sessions: number
  /** Rows of the table, and increments each session makes (the seed's `--test-rows`). */
  readonly rows: number
  /** TiDB only: the sessions' transaction mode. */
  readonly transactionMode?: TransactionMode
}

/** What the contention check saw at one level. */
export interface ContentionOutcome {
  readonly level: IsolationLevel
  /** Increments whose transaction committed. */
  readonly committed: number
  /** Increments whose transaction the server aborted (deadlock, write conflict, lock wait), by error name. */
  readonly aborted: Readonly<Record<string, number>>
  /** Committed increments that the final rows do not show: lost updates. */
  readonly lost: number
}

/**
 * Lost updates under contention: `sessions` connections each make `rows` read-modify-write
 * increments (`SELECT value`, then `UPDATE … SET value = <read> + 1`) of random rows, each in a
 * transaction at `level`. The final sum of the rows against the committed increments counts the
 * updates that were lost; aborted transactions are counted by error, not retried.
 */
export async function runContention(options: ContentionOptions): Promise<ContentionOutcome> {
  const admin = await options.connect()
  try {
    await admin.query('DROP TABLE IF EXISTS contention')
    await admin.query('CREATE TABLE contention (id INT PRIMARY KEY, value INT NOT NULL)')
    await admin.query(`INSERT INTO contention VALUES ${Array.from({ length: options.rows }, (_, i) => `(${i + 1}, 0)`).join(', ')}`)
    const aborted: Record<string, number> = {}
    const committed = await Promise.all(Array.from({ length: options.sessions }, () => session(options, aborted)))
    const [rows] = await admin.query<RowDataPacket[]>('SELECT SUM(value) AS total FROM contention')
    const total = Number(rows[0]?.total ?? 0)
    const done = committed.reduce((sum, n) => sum + n, 0)
    return { level: options.level, committed: done, aborted, lost: done - total }
  } finally {
    await admin.query('DROP TABLE IF EXISTS contention').catch(() => {})
    admin.destroy()
  }
}

async function session(options: ContentionOptions, aborted: Record<string, number>): Promise<number> {
  const conn = await options.connect()
  let committed = 0
  try {
    await conn.query(setIsolationSql(options.capabilities, options.level))
    await conn.query('SET SESSION innodb_lock_wait_timeout = 5')
    if (options.transactionMode) await conn.query(`SET SESSION tidb_txn_mode = '${options.transactionMode}'`)
    for (let i = 0; i < options.rows; i++) {
      const id = 1 + Math.floor(Math.random() * options.rows)
      try {
        await conn.query('BEGIN')
        const [rows] = await conn.query<RowDataPacket[]>('SELECT value FROM contention WHERE id = ?', [id])
        await conn.query('UPDATE contention SET value = ? WHERE id = ?', [Number(rows[0]?.value) + 1, id])
        await conn.query('COMMIT')
        committed++
      } catch (error) {
        await conn.query('ROLLBACK').catch(() => {})
        if (classifyError(error).recovery !== 'retry-transaction') throw error
        const name = (error as { code?: string; errno?: number }).code ?? String((error as { errno?: number }).errno)
        aborted[name] = (aborted[name] ?? 0) + 1
      }
    }
    return committed
  } finally {
    conn.destroy()
  }
}
