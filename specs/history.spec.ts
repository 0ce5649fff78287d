import { describe, expect, mysqlErrors, test } from 'test-rig'
import { checkHistory } from 'test-rig/history'

// Generated list-append workloads on 8 sessions, their histories checked the way Elle checks them:
// what each server's isolation levels really allow under concurrency.

const contended = { sessions: 8, transactions: 300, keys: 4, minOps: 2, maxOps: 4, seed: 7 } as const

describe('MariaDB and MySQL (InnoDB)', () => {
  test('REPEATABLE READ allows lost updates and G2-item, and is not even internally consistent: its writes read the latest version, its reads a snapshot', async ({ rig, skip }) => {
    skip(rig.server.engine === 'tidb', 'InnoDB only (TiDB has its own spec below)')
    const run = await rig.workload({ ...contended, isolation: 'repeatable read' })
    const result = checkHistory(run.history)
    // As Jepsen found for MySQL's REPEATABLE READ: an append reads the latest committed list, so
    // two transactions that read the same version both append (lost update), and a read after the
    // transaction's own append shows others' appends its first read did not (internal).
    expect(result.anomalyNames).toEqual(expect.arrayContaining(['lost-update', 'G2-item', 'internal']))
    expect(run).not.toBeConsistentWith('serializable')
    expect(run).not.toBeConsistentWith('snapshot-isolation')
  })

  test('SERIALIZABLE shows no anomaly, run after run (no false positive)', async ({ rig, skip }) => {
    skip(rig.server.engine === 'tidb', 'TiDB refuses SERIALIZABLE')
    for (const seed of [1, 2, 3]) {
      const run = await rig.workload({ ...contended, transactions: 200, isolation: 'serializable', seed })
      expect(run.counts.ok).toBeGreaterThan(50)
      expect(run).toBeConsistentWith('strict-serializable')
      await rig.connect().then(async (connection) => {
        await connection.query('DROP TABLE lists')
        await connection.end()
      })
    }
  })
})

describe('TiDB', () => {
  test('pessimistic REPEATABLE READ: lost updates and write skew appear, read skew does not', async ({ rig, skip }) => {
    skip(rig.server.engine !== 'tidb', 'TiDB only')
    const run = await rig.workload({ ...contended, isolation: 'repeatable read', transactionMode: 'pessimistic' })
    const result = checkHistory(run.history)
    expect(result.anomalyNames).toEqual(expect.arrayContaining(['lost-update', 'G2-item']))
    // Its reads are one snapshot: no read skew — a G-single made of reads alone (rw, then wr). Its
    // G-single cycles go through a ww edge: an append that read the latest list, past its snapshot.
    const readSkew = result.anomalies.filter((anomaly) => anomaly.name === 'G-single' && anomaly.cycle?.every((step) => step.kind === 'rw' || step.kind === 'wr'))
    expect(readSkew).toEqual([])
    expect(run).not.toBeConsistentWith('snapshot-isolation')
  })

  test('optimistic transactions stay snapshot-isolated, their write conflicts (9007) recorded as fail', async ({ rig, skip }) => {
    skip(rig.server.engine !== 'tidb', 'TiDB only')
    const run = await rig.workload({ ...contended, isolation: 'repeatable read', transactionMode: 'optimistic' })
    expect(run.counts.fail).toBeGreaterThan(0)
    expect(run).toBeConsistentWith('snapshot-isolation')
  })
})

test('commits whose outcome is unknown (the connection lost during COMMIT) are recorded as info, and check without a false G1a', async ({ rig, faults }) => {
  const tidb = rig.server.engine === 'tidb'
  faults.failNext('commit', mysqlErrors.connectionLost(), { times: 5 })
  const run = await rig.workload({ ...contended, transactions: 120, isolation: tidb ? 'repeatable read' : 'serializable', ...(tidb ? { transactionMode: 'optimistic' as const } : {}) })
  expect(run.counts.info).toBe(5)
  const result = checkHistory(run.history)
  expect(result.anomalyNames).not.toContain('G1a')
  expect(run).toBeConsistentWith(tidb ? 'snapshot-isolation' : 'serializable')
})
