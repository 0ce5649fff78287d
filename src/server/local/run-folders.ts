import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { processAlive } from '../process-alive.ts'

/**
 * Makes a folder for this runner under `parent`, named `<stem>-<runner pid>-<random>`: the name
 * says whose it is, so a later run can tell a dead runner's leftovers from a live one's.
 */
export function runnerFolder(parent: string, stem: string): Promise<string> {
  return mkdtemp(join(parent, `${stem}-${process.pid}-`))
}

/**
 * Removes the folders (made by {@link runnerFolder} with one of `stems`) under `parent` whose
 * runner process is gone, first killing any process still running on one (a server whose runner
 * was SIGKILLed before its watchdog could act). A folder of a live runner is never touched.
 * Returns the folders removed.
 */
export async function sweepDeadRunnerFolders(parent: string, stems: readonly string[], isAlive: (pid: number) => boolean = processAlive): Promise<string[]> {
  let entries: string[]
  try {
    entries = await readdir(parent)
  } catch {
    return []
  }
  const removed: string[] = []
  for (const entry of entries) {
    const runner = runnerOf(entry, stems)
    if (runner === undefined || runner === process.pid || isAlive(runner)) continue
    const folder = join(parent, entry)
    for (const pid of await processesNaming(folder)) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // gone meanwhile
      }
    }
    await rm(folder, { recursive: true, force: true })
    removed.push(folder)
  }
  return removed
}

/** The runner pid in a folder name made by {@link runnerFolder}, if it is one. */
export function runnerOf(entry: string, stems: readonly string[]): number | undefined {
  for (const stem of stems) {
    const match = new RegExp(`^${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)-[A-Za-z0-9]{6}$`).exec(entry)
    if (match?.[1]) return Number(match[1])
  }
  return undefined
}

/** Processes whose command line names `folder` (Linux; elsewhere none are found). */
async function processesNaming(folder: string): Promise<number[]> {
  let pids: string[]
  try {
    pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name))
  } catch {
    return []
  }
  const found: number[] = []
  for (const pid of pids) {
    try {
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8')
      if (cmdline.includes(folder)) found.push(Number(pid))
    } catch {
      // ended meanwhile, or not ours to read
    }
  }
  return found
}
