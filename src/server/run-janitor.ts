import { spawn } from 'node:child_process'
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openConnection } from './connect.ts'
import type { RunNaming } from './database-names.ts'
import { RunRegistry } from './run-registry.ts'
import { TestDatabases } from './test-databases.ts'
import type { ServerEndpoint } from './types.ts'

/** What the janitor process needs to know, sent on its standard input (never on its command line: it holds the password). */
interface JanitorOrders {
  readonly endpoint: ServerEndpoint
  readonly naming: RunNaming
}

/** A running janitor; disarm it once the run has cleaned up the ordinary way. */
export interface RunJanitor {
  /** Ends the janitor without touching the server. */
  disarm(): void
}

/**
 * Starts a small process that drops this run's databases from a shared server (and forgets the
 * run in the registry) when the runner ends without its teardown: Ctrl-C and SIGTERM (Vitest then
 * exits at once) as well as SIGKILL. It waits on a pipe only the runner holds, like the local
 * server's watchdog.
 */
export function startRunJanitor(endpoint: ServerEndpoint, naming: RunNaming): RunJanitor {
  const self = fileURLToPath(import.meta.url)
  const child = spawn(process.execPath, [self], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] })
  child.unref()
  const stdin = child.stdin as (NodeJS.WritableStream & { unref?: () => void }) | null
  stdin?.on('error', () => {})
  stdin?.write(`${JSON.stringify({ endpoint, naming } satisfies JanitorOrders)}\n`)
  stdin?.unref?.()
  return {
    disarm() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    },
  }
}

/** The janitor's own work, once its pipe closed: drop the run's databases, forget the run. */
async function cleanUp(orders: JanitorOrders): Promise<void> {
  const admin = await openConnection(orders.endpoint)
  try {
    await new TestDatabases(admin, orders.naming).dropAll()
    await (await RunRegistry.open(admin, orders.naming.prefix)).forget(orders.naming.runId)
  } finally {
    admin.destroy()
  }
}

// Run as a process (by startRunJanitor): read the orders, wait for the end of input, clean up.
if (process.argv[1] === fileURLToPath(import.meta.url) && ['.ts', '.js'].includes(extname(process.argv[1]))) {
  let input = ''
  process.stdin.setEncoding('utf8')
  process.stdin.on('data', (chunk: string) => (input += chunk))
  process.stdin.on('end', () => {
    const line = input.split('\n')[0] ?? ''
    void cleanUp(JSON.parse(line) as JanitorOrders).finally(() => process.exit(0))
  })
}
