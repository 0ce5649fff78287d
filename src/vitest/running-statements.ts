import type { Connection, RowDataPacket } from 'mysql2/promise'
import type { CoreConnection } from '../faults/driver/mysql2-internals.ts'
import { openConnection } from '../server/connect.ts'
import type { ServerEndpoint } from '../server/types.ts'

/** A statement that was still running on a connection of the test when the test ended. */
export interface RunningStatement {
  /** Which connection: `conn`, a connection the rig handed out, or one of the app's own. */
  readonly connection: string
  /** Its server thread, killed. */
  readonly threadId: number
  /** The statement's SQL. */
  readonly sql: string
}

/** How long the killed threads may take to leave the server's process list. */
const goneWithinMs = 5_000

/** The parts of a mysql2 connection that tell what it is doing now. */
interface BusyCore extends CoreConnection {
  _command?: { readonly sql?: unknown } | null
  _closing?: boolean
}

/**
 * The statement a connection is running now (its current command, a query or an execute), or
 * undefined when it is idle, closed, or busy with a command that is no statement (a ping, the
 * pool's reset), which ends by itself and changes no data.
 */
export function runningStatementOf(core: CoreConnection): { readonly threadId: number; readonly sql: string } | undefined {
  const { _command: command, _closing: closing } = core as BusyCore
  if (command === null || command === undefined || closing === true || core.threadId === null || typeof command.sql !== 'string') return undefined
  return { threadId: core.threadId, sql: command.sql }
}

/**
 * Finds the statements still running on `connections` and kills their server threads (closing
 * the socket alone would leave them running: an UPDATE waiting for a lock would commit later),
 * then waits until the server no longer lists them. Returns what was killed; an idle set costs
 * nothing but a look at each connection.
 */
export async function killRunningStatements(endpoint: ServerEndpoint, connections: Iterable<{ readonly core: CoreConnection; readonly label: string }>): Promise<RunningStatement[]> {
  const running: RunningStatement[] = []
  const seen = new Set<number>()
  for (const { core, label } of connections) {
    const statement = runningStatementOf(core)
    if (!statement || seen.has(statement.threadId)) continue
    seen.add(statement.threadId)
    running.push({ connection: label, ...statement })
  }
  if (running.length === 0) return running
  const admin = await openConnection(endpoint)
  try {
    return await killThreads(admin, running)
  } finally {
    admin.destroy()
  }
}

/**
 * Kills the statements the server lists as running on `threads` (connections of a driver whose
 * state the rig cannot see from the client, the `mariadb` connector's), as
 * {@link killRunningStatements} does. Returns what was killed.
 */
export async function killRunningThreads(endpoint: ServerEndpoint, threads: ReadonlyMap<number, string>): Promise<RunningStatement[]> {
  if (threads.size === 0) return []
  const admin = await openConnection(endpoint)
  try {
    const ids = [...threads.keys()].map(Number).join(', ')
    const [rows] = await admin.query<RowDataPacket[]>(`SELECT ID AS id, INFO AS info FROM information_schema.PROCESSLIST WHERE ID IN (${ids}) AND INFO IS NOT NULL AND COMMAND NOT IN ('Sleep', 'Killed')`)
    const running = rows.map((row) => ({ connection: threads.get(Number(row.id)) ?? 'a connection', threadId: Number(row.id), sql: String(row.info) }))
    return await killThreads(admin, running)
  } finally {
    admin.destroy()
  }
}

/** Kills the threads of `running` through `admin` and waits until the server no longer lists them. */
async function killThreads(admin: Connection, running: RunningStatement[]): Promise<RunningStatement[]> {
  if (running.length === 0) return running
  for (const { threadId } of running) {
    // The statement may have ended meanwhile (ER_NO_SUCH_THREAD): nothing left to stop.
    await admin.query(`KILL ${Number(threadId)}`).catch(() => {})
  }
  const ids = running.map((statement) => Number(statement.threadId)).join(', ')
  const deadline = performance.now() + goneWithinMs
  for (;;) {
    const [rows] = await admin.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE ID IN (${ids})`)
    if (Number(rows[0]?.n ?? 0) === 0 || performance.now() > deadline) break
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  return running
}

/** One line per killed statement, for messages. */
export function describeRunningStatements(statements: readonly RunningStatement[]): string {
  return statements.map((statement) => `  ${statement.connection} (server thread ${statement.threadId}): ${shorten(statement.sql)}`).join('\n')
}

function shorten(sql: string): string {
  const line = sql.replace(/\s+/g, ' ').trim()
  return line.length > 200 ? `${line.slice(0, 200)}…` : line
}
