import type { Connection, RowDataPacket } from 'mysql2/promise'
import { NamedLockTimeoutError } from './errors.ts'

/** How long one `GET_LOCK` call waits before the wait is reported and asked again. */
const askEverySecs = 5

/** What a wait for a named lock reports while it lasts. */
export interface LockWait {
  /** The lock's name. */
  readonly name: string
  /** The server connection id of the session holding it, when the server says. */
  readonly holder: number | undefined
  /** How long this run has waited so far. */
  readonly waitedMs: number
}

/** A named lock held by this run's session; released by disposal (and by the server when the session ends). */
export interface HeldLock extends AsyncDisposable {
  /** The lock's name. */
  readonly name: string
  /** Whether another session held it when it was asked for (this run waited for it). */
  readonly waited: boolean
}

/**
 * Takes the server's named lock `name` (`GET_LOCK`, on MySQL, MariaDB and TiDB) on `connection`,
 * waiting for the session that holds it for at most `timeoutMs`; `onWait` hears about the wait
 * every few seconds. The server releases the lock when the holding session ends, so a run that
 * dies while it holds one (SIGKILL, a lost machine) frees it for the next without any sweep.
 */
export async function acquireNamedLock(connection: Connection, name: string, timeoutMs: number, onWait: (wait: LockWait) => void = () => {}): Promise<HeldLock> {
  const startedAt = performance.now()
  let waited = false
  for (;;) {
    const waitedMs = performance.now() - startedAt
    const secs = waited ? Math.max(0, Math.min(askEverySecs, Math.ceil((timeoutMs - waitedMs) / 1000))) : 0
    const [rows] = await connection.query<RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS got, IS_USED_LOCK(?) AS holder', [name, secs, name])
    if (Number(rows[0]?.got) === 1) {
      return {
        name,
        waited,
        async [Symbol.asyncDispose]() {
          // The session may be gone already (its lock with it).
          await connection.query('SELECT RELEASE_LOCK(?)', [name]).catch(() => {})
        },
      }
    }
    const holder = rows[0]?.holder === null || rows[0]?.holder === undefined ? undefined : Number(rows[0].holder)
    const now = performance.now() - startedAt
    if (now >= timeoutMs) throw new NamedLockTimeoutError(name, holder, now)
    if (waited) onWait({ name, holder, waitedMs: now })
    waited = true
  }
}
