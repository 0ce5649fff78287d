import type { Connection, RowDataPacket } from 'mysql2/promise'
import type { EngineCapabilities } from '../../server/engine.ts'
import { parseIsolationLevel, setIsolationSql, type IsolationLevelInput } from '../isolation/levels.ts'
import type { TransactionMode } from '../isolation/run-anomaly.ts'
import type { History, Key, MicroOp, Operation, Transaction } from './history.ts'

/** What a generated workload does. */
export interface WorkloadOptions {
  /** `list-append` (Elle's strongest inference; default) or `rw-register` (blind writes of unique values). */
  readonly workload?: 'list-append' | 'rw-register'
  /** Concurrent sessions, each on a connection of its own (default 8). */
  readonly sessions?: number
  /** Transactions in all (default 200), unless `durationMs` ends the run first. */
  readonly transactions?: number
  /** End the run after this long, in ms. */
  readonly durationMs?: number
  /** How many keys (default 10). */
  readonly keys?: number
  /** Appends (or writes) a key takes before a fresh key takes its place, so that lists stay short (default 32, as Elle's generator). */
  readonly maxWritesPerKey?: number
  /** How keys are picked among the active ones: `uniform`, or `exponential` (key k about twice as often as k + 1; default). */
  readonly keyDistribution?: 'uniform' | 'exponential'
  /** Micro-operations a transaction, at least and at most (default 1 and 4). */
  readonly minOps?: number
  readonly maxOps?: number
  /** Share of reads among the micro-operations (default 0.5). */
  readonly readRatio?: number
  /** The isolation level of every session (default: the server's). */
  readonly isolation?: IsolationLevelInput
  /** TiDB: pessimistic or optimistic transactions (default: the server's). */
  readonly transactionMode?: TransactionMode
  /** Seed of the generator: the same seed makes the same transactions (their interleaving is the server's). */
  readonly seed?: number
}

/** A recorded history, and the SQL each transaction sent (for explanations). */
export interface RecordedHistory {
  /** Jepsen-format operations; completions also carry `sql`, the statements the transaction sent. */
  readonly history: History
  /** Committed (`ok`), aborted (`fail`) and unknown (`info`) transactions. */
  readonly counts: { readonly ok: number; readonly fail: number; readonly info: number }
  /** The statements a transaction of the history sent. */
  sqlOf(txn: Transaction): readonly string[] | undefined
}

/** A completion with the statements its transaction sent. */
type RecordedOperation = Operation & { readonly sql?: readonly string[]; readonly error?: string }

/** Errors that end a transaction on the server, known to have rolled it back. */
const aborts = new Set([1205, 1213, 8002, 8022, 8028, 9007, 1637, 1180, 1181])

