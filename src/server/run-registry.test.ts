import { spawnSync } from 'node:child_process'
import { hostname } from 'node:os'
import fc from 'fast-check'
import type { RowDataPacket } from 'mysql2/promise'
import { describe, expect, test } from 'vitest'
import { openConnection } from './connect.ts'
import { databaseName, newRunId } from './database-names.ts'
import { LocalServer } from './local/local-server.ts'
import { deadRuns, registrySchema, RunRegistry, sweepable, type RegisteredRun } from './run-registry.ts'

/** A scope of every declared run shape (see nameShapes): tests', files', the spares list, kept copies, the commands'. */
const scope = fc.oneof(
  fc.tuple(fc.stringMatching(/^[0-9a-z]{1,8}$/), fc.constantFrom('t', 'f'), fc.integer({ min: 1, max: 99_999 })).map(([w, kind, n]) => `w${w}_${kind}${n}`),
  fc.constant('spares'),
  fc.integer({ min: 1, max: 16 }).map((n) => `kept${n}`),
  fc.constantFrom('isolation', 'run_basic', 'run_multi'),
)
const runId = fc.stringMatching(/^[0-9a-z]{10}$/)

describe('the sweep decision', () => {
  test('takes only the names the rig made for the run: look-alikes of users are never taken', () => {
    const naming = { prefix: 'rig', runId: newRunId() }
    const ours = databaseName(naming, 'w1_t3')
    const shapes = ['spares', 'kept1', 'kept12', 'isolation', 'run_basic', 'run_multi', 'w1_f2'].map((s) => databaseName(naming, s))
    const lookAlikes = ['rig_production_data', 'rig_2024backup_orders', `rig_${naming.runId}_notes`, `rig_${naming.runId}_w1_t3x`, `rig_${naming.runId}_w1_x3`, `rig_${naming.runId}`, `Rig_${naming.runId}_w1_t3`,
      `rig_${naming.runId}_spares2`, `rig_${naming.runId}_kept`, `rig_${naming.runId}_keptx`, `rig_${naming.runId}_isolation_old`, `rig_${naming.runId}_run_basics`, `rig_tpl_${naming.runId}ab`, 'rig__test_rig']
    expect(sweepable([ours, ...shapes, ...lookAlikes], naming)).toEqual([ours, ...shapes])
  })

  test('a run is dead when silent too long, or on this host when its process is gone; never otherwise', () => {
    const runs: RegisteredRun[] = [
      { runId: 'live', host: 'here', pid: 1, silentForSecs: 5 },
      { runId: 'killed', host: 'here', pid: 2, silentForSecs: 5 },
      { runId: 'elsewhere', host: 'there', pid: 2, silentForSecs: 5 },
      { runId: 'silent', host: 'there', pid: 1, silentForSecs: 500 },
    ]
    expect(deadRuns(runs, 120, 'here', (pid) => pid === 1)).toEqual(['killed', 'silent'])
  })

  test('no name the rig did not make, and no name of a live run, is ever taken (random servers)', () => {
    const registered = fc.record({ runId, host: fc.constantFrom('here', 'there'), pid: fc.integer({ min: 1, max: 9 }), silentForSecs: fc.integer({ min: 0, max: 1_000 }) })
    const userName = fc.oneof(fc.string({ maxLength: 64 }), fc.stringMatching(/^rig_[0-9a-z_]{0,40}$/), fc.stringMatching(/^[a-z0-9_]{1,64}$/))
    fc.assert(fc.property(fc.uniqueArray(registered, { selector: (run) => run.runId, maxLength: 6 }), fc.array(fc.tuple(fc.nat(5), scope), { maxLength: 20 }), fc.array(userName, { maxLength: 20 }), fc.integer({ min: 1, max: 600 }), (runs, made, users, deadAfterSecs) => {
      const alive = (pid: number) => pid % 2 === 0
      const rigNames = made.flatMap(([index, s]) => (runs[index] ? [databaseName({ prefix: 'rig', runId: runs[index].runId }, s)] : []))
      const server = [...users, ...rigNames]
      const dead = new Set(deadRuns(runs, deadAfterSecs, 'here', alive))
      const dropped = [...dead].flatMap((id) => sweepable(server, { prefix: 'rig', runId: id }))
      for (const name of dropped) {
        expect(rigNames).toContain(name)
        const owner = runs.find((run) => name.startsWith(`rig_${run.runId}_`)) as RegisteredRun
        expect(owner.silentForSecs > deadAfterSecs || (owner.host === 'here' && !alive(owner.pid))).toBe(true)
      }
      for (const name of rigNames) {
        const owner = runs.find((run) => name.startsWith(`rig_${run.runId}_`)) as RegisteredRun
        if (dead.has(owner.runId)) expect(dropped).toContain(name)
      }
    }), { numRuns: 500 })
  })
})

describe('RunRegistry against a real server', () => {
  test('drops the databases of dead runs only, keeps live runs and every look-alike, and forgets the dead', async () => {
    await using server = await new LocalServer().start()
    const admin = await openConnection(server.endpoint)
    try {
      const registry = await RunRegistry.open(admin, 'rig')
      const gonePid = spawnSync('true').pid as number
      const [live, killed, elsewhere, silent] = [newRunId(), newRunId(), newRunId(), newRunId()]
      await registry.register(live)
      await registry.register(killed, gonePid)
      await registry.register(elsewhere)
      await registry.register(silent)
      await admin.query(`UPDATE \`${registrySchema('rig')}\`.runs SET host = 'another-host' WHERE run_id IN (?, ?)`, [elsewhere, silent])
      await admin.query(`UPDATE \`${registrySchema('rig')}\`.runs SET heartbeat_at = NOW() - INTERVAL 1 HOUR WHERE run_id = ?`, [silent])
      // Every shape a run makes: a test's, a file's, its spares list, a kept copy, a command's scratch database.
      const names = (id: string) => ['w1_t1', 'w2_f1', 'spares', 'kept1', 'isolation'].map((s) => databaseName({ prefix: 'rig', runId: id }, s))
      const users = ['rig_production_data', 'rig_2024backup_orders', `rig_${killed}_notes`, `rig_${killed}_spares_backup`, `rig_${silent}_kept`]
      for (const db of [...[live, killed, elsewhere, silent].flatMap(names), ...users]) await admin.query(`CREATE DATABASE \`${db}\``)

      const dropped = await registry.sweep('rig', 120)

      expect(dropped.sort()).toEqual([...names(killed), ...names(silent)].sort())
      const [rows] = await admin.query<RowDataPacket[]>('SHOW DATABASES')
      const existing = rows.map((row) => String(Object.values(row)[0]))
      for (const kept of [...names(live), ...names(elsewhere), ...users]) expect(existing).toContain(kept)
      expect((await registry.runs()).map((run) => run.runId).sort()).toEqual([live, elsewhere].sort())
      expect((await registry.runs()).find((run) => run.runId === live)?.host).toBe(hostname())
    } finally {
      admin.destroy()
    }
  }, 60_000)
})
