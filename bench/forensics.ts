import { join } from 'node:path'
import { round3, summarize } from './stats.ts'
import { project, runVitest, suiteBench } from './suite.ts'

/**
 * The statement log's cost: the suite bench's 1000 `conn` tests in 10 files, run with the log on
 * (the default) and off (`TEST_RIG_FORENSICS_STATEMENTS=false`), in the same rounds, their order
 * alternating; the hand-written suite runs in the same rounds as the floor.
 */
export async function benchForensics(): Promise<Record<string, unknown>> {
  await using bench = await suiteBench('bench-forensics-')
  const { root, sharedUrl } = bench
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
}