/** mulberry32: a small seeded generator, so that a seed gives the same transactions. */
function generator(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Runs a generated transactional workload on `sessions` connections and records its history as
 * Jepsen's tools do: each transaction an invocation and a completion with real-time order, `ok`
 * with what it read, `fail` when the server is known to have rolled it back (deadlock, lock wait
 * timeout, write conflict, …), `info` when its outcome is unknown (the connection was lost while
 * COMMIT was on its way, say) — and then the session goes on as a new process, on a new
 * connection. The SQL is Jepsen's for MySQL: a list is a row whose text column grows by
 * `INSERT … ON DUPLICATE KEY UPDATE val = CONCAT(val, ',', ?)`.
 */
export async function runWorkload(connect: () => Promise<Connection>, capabilities: Pick<EngineCapabilities, 'isolationVariable'>, options: WorkloadOptions = {}): Promise<RecordedHistory> {
  const workload = options.workload ?? 'list-append'
  const sessions = options.sessions ?? 8
  const total = options.transactions ?? 200
  const keys = options.keys ?? 10
  const random = generator(options.seed ?? 1)
  const table = workload === 'list-append' ? 'lists' : 'registers'
  const setup = await connect()
  await setup.query(`CREATE TABLE IF NOT EXISTS ${table} (id INT PRIMARY KEY, val ${workload === 'list-append' ? 'TEXT' : 'BIGINT'})`)
  await setup.end()
  const weights = Array.from({ length: keys }, (_, k) => (options.keyDistribution === 'uniform' ? 1 : 0.5 ** Math.min(k, 30)))
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0)
  const pickSlot = (): number => {
    let at = random() * weightSum
    for (let k = 0; k < keys; k++) {
      at -= weights[k] as number
      if (at <= 0) return k
    }
    return keys - 1
  }
  // The active keys: one that took its share of writes makes way for a fresh key.
  const active = Array.from({ length: keys }, (_, k) => k)
  let freshKey = keys
  const nextValue = new Map<Key, number>()
  const pickKey = (write: boolean): number => {
    const slot = pickSlot()
    const key = active[slot] as number
    if (write && (nextValue.get(key) ?? 0) + 1 >= (options.maxWritesPerKey ?? 32)) active[slot] = freshKey++
    return key
  }
  const plan = (): MicroOp[] => {
    const count = (options.minOps ?? 1) + Math.floor(random() * ((options.maxOps ?? 4) - (options.minOps ?? 1) + 1))
    return Array.from({ length: count }, (): MicroOp => {
      const read = random() < (options.readRatio ?? 0.5)
      const key = pickKey(!read)
      if (read) return ['r', key, null]
      const value = (nextValue.get(key) ?? 0) + 1
      nextValue.set(key, value)
      return workload === 'list-append' ? ['append', key, value] : ['w', key, value]
    })
  }
  const history: RecordedOperation[] = []
  const origin = performance.now()
  const record = (op: Omit<RecordedOperation, 'index' | 'time' | 'f'>) => history.push({ ...op, f: 'txn', index: history.length, time: Math.round((performance.now() - origin) * 1e6) })
  const level = options.isolation === undefined ? undefined : parseIsolationLevel(options.isolation)
  const begin = options.transactionMode ? `BEGIN ${options.transactionMode.toUpperCase()}` : 'BEGIN'
  let started = 0
  let nextProcess = sessions
  const more = () => started < total && (options.durationMs === undefined || performance.now() - origin < options.durationMs)
  const open = async () => {
    const connection = await connect()
    if (level) await connection.query(setIsolationSql(capabilities, level))
    return connection
  }

  const session = async (first: number) => {
    let process = first
    let connection = await open()
    try {
      while (more()) {
        started++
        const ops = plan()
        record({ type: 'invoke', process, value: ops })
        const sql: string[] = []
        const run = async (statement: string, params: unknown[] = []) => {
          sql.push(params.length === 0 ? statement : `${statement} -- ${JSON.stringify(params)}`)
          return connection.query<RowDataPacket[]>(statement, params)
        }
        let committing = false
        try {
          await run(begin)
          const done: MicroOp[] = []
          for (const op of ops) {
            const [f, key, value] = op
            if (f === 'r') {
              const [rows] = await run(`SELECT val FROM ${table} WHERE id = ?`, [key])
              const raw = rows[0]?.val as string | number | null | undefined
              done.push(['r', key, workload === 'list-append' ? (raw === undefined || raw === null || raw === '' ? [] : String(raw).split(',').map(Number)) : raw === undefined || raw === null ? null : Number(raw)])
            } else if (f === 'append') {
              await run(`INSERT INTO ${table} (id, val) VALUES (?, ?) ON DUPLICATE KEY UPDATE val = CONCAT(val, ',', ?)`, [key, String(value), String(value)])
              done.push(op)
            } else {
              await run(`INSERT INTO ${table} (id, val) VALUES (?, ?) ON DUPLICATE KEY UPDATE val = ?`, [key, value, value])
              done.push(op)
            }
          }
          committing = true
          await run('COMMIT')
          record({ type: 'ok', process, value: done, sql })
        } catch (error) {
          const { errno, fatal, message } = error as { errno?: number; fatal?: boolean; message?: string }
          const known = errno !== undefined && aborts.has(errno)
          // Lost while COMMIT was on its way: it may have committed. Anything else ended it unfinished.
          const unknown = committing && !known
          record({ type: unknown ? 'info' : 'fail', process, value: ops, sql, error: message ?? String(error) })
          if (fatal || unknown) {
            connection.destroy()
            // Jepsen's rule: after an unknown outcome the session is a new process.
            if (unknown) process = nextProcess++
            connection = await open()
          } else {
            await connection.query('ROLLBACK').catch(() => {})
          }
        }
      }
    } finally {
      connection.destroy()
    }
  }
  await Promise.all(Array.from({ length: sessions }, (_, i) => session(i)))
  const completions = history.filter((op) => op.type !== 'invoke')
  return {
    history,
    counts: { ok: completions.filter((op) => op.type === 'ok').length, fail: completions.filter((op) => op.type === 'fail').length, info: completions.filter((op) => op.type === 'info').length },
    sqlOf: (txn) => (history[Number.isFinite(txn.completedAt) ? txn.completedAt : txn.invokedAt] as RecordedOperation | undefined)?.sql,
  }
}
