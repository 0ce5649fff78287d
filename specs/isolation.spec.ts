import { fileURLToPath } from 'node:url'
import { defineAnomaly, differencesFrom, expect, g1a, loadExpectation, p4, renderMatrixTable, test } from 'test-rig'

// The isolation anomaly matrix, as a guard: a server upgrade or a configuration change that changes
// isolation behaviour fails here. Expectations live in fixtures/isolation/<engine>-<major.minor>.json.

const expectations = fileURLToPath(new URL('../fixtures/isolation', import.meta.url))

test('the anomaly matrix equals the expectation for this engine and version', { timeout: 90_000 }, async ({ rig, skip }) => {
  const expectation = await loadExpectation(expectations, rig.server.engine, rig.server.version)
  skip(!expectation, `no expectation file for ${rig.server.engine} ${rig.server.version} in fixtures/isolation: run \`npx test-rig isolation --format json\` and review it`)
  const matrix = await rig.isolation.run()
  console.log(renderMatrixTable(matrix))
  expect(differencesFrom(matrix, expectation!)).toEqual([])
})

test('each decision rests on what the sessions saw', async ({ rig }) => {
  const dirty = await rig.isolation.runAnomaly(g1a, 'READ UNCOMMITTED')
  expect(dirty.outcome).toBe('anomaly')
  expect(dirty.evidence).toContain('T2 read 101')
  const clean = await rig.isolation.runAnomaly(g1a, 'READ COMMITTED')
  expect(clean).toMatchObject({ outcome: 'prevented:consistent' })
  expect(clean.evidence).toContain('T2 read 10 then 10')
  const lost = await rig.isolation.runAnomaly(p4, 'SERIALIZABLE')
  expect(lost.outcome).toBe('prevented:aborted')
  expect(lost.errors).toEqual(['T2: ER_LOCK_DEADLOCK'])
})

test('a custom interleaving in the same form', async ({ rig }) => {
  // "Read your own writes across a savepoint rollback" — a scenario of your own.
  const savepoint = defineAnomaly({
    id: 'savepoint-read',
    title: 'A rolled-back savepoint is not visible to another session',
    steps: [
      ['T1', 'BEGIN'], ['T2', 'BEGIN'],
      ['T1', 'UPDATE test SET value = 50 WHERE id = 1'],
      ['T1', 'SAVEPOINT s'],
      ['T1', 'UPDATE test SET value = 99 WHERE id = 1'],
      ['T1', 'ROLLBACK TO SAVEPOINT s'],
      ['T1', 'COMMIT'],
      ['T2', 'SELECT value FROM test WHERE id = 1', 'seen'],
      ['T2', 'COMMIT'],
    ],
    decide: (o) => ({ anomaly: o.value('seen') === 99, evidence: `T2 read ${o.value('seen')}` }),
  })
  const outcome = await rig.isolation.runAnomaly(savepoint, 'READ COMMITTED')
  expect(outcome).toMatchObject({ outcome: 'prevented:consistent', evidence: 'T2 read 50' })
})
