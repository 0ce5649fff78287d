import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { openConnection } from '../src/server/connect.ts'
import { findServerBinary, type ServerBinary } from '../src/server/discovery.ts'
import { scratchRoot } from '../src/server/local/data-template.ts'
import { serverCommand } from '../src/server/local/launch-plan.ts'
import { freePort } from '../src/server/free-port.ts'

const run = promisify(execFile)

/** What a hand-written start needs to know beforehand: the binary and an initialised data directory. */
export interface RawStartPlan {
  readonly binary: ServerBinary
  readonly template: string
  readonly root: string
}

/** Finds the binary and the data-directory template a rig start made (run one first). */
export async function rawStartPlan(): Promise<RawStartPlan> {
  const binary = await findServerBinary({ engine: 'mariadb' })
  const root = await scratchRoot(true)
  const templates = join(root, 'test-rig-templates')
  const name = (await readdir(templates)).find((entry) => entry.startsWith(`mariadb-${binary.engine.version}-`))
  if (!name) throw new Error(`no MariaDB data template under ${templates}: start the rig's server once first`)
  return { binary, template: join(templates, name), root }
}

/**
 * The baseline of a cold start, by hand: copy the initialised data directory, spawn `mariadbd` on
 * it with the same flags the rig uses, poll until `SELECT 1` answers. Returns how to stop it
 * (SIGKILL and remove the copy). No discovery, no watchdog, no sweep: the floor the rig's start
 * is compared with.
 */
export async function rawStart(plan: RawStartPlan): Promise<() => Promise<void>> {
  const runDir = await mkdtemp(join(plan.root, 'bench-raw-'))
  const dataDir = join(runDir, 'data')
  await run('cp', ['-a', '--sparse=always', plan.template, dataDir])
  const port = await freePort()
  const command = serverCommand(plan.binary, { dataDir, runDir, port, statusPort: 0, asRoot: process.getuid?.() === 0 })
  const child = spawn(command.command, [...command.args], { stdio: 'ignore' })
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
      await once(child, 'exit')
    }
    await rm(runDir, { recursive: true, force: true })
  }
  // A server that never answers is stopped and its copy removed, not waited for forever.
  const deadline = performance.now() + 30_000
  for (;;) {
    try {
      const connection = await openConnection({ host: '127.0.0.1', port, user: 'root', tls: false, connectTimeoutMs: 2_000 })
      await connection.query('SELECT 1')
      connection.destroy()
      return stop
    } catch (error) {
      if (child.exitCode !== null || performance.now() > deadline) {
        await stop()
        throw error
      }
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }
}
