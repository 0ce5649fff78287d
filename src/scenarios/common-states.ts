import type { RowDataPacket } from 'mysql2/promise'
import type { StateHandler } from '../machines/machine.ts'
import { identifyVersionText, type EngineName } from '../server/engine.ts'

/** What the common states find out about a connection. */
export interface ConnectionCheckData {
  /** The database the connection should be in; checked by `verifying_database` when set. */
  expectedDatabase?: string
  /** Server thread id of the connection. */
  threadId?: number
  /** The database the connection is in. */
  database?: string | null
  /** `SELECT VERSION()`. */
  versionText?: string
  /** The engine read from the version. */
  engine?: EngineName
}

/** The seed's common states, chained in its order; spread them into a machine and add or replace states. */
export const commonStates = {
  parsing_config: {
    next: ['connecting'],
    execute({ data, note }) {
      if (data.expectedDatabase !== undefined && !/^[A-Za-z0-9_$]{1,64}$/.test(data.expectedDatabase)) {
        throw new Error(`expectedDatabase "${data.expectedDatabase}" is not a database name`)
      }
      note(data.expectedDatabase ? `expect database ${data.expectedDatabase}` : 'no database expected')
      return 'connecting'
    },
  },
  connecting: {
    next: ['testing_connection'],
    async execute({ conn, data }) {
      await conn.ping()
      const [rows] = await conn.query<RowDataPacket[]>('SELECT CONNECTION_ID() AS id')
      data.threadId = Number(rows[0]?.id)
      return 'testing_connection'
    },
  },
  testing_connection: {
    next: ['verifying_database'],
    async execute({ conn }) {
      const [rows] = await conn.query<RowDataPacket[]>('SELECT 1 AS ok')
      if (Number(rows[0]?.ok) !== 1) throw new Error(`SELECT 1 answered ${JSON.stringify(rows)}`)
      return 'verifying_database'
    },
  },
  verifying_database: {
    next: ['getting_version'],
    async execute({ conn, data }) {
      const [rows] = await conn.query<RowDataPacket[]>('SELECT DATABASE() AS name')
      data.database = (rows[0]?.name as string | null) ?? null
      if (data.expectedDatabase !== undefined && data.database !== data.expectedDatabase) {
        throw new Error(`connected to database ${data.database ?? '(none)'}, expected ${data.expectedDatabase}`)
      }
      return 'getting_version'
    },
  },
  getting_version: {
    next: ['completed'],
    async execute({ conn, data }) {
      const [rows] = await conn.query<RowDataPacket[]>('SELECT VERSION() AS version')
      data.versionText = String(rows[0]?.version)
      data.engine = identifyVersionText(data.versionText).name
      return 'completed'
    },
  },
  completed: { final: true },
} satisfies Record<string, StateHandler<ConnectionCheckData>>
