import mysql from 'mysql2/promise'
import { loadConfig } from '../src/config/load.ts'
import { redactConfig } from '../src/config/redact.ts'
import { FaultController } from '../src/faults/fault-controller.ts'
import { Rig } from '../src/fixtures/rig.ts'
import type { RunContext } from '../src/fixtures/run-context.ts'
import { WorkerDatabases } from '../src/fixtures/worker-databases.ts'
import { connectionOptions, openConnection } from '../src/server/connect.ts'
import { newRunId } from '../src/server/database-names.ts'
import { LocalServer } from '../src/server/local/local-server.ts'
import { compareRounds, summarize, timed } from './stats.ts'

/** Cold start to first query, per-test database cost, and `conn` against raw mysql2. */
export async function benchFoundation(): Promise<Record<string, unknown>> {
  const coldStarts: number[] = []
  for (let i = 0; i < 7; i++) {
    coldStarts.push(await timed(async () => {
      const server = await new LocalServer().start()
      try {
        const connection = await openConnection(server.endpoint)
        await connection.query('SELECT 1')
        connection.destroy()
      } finally {
        await server.stop()
      }
    }))
  }

  await using server = await new LocalServer().start()
  const { config } = await loadConfig({ env: {}, ignoreDotenv: true })
  const run: RunContext = { server: server.info, endpoint: server.endpoint, naming: { prefix: 'rig', runId: newRunId() }, config: redactConfig(config), providerReason: 'bench', fixturesDir: '' }
  await using databases = await WorkerDatabases.open(run, 'bench')

  // Exactly what the fixtures do for a test that asks for `conn`.
  const perTest: number[] = []
  for (let i = 0; i < 300; i++) {
    perTest.push(await timed(async () => {
      const name = await databases.create('t')
      const rig = new Rig(run, name, new FaultController())
      await rig.connect()
      await rig.release()
      await databases.drop(name)
    }))
  }

  const name = await databases.create('t')
  const rig = new Rig(run, name, new FaultController())
  const conn = await rig.connect()
  const raw = await mysql.createConnection(connectionOptions(server.endpoint, { database: name }))
  const selects = (connection: mysql.Connection) => async () => {
    for (let i = 0; i < 1000; i++) await connection.query('SELECT 1')
  }
  const connVsRaw = await compareRounds(10, selects(raw), selects(conn))
  await raw.end()
  await rig.release()
  await databases.drop(name)

  return {
    coldStartToFirstQueryMs: { ...summarize(coldStarts), target: '<= 1000 (p50)' },
    perTestDatabaseCreateConnectDropMs: { ...summarize(perTest), target: 'p50 <= 3' },
    connVsRawMysql2SelectOne: { queries: 10_000, rounds: 10, ...connVsRaw, target: 'ratio <= 1.05' },
    server: `${server.info.engine} ${server.info.version}`,
  }
}
