import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { SnapshotContents } from '../types.ts'
import { copySparse } from './copy-sparse.ts'
import { runnerFolder, sweepDeadRunnerFolders } from './run-folders.ts'
import { startWatchdog } from './watchdog.ts'

/** A kept data directory, found for a key. */
export interface FoundSnapshot {
  /** Its data directory (copy it; never start a server on it). */
  readonly dataDir: string
  /** What it holds. */
  readonly contents: SnapshotContents
}

/** How many kept data directories stay beside one initialised template (the most recently used). */
export const keptSnapshots = 6

/**
 * Where the data directory kept for `key` beside the initialised template `base` lives. A kept
 * one is the template plus the project's schema (see the preset): a run with an unchanged schema
 * starts from it and builds nothing.
 */
export function snapshotFolder(base: string, key: string): string {
  return `${base}+schema-${key}`
}

/** The data directory kept for `key`, or undefined; marks it used (the least recently used go first). */
export async function findSnapshot(base: string, key: string): Promise<FoundSnapshot | undefined> {
  const folder = snapshotFolder(base, key)
  let contents: SnapshotContents
  try {
    contents = parseContents(await readFile(join(folder, contentsFile), 'utf8'))
  } catch {
    return undefined
  }
  const now = new Date()
  await utimes(folder, now, now).catch(() => {})
  return { dataDir: join(folder, 'data'), contents }
}

/**
 * Keeps a copy of `dataDir` (its server stopped cleanly) for `key` beside the template `base`,
 * and removes the kept data directories of that template beyond the {@link keptSnapshots} most
 * recently used. The copy is made in a staging folder guarded by a watchdog and renamed into
 * place whole, so a run killed half-way leaves nothing and a run that reads it never sees half.
 */
export async function keepSnapshot(base: string, key: string, dataDir: string, contents: SnapshotContents): Promise<void> {
  const templates = dirname(base)
  await sweepDeadRunnerFolders(templates, [stagingStem])
  const staging = await runnerFolder(templates, stagingStem)
  const watchdog = startWatchdog(staging)
  try {
    const folder = join(staging, 'snapshot')
    await mkdir(folder)
    await copySparse(dataDir, join(folder, 'data'))
    await writeFile(join(folder, contentsFile), JSON.stringify(contents))
    try {
      await rename(folder, snapshotFolder(base, key))
    } catch (error) {
      // Another run kept the same key at the same moment: theirs is as good as ours.
      if (!(await findSnapshot(base, key))) throw error
    }
  } finally {
    await rm(staging, { recursive: true, force: true })
    watchdog.disarm()
  }
  await pruneSnapshots(base)
}

/** Removes the kept data directories of `base` beyond the most recently used {@link keptSnapshots}. */
export async function pruneSnapshots(base: string): Promise<string[]> {
  const templates = dirname(base)
  const prefix = `${basename(base)}+schema-`
  const kept = await Promise.all((await readdir(templates)).filter((entry) => entry.startsWith(prefix)).map(async (entry) => {
    const path = join(templates, entry)
    return { path, usedAt: (await stat(path).catch(() => undefined))?.mtimeMs ?? 0 }
  }))
  const old = kept.sort((a, b) => b.usedAt - a.usedAt).slice(keptSnapshots).map((entry) => entry.path)
  for (const path of old) await rm(path, { recursive: true, force: true })
  return old
}

/** The name stem of a kept data directory being written (`.staging-<runner pid>-<random>`). */
const stagingStem = '.staging'
const contentsFile = 'snapshot.json'

function parseContents(text: string): SnapshotContents {
  const value = JSON.parse(text) as Partial<SnapshotContents>
  if (typeof value.runId !== 'string' || !Array.isArray(value.copies) || !value.copies.every((name) => typeof name === 'string')) throw new Error('not a snapshot')
  return { runId: value.runId, copies: value.copies }
}
