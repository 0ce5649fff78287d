import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RowDataPacket } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { openConnection } from './connect.ts'
import { LocalServer, type StartedLocalServer } from './local/local-server.ts'
import { buildTemplate, templateKey, type SchemaDeclaration } from './schema-template.ts'
import { templateName } from './database-names.ts'

describe('schema templates on a server several runs share', () => {
  let server: StartedLocalServer
  let fixtures: string
  beforeAll(async () => {
    server = await new LocalServer().start()
    fixtures = await mkdtemp(join(tmpdir(), 'rig-template-'))
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
    if (fixtures) await rm(fixtures, { recursive: true, force: true })
  })

  /** A schema no run has built yet (its own table names, so its own key), and a count of its builds. */
  async function freshSchema(tag: string, tables = 30): Promise<{ declaration: SchemaDeclaration; builds: () => number }> {
    const file = `race-${tag}.sql`
    const statements = Array.from({ length: tables }, (_, i) => `CREATE TABLE t${i}_${tag} (id INT PRIMARY KEY, note VARCHAR(20));`)
    await writeFile(join(fixtures, file), `${statements.join('\n')}\nINSERT INTO t0_${tag} VALUES (1, 'seed');\n`)
    let builds = 0
    const declaration: SchemaDeclaration = {
      files: [file],
      version: tag,
      setup: async () => {
        builds++
      },
    }
    return { declaration, builds: () => builds }
  }

  test('ten pairs of runs that need the same new template: each pair builds it once, both get it whole, no error', async () => {
    for (let pair = 0; pair < 10; pair++) {
      const { declaration, builds } = await freshSchema(`p${pair}_${Date.now().toString(36)}`)
      const [a, b] = await Promise.all([1, 2].map(() => buildTemplate(server.endpoint, server.info, { prefix: 'rig' }, declaration, fixtures)))
      expect(builds()).toBe(1)
      expect([a?.built, b?.built].filter(Boolean)).toHaveLength(1)
      expect(a?.clone.statements).toEqual(b?.clone.statements)
      expect(a?.clone.statements.filter((sql) => sql.startsWith('CREATE TABLE'))).toHaveLength(30)
    }
  }, 120_000)

  test('a builder that died (its session gone, its template half built) is taken over: the waiting run drops the half and builds', async () => {
    const { declaration, builds } = await freshSchema(`dead_${Date.now().toString(36)}`, 3)
    const template = templateName('rig', await templateKey(declaration, fixtures, server.info))
    // A run that took the lock, made half the template, and then hangs.
    const dying = await openConnection(server.endpoint)
    await dying.query('SELECT GET_LOCK(?, 0)', [template])
    await dying.query(`CREATE DATABASE \`${template}\``)
    await dying.query(`CREATE TABLE \`${template}\`.half_built (id INT)`)
    const waits: string[] = []
    const building = buildTemplate(server.endpoint, server.info, { prefix: 'rig' }, declaration, fixtures, { onWait: (line) => waits.push(line) })
    // Long enough for the waiting run to report the wait once.
    await new Promise((resolve) => setTimeout(resolve, 5_500))
    expect(builds()).toBe(0)
    dying.destroy()
    const built = await building
    expect(built.built).toBe(true)
    expect(builds()).toBe(1)
    expect(waits[0]).toMatch(new RegExp(`waiting for another run to finish building schema template ${template} on 127\\.0\\.0\\.1:\\d+ \\(server connection \\d+\\): \\d+ s so far`))
    const admin = await openConnection(server.endpoint)
    try {
      const [tables] = await admin.query<RowDataPacket[]>('SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME', [template])
      expect(tables.map((row) => String(row.name))).not.toContain('half_built')
    } finally {
      admin.destroy()
    }
  }, 60_000)

  test('a run gives up after schema.lockTimeoutSecs with a message that names the lock, its holder and the fix', async () => {
    const { declaration } = await freshSchema(`stuck_${Date.now().toString(36)}`, 1)
    const template = templateName('rig', await templateKey(declaration, fixtures, server.info))
    const stuck = await openConnection(server.endpoint)
    try {
      await stuck.query('SELECT GET_LOCK(?, 0)', [template])
      const error = await buildTemplate(server.endpoint, server.info, { prefix: 'rig' }, declaration, fixtures, { timeoutSecs: 1 }).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'TEST_RIG_LOCK_TIMEOUT', lockName: template, holder: stuck.threadId })
      expect((error as Error).message).toMatch(/for another run to finish rig_tpl_\w+ \(held by server connection \d+\), and it did not\.\nFix: .*schema\.lockTimeoutSecs/)
    } finally {
      stuck.destroy()
    }
  }, 30_000)
})
