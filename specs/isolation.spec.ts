import { fileURLToPath } from 'node:url'
import { expect, test } from 'test-rig'
import { defineAnomaly, differencesFrom, g1a, loadExpectation, p4, renderMatrixTable } from 'test-rig/isolation'

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

test('on TiDB, optimistic transactions have an expectation of their own', { timeout: 90_000 }, async ({ rig, skip }) => {
  skip(!rig.capabilities.transactionModes, `${rig.server.engine} has no transaction modes`)
  const expectation = await loadExpectation(expectations, rig.server.engine, rig.server.version, 'optimistic')
  skip(!expectation, `no optimistic expectation for ${rig.server.engine} ${rig.server.version}`)
  // Levels in the spellings people use: the API takes what the CLI takes.
  const matrix = await rig.isolation.run({ transactionMode: 'optimistic', levels: ['read-committed', 'RR'] })
  console.log(renderMatrixTable(matrix))
  expect(differencesFrom(matrix, expectation!)).toEqual([])
})

test('on TiDB each decision rests on what the sessions saw, in both transaction modes', async ({ rig, skip }) => {
  skip(rig.server.engine !== 'tidb', 'TiDB only')
  const refused = await rig.isolation.runAnomaly(g1a, 'READ UNCOMMITTED')
  expect(refused.outcome).toBe('unsupported')
  expect(refused.evidence).toContain("The isolation level 'READ-UNCOMMITTED' is not supported")
  const clean = await rig.isolation.runAnomaly(g1a, 'read_committed')
  expect(clean).toMatchObject({ outcome: 'prevented:consistent', evidence: expect.stringContaining('T2 read 10 then 10') })
  const lost = await rig.isolation.runAnomaly(p4, 'REPEATABLE READ')
  expect(lost.outcome).toBe('anomaly') // pessimistic: T2's UPDATE waits for T1's lock, then overwrites
  const conflict = await rig.isolation.runAnomaly(p4, 'REPEATABLE READ', { transactionMode: 'optimistic' })
  expect(conflict).toMatchObject({ outcome: 'prevented:aborted', errors: ['T2: TIDB_WRITE_CONFLICT'] })
})

test('each decision rests on what the sessions saw', async ({ rig, skip }) => {
  skip(rig.server.engine === 'tidb', 'TiDB has no READ UNCOMMITTED or SERIALIZABLE: see the TiDB test above')
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
