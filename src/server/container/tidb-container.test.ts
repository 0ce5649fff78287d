import { describe, expect, test } from 'vitest'
import { detectContainerEngine, imagePresent } from './engine-detection.ts'
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
    expect(timeout).toBe(120_000)
  })

  test('is ready only when the status endpoint answers 200 and the ports listen', () => {
    const { wait } = new InspectableTiDBContainer('pingcap/tidb:v7.5.0').config
    const strategies = (wait as unknown as { waitStrategies: { path?: string; port?: number; predicates?: unknown[] }[] }).waitStrategies
    expect(strategies).toHaveLength(2)
    expect(strategies[0]).toMatchObject({ path: '/status', port: TIDB_STATUS_PORT })
    expect(strategies[1]?.constructor.name).toMatch(/HostPortWaitStrategy/)
  })

  test('tells its id as soon as the container exists', async () => {
    const ids: string[] = []
    const container = new TiDBContainer().withCreatedCallback((id) => ids.push(id)) as unknown as { containerCreated(id: string): Promise<void> }
    await container.containerCreated('abc123')
    expect(ids).toEqual(['abc123'])
  })
})

const engine = await detectContainerEngine()
const tidbHere = engine.available && (await imagePresent(engine.endpoint, DEFAULT_TIDB_IMAGE))

describe.skipIf(!tidbHere)(`TiDBContainer live${tidbHere ? '' : ` (skipped: ${engine.available ? `${DEFAULT_TIDB_IMAGE} is not present and no registry is reachable here` : engine.reason})`}`, () => {
  test('starts TiDB and answers SELECT 1', async () => {
    const mysql = await import('mysql2/promise')
    await using tidb = await new TiDBContainer().start()
    const connection = await mysql.createConnection(tidb.getConnectionUri())
    const [rows] = await connection.query('SELECT 1 AS one')
    connection.destroy()
    expect(rows).toEqual([{ one: 1 }])
  }, 180_000)
})
