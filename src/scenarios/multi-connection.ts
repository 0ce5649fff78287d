import type { RowDataPacket } from 'mysql2/promise'
import { defineMachine, type Machine } from '../machines/machine.ts'

/** Options of {@link multiConnection}. */
export interface MultiConnectionOptions {
  /** Sessions, each on its own connection. Default 4. */
  readonly connections?: number
  /** Rows each session inserts. Default 10 (the config's `test.rows`). */
  readonly rows?: number
  /** Table to use. Default `multi_connection`. */
  readonly table?: string
}

/** What one session of the multi-connection test saw. */
export interface MultiConnectionData {
  /** Rows this session inserted. */
  inserted: number
  /** Rows of all sessions it counted at the end. */
  counted?: number
  /** Server thread id. */
  threadId?: number
}

/**
 * The seed's multi-connection test: N sessions connect, meet at a barrier, insert their rows
 * concurrently in transactions, meet again, and each counts every session's rows.
 * Use with `rig.coordinate(multiConnection({ connections: 8 }))`.
 */
export function multiConnection(options: MultiConnectionOptions = {}): { sessions: Record<string, Machine<MultiConnectionData>> } {
  const connections = options.connections ?? 4
  const rows = options.rows ?? 10
  const table = options.table ?? 'multi_connection'
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(table)) throw new TypeError(`table "${table}" is not a plain table name`)
  const machine = (session: string) => defineMachine<MultiConnectionData>({
    id: 'multi-connection',
    initial: 'connecting',
    data: () => ({ inserted: 0 }),
    states: {
      connecting: {
        next: ['inserting'],
        async execute({ conn, data, barrier }) {
          await conn.query(`CREATE TABLE IF NOT EXISTS \`${table}\` (id INT AUTO_INCREMENT PRIMARY KEY, session VARCHAR(32) NOT NULL, n INT NOT NULL)`)
          const [found] = await conn.query<RowDataPacket[]>('SELECT CONNECTION_ID() AS id')
          data.threadId = Number(found[0]?.id)
          await barrier('connected')
          return 'inserting'
        },
      },
      inserting: {
        next: ['verifying'],
        async execute({ conn, data, barrier }) {
          await conn.beginTransaction()
          for (let n = 0; n < rows; n++) {
            await conn.query(`INSERT INTO \`${table}\` (session, n) VALUES (?, ?)`, [session, n])
            data.inserted++
          }
          await conn.commit()
          await barrier('inserted')
          return 'verifying'
        },
      },
      verifying: {
        next: ['completed'],
        async execute({ conn, data }) {
          const [counted] = await conn.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${table}\``)
          data.counted = Number(counted[0]?.n)
          if (data.counted !== connections * rows) throw new Error(`counted ${data.counted} rows, expected ${connections * rows}`)
          return 'completed'
        },
      },
      completed: { final: true },
    },
  })
  return { sessions: Object.fromEntries(Array.from({ length: connections }, (_, i) => [`c${i + 1}`, machine(`c${i + 1}`)])) }
}
