import { coordinate } from '../src/machines/coordinator.ts'
import { defineMachine } from '../src/machines/machine.ts'
import { startHarness } from './harness.ts'
import { compareRounds } from './stats.ts'

const sessions = 64
const steps = 100
const statement = 'INSERT INTO hits VALUES (?, 1) ON DUPLICATE KEY UPDATE n = n + 1'

/** The coordinator running 64 sessions × 100 steps against the same statements on raw mysql2 with Promise.all. */
export async function benchMachines(): Promise<Record<string, unknown>> {
  await using harness = await startHarness()
  const rig = await harness.newRig()
  const setup = await harness.raw(rig.databaseName)
  await setup.query('CREATE TABLE hits (session INT PRIMARY KEY, n INT)')
  await setup.end()

  const baseline = async () => {
    const connections = await Promise.all(Array.from({ length: sessions }, () => harness.raw(rig.databaseName)))
    await Promise.all(connections.map(async (connection, index) => {
      for (let step = 0; step < steps; step++) await connection.query(statement, [index])
    }))
    for (const connection of connections) connection.destroy()
  }
  const worker = (index: number) => defineMachine<{ done: number }>({
    id: 'worker', initial: 'step', data: () => ({ done: 0 }),
    states: {
      step: { next: ['step', 'end'], async execute({ conn, data }) {
        await conn.query(statement, [index])
        return ++data.done < steps ? 'step' : 'end'
      } },
      end: { final: true },
    },
  })
  const candidate = async () => {
    const run = await coordinate({
      sessions: Object.fromEntries(Array.from({ length: sessions }, (_, i) => [`w${i}`, worker(i)])),
      connect: () => rig.connect(),
    })
    if (!run.completed) throw new Error(`coordinated run failed:\n${run.formatTrace()}`)
  }
  const result = await compareRounds(40, baseline, candidate)
  await rig.release()
  return { coordinatorVsPromiseAll: { sessions, stepsPerSession: steps, rounds: 40, ...result, target: 'ratio <= 1.10' } }
}
