import { settingDefaults } from '../../config/setting-defaults.ts'
import { describe, expect, test } from 'vitest'
import { detectContainerRuntime, imagePresent } from './container-runtime.ts'
import { DEFAULT_TIDB_IMAGE, TiDBContainer, TIDB_SQL_PORT, TIDB_STATUS_PORT } from './tidb-container.ts'

/** Reads the protected configuration a TiDBContainer builds (what Testcontainers will be given). */
class InspectableTiDBContainer extends TiDBContainer {
  get config() {
    return { image: this.imageName.string, ports: this.exposedPorts, command: this.createOpts.Cmd, wait: this.waitStrategy, timeout: this.startupTimeoutMs }
  }
}

describe('TiDBContainer', () => {
  test('runs a pinned pingcap/tidb with SQL on 4000 and status on 10080', () => {
    const { image, ports, command, timeout } = new InspectableTiDBContainer().config
    expect(DEFAULT_TIDB_IMAGE).toMatch(/^pingcap\/tidb:v\d+\.\d+\.\d+$/)
    expect(image).toBe(DEFAULT_TIDB_IMAGE)
    expect(ports).toEqual([TIDB_SQL_PORT, TIDB_STATUS_PORT])
    expect(command).toEqual(['--store=unistore', '--path=/tmp/tidb', '-P', '4000', '--status', '10080', '-L', 'warn'])
    expect(timeout).toBe(settingDefaults.startTimeoutSecs * 1000)
  })

  test('is ready when the status endpoint answers 200, checked from the host (a minimal image has no shell to check inside)', () => {
    const { wait } = new InspectableTiDBContainer('pingcap/tidb:v7.5.0').config
    expect(wait).toMatchObject({ path: '/status', port: TIDB_STATUS_PORT })
    expect(wait?.constructor.name).toMatch(/HttpWaitStrategy/)
  })

  test('tells its id as soon as the container exists', async () => {
    const ids: string[] = []
    const container = new TiDBContainer().withCreatedCallback((id) => ids.push(id)) as unknown as { containerCreated(id: string): Promise<void> }
    await container.containerCreated('abc123')
    expect(ids).toEqual(['abc123'])
  })
})

// The official image where it can be pulled, else the one scripts/build-tidb-image.sh builds from
// the pinned tidb-server (same entrypoint and ports): CI has no registry, so it runs the latter.
const localImage = 'test-rig/tidb:v8.5.6'
const runtime = await detectContainerRuntime()
const image = !runtime.available ? undefined : (await imagePresent(runtime.endpoint, DEFAULT_TIDB_IMAGE)) ? DEFAULT_TIDB_IMAGE : (await imagePresent(runtime.endpoint, localImage)) ? localImage : undefined
const why = runtime.available ? `neither ${DEFAULT_TIDB_IMAGE} nor ${localImage} is present (bash scripts/build-tidb-image.sh)` : runtime.reason

describe.skipIf(!image)(`TiDBContainer live${image ? ` (${image})` : ` (skipped: ${why})`}`, () => {
  test('starts TiDB, answers SQL and its status endpoint, and is removed by stop', async () => {
    const mysql = await import('mysql2/promise')
    process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true' // Ryuk's image cannot be pulled here; the test stops its container itself
    const tidb = await new TiDBContainer(image).start()
    try {
      const connection = await mysql.createConnection(tidb.getConnectionUri())
      const [rows] = await connection.query('SELECT 1 AS one, VERSION() AS version')
      connection.destroy()
      expect(rows).toEqual([{ one: 1, version: expect.stringMatching(/-TiDB-v8\.5\.\d+$/) }])
      const status = await fetch(`http://${tidb.getHost()}:${tidb.getStatusPort()}/status`)
      expect(await status.json()).toMatchObject({ version: expect.stringContaining('TiDB') })
    } finally {
      await tidb.stop()
    }
  }, 180_000)
})
