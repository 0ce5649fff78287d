import { openConnection } from '../src/server/connect.ts'
import { LocalServer } from '../src/server/local/local-server.ts'
import { openMany, selectOnes, startHarness } from './harness.ts'
import { rawStart, rawStartPlan } from './raw-start.ts'
import { compareRounds, compareStarts, summarize, timed } from './stats.ts'

/** Cold start to first query, per-test database cost, and the instrumented `conn` against raw mysql2. */
export async function benchFoundation(): Promise<Record<string, unknown>> {
  // The rig's start against a hand-written one (copy the data template, spawn, poll) in the same rounds.
  await (await new LocalServer().start()).stop()
  const plan = await rawStartPlan()
  const coldStart = await compareStarts(9, () => rawStart(plan), async () => {
    const server = await new LocalServer().start()
    const connection = await openConnection(server.endpoint)
    await connection.query('SELECT 1')
    connection.destroy()
    return () => server.stop()
  })

  await using harness = await startHarness()
  // Exactly what the fixtures do for a test that asks for `conn`.
  const perTest: number[] = []
  for (let i = 0; i < 300; i++) {
    perTest.push(await timed(async () => {
      const rig = await harness.newRig()
      await rig.connect()
      await rig.release()
      await harness.databases.drop(rig.databaseName)
    }))
  }

  const rig = await harness.newRig()
  const raws = await openMany(4, () => harness.raw(rig.databaseName))
  const connVsRaw = await compareRounds(200, selectOnes(raws, 50), selectOnes(await openMany(4, () => rig.connect()), 50))
  for (const raw of raws) await raw.end()
  await rig.release()

  return {
    coldStartToFirstQuery: { rounds: 9, rawMariadbdMs: coldStart.baselineMs, rigMs: coldStart.candidateMs, ratio: coldStart.ratio, target: 'rig p50 <= 1000 ms; ratio <= 1.2 over a raw mariadbd spawn from a copied data directory' },
    perTestDatabaseCreateConnectDropMs: { ...summarize(perTest), target: 'p50 <= 3' },
    instrumentedConnVsRawMysql2SelectOne: { queries: 10_000, rounds: 200, ...connVsRaw, target: 'ratio <= 1.05' },
    server: `${harness.server.info.engine} ${harness.server.info.version}`,
  }
}
