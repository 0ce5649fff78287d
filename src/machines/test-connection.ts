import type { Connection } from 'mysql2/promise'

/**
 * TEST DOUBLE, for the state machines' unit tests only: a stand-in for a mysql2 connection that answers
 * `query` after a delay the SQL names (`SLEEP <ms>`; `HANG` never answers) and records what it got.
 * The state machines' integration specs run against the real server.
 */
export function scriptedConnection(): Connection & { readonly received: string[]; destroyed: boolean } {
  const received: string[] = []
  const connection = {
    received,
    destroyed: false,
    query(sql: string) {
      received.push(sql)
      if (sql === 'HANG') return new Promise(() => {})
      if (sql.startsWith('FAIL')) return Promise.reject(Object.assign(new Error(sql), { code: 'ER_TEST', errno: 1 }))
      const delay = /^SLEEP (\d+)/.exec(sql)?.[1]
      return new Promise((resolve) => setTimeout(() => resolve([[{ sql }], []]), Number(delay ?? 0)))
    },
    destroy() {
      connection.destroyed = true
    },
  }
  return connection as unknown as Connection & { readonly received: string[]; destroyed: boolean }
}
