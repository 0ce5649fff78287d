import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RowDataPacket } from 'mysql2/promise'
import { describe, expect, test } from 'vitest'
import { openConnection } from '../connect.ts'
import { newRunId } from '../database-names.ts'
import { findSnapshot, keepSnapshot, keptSnapshots, snapshotFolder } from './data-snapshot.ts'
import { scratchRoot } from './data-template.ts'
import { LocalServer } from './local-server.ts'

describe('a data directory kept across runs', () => {
  test('a local server keeps its data directory for a key, starts again on a new port, and the next start with that key begins from it', async () => {
    const key = `test${newRunId()}`
    const contents = { runId: newRunId(), copies: ['kept_db'] }
    {
      await using server = await new LocalServer({ snapshotKey: key }).start()
      expect(server.snapshot?.found).toBeUndefined()
      const admin = await openConnection(server.endpoint, { multipleStatements: true })
      await admin.query('CREATE DATABASE kept_db; CREATE TABLE kept_db.t (id INT PRIMARY KEY); INSERT INTO kept_db.t VALUES (7)')
      admin.destroy()
      const before = server.endpoint.port
      expect(await server.snapshot?.keep(contents)).toEqual({ kept: true })
      expect(server.endpoint.port).not.toBe(before)
      expect(server.info.port).toBe(server.endpoint.port)
      // Started again on the same data: what was there still is, and it takes writes.
      const again = await openConnection(server.endpoint)
      await again.query('INSERT INTO kept_db.t VALUES (8)')
      again.destroy()
    }
    await using next = await new LocalServer({ snapshotKey: key }).start()
    expect(next.snapshot?.found).toEqual(contents)
    const admin = await openConnection(next.endpoint)
    try {
      // The row written after the keep is not in the kept copy.
      const [rows] = await admin.query<RowDataPacket[]>('SELECT id FROM kept_db.t')
      expect(rows).toEqual([{ id: 7 }])
    } finally {
      admin.destroy()
    }
    await using other = await new LocalServer({ snapshotKey: `${key}x` }).start()
    expect(other.snapshot?.found).toBeUndefined()
    // This test's kept directory goes with it (it would push a project's own out).
    const templates = join(await scratchRoot(true), 'test-rig-templates')
    for (const entry of await readdir(templates)) if (entry.endsWith(`+schema-${key}`)) await rm(join(templates, entry), { recursive: true, force: true })
  })

  test(`keeps the ${keptSnapshots} most recently used beside a template and removes the rest; a half-written one is never found`, async () => {
    const templates = await mkdtemp(join(tmpdir(), 'snapshots-'))
    try {
      const base = join(templates, 'engine-1.0-abc')
      await mkdir(base)
      const data = join(templates, 'data')
      await mkdir(data)
      await writeFile(join(data, 'ibdata1'), 'x')
      const keys = Array.from({ length: keptSnapshots + 1 }, (_, i) => `k${i + 1}`)
      for (const [i, key] of keys.entries()) {
        await keepSnapshot(base, key, data, { runId: 'r', copies: [] })
        // Used at distinct times, k1 first.
        const at = new Date(Date.now() - (keys.length - i) * 60_000)
        await utimes(snapshotFolder(base, key), at, at)
      }
      expect(await findSnapshot(base, 'k2')).toBeDefined()
      await keepSnapshot(base, 'new', data, { runId: 'r', copies: [] })
      const left = (await readdir(templates)).filter((entry) => entry.includes('+schema-')).sort()
      // k1 went when the last of the keys was kept; then k2 was used again, so k3 goes now.
      const expected = ['new', 'k2', ...keys.slice(3)].map((key) => `engine-1.0-abc+schema-${key}`).sort()
      expect(left).toEqual(expected)
      expect(await readFile(join(snapshotFolder(base, 'new'), 'data', 'ibdata1'), 'utf8')).toBe('x')
      // No contents file (a copy cut short): not a kept data directory.
      await mkdir(join(snapshotFolder(base, 'half'), 'data'), { recursive: true })
      expect(await findSnapshot(base, 'half')).toBeUndefined()
    } finally {
      await rm(templates, { recursive: true, force: true })
    }
  })
})
