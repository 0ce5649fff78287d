import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openConnection, connectionUrl } from '../src/server/connect.ts'
import { LocalServer } from '../src/server/local/local-server.ts'
import { round3, summarize } from './stats.ts'
import { installPacked, project, runVitest } from './suite.ts'

const repo = fileURLToPath(new URL('..', import.meta.url))

/**
 * The statement log's cost: the suite bench's 1000 `conn` tests in 10 files, run with the log on
 * (the default) and off (`TEST_RIG_FORENSICS_STATEMENTS=false`), in the same rounds, their order
 * alternating; the hand-written suite runs in the same rounds as the floor.
 */
export async function benchForensics(): Promise<Record<string, unknown>> {
  await mkdir(join(repo, '.tmp'), { recursive: true })
  const root = await mkdtemp(join(repo, '.tmp', 'bench-forensics-'))
  await installPacked(root)
  await using server = await new LocalServer().start()
  const admin = await openConnection(server.endpoint)
  await admin.query('CREATE DATABASE IF NOT EXISTS bench_suite_shared')
  admin.destroy()
  const sharedUrl = connectionUrl(server.endpoint, 'bench_suite_shared')
  try {
    const rig = await project(join(root, 'rig'), 1000, 'rig', 10)
    const hand = await project(join(root, 'hand'), 1000, 'hand', 10)
    const rounds = Number(process.env.BENCH_ROUNDS ?? 5)
    const wall: Record<'on' | 'off' | 'hand', number[]> = { on: [], off: [], hand: [] }
    const run = {
      on: () => runVitest(rig, sharedUrl),
      off: () => runVitest(rig, sharedUrl, [], { TEST_RIG_FORENSICS_STATEMENTS: 'false' }),
      hand: () => runVitest(hand, sharedUrl),
    }
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? (['on', 'off', 'hand'] as const) : (['off', 'on', 'hand'] as const)
      for (const side of order) wall[side].push(await run[side]())
    }
    const perRound = wall.on.map((ms, round) => ms / (wall.off[round] ?? Number.NaN))
    return {
      tests: 1000,
      files: 10,
      rounds,
      wallMs: { logOn: summarize(wall.on), logOff: summarize(wall.off), byHand: summarize(wall.hand) },
      ratioLogOnOverOff: round3((summarize(wall.on).p50) / summarize(wall.off).p50),
      pairedRatioLogOnOverOff: summarize(perRound),
      target: 'the log costs at most 5% of a passing suite (ratio <= 1.05)',
    }
  } finally {
    await rm(root, { recursive: true, force: true })
  }
}
