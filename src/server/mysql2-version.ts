import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { Mysql2VersionError } from './errors.ts'

/**
 * The mysql2 versions the rig works with (its peer dependency range, kept equal to package.json's):
 * from 3.23.0, whose promise API rejects with the driver's own error (an injected fault keeps its
 * class, a lost connection its `fatal`; 3.22 copied them into a plain Error) and whose connections
 * have `reset()` (COM_RESET_CONNECTION, since 3.22, which the pooled `conn` relies on), up to the
 * next major.
 */
export const mysql2Range = { lowest: [3, 23, 0], nextMajor: 4, text: '>=3.23.0 <4' } as const

/**
 * The version of the mysql2 the project resolves (the one its code and the rig share, a peer
 * dependency); throws {@link Mysql2VersionError} with the fix when there is none or it is out of
 * {@link mysql2Range}.
 */
export async function checkMysql2(projectRoot: string): Promise<string> {
  let manifest: string
  try {
    manifest = createRequire(join(projectRoot, 'package.json')).resolve('mysql2/package.json')
  } catch {
    throw new Mysql2VersionError(undefined, mysql2Range.text, mysql2Range.lowest.join('.'))
  }
  const version = String((JSON.parse(await readFile(manifest, 'utf8')) as { version?: unknown }).version)
  if (!mysql2InRange(version)) throw new Mysql2VersionError(version, mysql2Range.text, mysql2Range.lowest.join('.'))
  return version
}

/** Whether a mysql2 version is in {@link mysql2Range} (pre-releases count as their release). */
export function mysql2InRange(version: string): boolean {
  const parts = /^(\d+)\.(\d+)\.(\d+)/.exec(version)?.slice(1).map(Number)
  if (!parts) return false
  const [major = 0, minor = 0, patch = 0] = parts
  const [lowMajor, lowMinor, lowPatch] = mysql2Range.lowest
  if (major >= mysql2Range.nextMajor) return false
  return major > lowMajor || (major === lowMajor && (minor > lowMinor || (minor === lowMinor && patch >= lowPatch)))
}
