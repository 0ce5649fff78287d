import { defineAnomaly, type AnomalyScenario } from './anomaly.ts'

// The catalogue of isolation anomalies (Adya's phenomena, in the interleavings of Kleppmann's
// Hermitage suite), on a table `test (id INT PRIMARY KEY, value INT)` holding (1, 10) and (2, 20).
// Every decision reads what the sessions saw; the expectation files are checked against them.

const both = (observed: { committed(session: string): boolean }) => observed.committed('T1') && observed.committed('T2')

/** G0, write cycles (dirty writes): two transactions' writes to two rows interleave. */
export const g0 = defineAnomaly({
  id: 'G0',
  title: 'Write cycles (dirty write)',
  steps: [
    ['T1', 'BEGIN'], ['T2', 'BEGIN'],
    ['T1', 'UPDATE test SET value = 11 WHERE id = 1'],
    ['T2', 'UPDATE test SET value = 12 WHERE id = 1'],
    ['T1', 'UPDATE test SET value = 21 WHERE id = 2'],
    ['T1', 'COMMIT'],
    ['T2', 'UPDATE test SET value = 22 WHERE id = 2'],
    ['T2', 'COMMIT'],
  ],
  decide: ({ final }) => {
    const pair = `${final.get(1)},${final.get(2)}`
    const serial = pair === '11,21' || pair === '12,22'
    return { anomaly: !serial, evidence: `final rows (1, 2) = (${pair}); a serial order gives (11,21) or (12,22)` }
  },
})

/** G1a, aborted reads: a reader sees a write of a transaction that then rolls back. */
export const g1a = defineAnomaly({
  id: 'G1a',
  title: 'Aborted read',
  steps: [
    ['T1', 'BEGIN'], ['T2', 'BEGIN'],
    ['T1', 'UPDATE test SET value = 101 WHERE id = 1'],
    ['T2', 'SELECT value FROM test WHERE id = 1', 'before'],
    ['T1', 'ROLLBACK'],
    ['T2', 'SELECT value FROM test WHERE id = 1', 'after'],
    ['T2', 'COMMIT'],
  ],
  decide: (o) => {
    const seen = [o.value('before'), o.value('after')]
    return { anomaly: seen.includes(101), evidence: `T2 read ${seen.join(' then ')}; 101 was written by T1, which rolled back` }
  },
})

/** G1b, intermediate reads: a reader sees a value its writer later overwrote before committing. */
export const g1b = defineAnomaly({
  id: 'G1b',
  title: 'Intermediate read',
  steps: [
    ['T1', 'BEGIN'], ['T2', 'BEGIN'],
    ['T1', 'UPDATE test SET value = 101 WHERE id = 1'],
    ['T2', 'SELECT value FROM test WHERE id = 1', 'during'],
    ['T1', 'UPDATE test SET value = 11 WHERE id = 1'],
    ['T1', 'COMMIT'],
    ['T2', 'SELECT value FROM test WHERE id = 1', 'after'],
    ['T2', 'COMMIT'],
  ],
  decide: (o) => {
    const seen = [o.value('during'), o.value('after')]
    return { anomaly: seen.includes(101), evidence: `T2 read ${seen.join(' then ')}; 101 was T1's intermediate value, never committed` }
  },
})

/** G1c, circular information flow: each transaction reads the other's uncommitted write. */
export const g1c = defineAnomaly({
  id: 'G1c',
  title: 'Circular information flow',
  steps: [
    ['T1', 'BEGIN'], ['T2', 'BEGIN'],
    ['T1', 'UPDATE test SET value = 11 WHERE id = 1'],
    ['T2', 'UPDATE test SET value = 22 WHERE id = 2'],
    ['T1', 'SELECT value FROM test WHERE id = 2', 't1-reads-2'],
    ['T2', 'SELECT value FROM test WHERE id = 1', 't2-reads-1'],
    ['T1', 'COMMIT'], ['T2', 'COMMIT'],
  ],
  decide: (o) => {
    const a = o.value('t1-reads-2')
    const b = o.value('t2-reads-1')
    return { anomaly: a === 22 && b === 11, evidence: `T1 read row 2 = ${a} (22 is T2's write), T2 read row 1 = ${b} (11 is T1's write)` }
  },
})

/**
 * OTV, observed transaction vanishes: T3 sees T2's write and then (in the same read or a later one)
 * a value of T1's that T2 overwrote. T3 reads the whole table three times, as in Hermitage.
 */
export const otv = defineAnomaly({
  id: 'OTV',
  title: 'Observed transaction vanishes',
  steps: [
    ['T1', 'BEGIN'], ['T2', 'BEGIN'], ['T3', 'BEGIN'],
    ['T1', 'UPDATE test SET value = 11 WHERE id = 1'],
    ['T1', 'UPDATE test SET value = 19 WHERE id = 2'],
    ['T2', 'UPDATE test SET value = 12 WHERE id = 1'],
    ['T1', 'COMMIT'],
    ['T3', 'SELECT id, value FROM test ORDER BY id', 'first'],
    ['T2', 'UPDATE test SET value = 18 WHERE id = 2'],
    ['T3', 'SELECT id, value FROM test ORDER BY id', 'second'],
    ['T2', 'COMMIT'],
    ['T3', 'SELECT id, value FROM test ORDER BY id', 'third'],
    ['T3', 'COMMIT'],
  ],
  decide: (o) => {
    // T1 wrote (11, 19), T2 overwrote both with (12, 18).
    const writer = (value: number) => (value === 11 || value === 19 ? 'T1' : value === 12 || value === 18 ? 'T2' : 'T0')
    const reads = ['first', 'second', 'third'].map((label) => o.rows(label).map((row) => Number(row.value)))
    const seen = reads.flat().map(writer)
    const vanished = seen.some((w, i) => w === 'T2' && seen.slice(i + 1).includes('T1'))
    return { anomaly: vanished, evidence: `T3 read ${reads.map((values) => `(${values.join(', ')})`).join(' then ')} (written by ${seen.join(', ')}); seeing T1 after T2, which overwrote T1, makes T2 vanish` }
  },
})

/** PMP, predicate-many-preceders (read predicates): a predicate read changes within a transaction. */
export const pmp = defineAnomaly({
  id: 'PMP',
  title: 'Predicate-many-preceders (read predicate)',
  steps: [
    ['T1', 'BEGIN'], ['T2', 'BEGIN'],
    ['T1', 'SELECT id FROM test WHERE value = 30', 'first'],
    ['T2', 'INSERT INTO test VALUES (3, 30)'],
    ['T2', 'COMMIT'],
    ['T1', 'SELECT id FROM test WHERE value % 3 = 0', 'second'],
    ['T1', 'COMMIT'],
  ],
  decide: (o) => {
    const first = o.rows('first').length
    const second = o.rows('second').length
    return { anomaly: first === 0 && second > 0, evidence: `T1's predicate reads matched ${first} then ${second} rows; T2's committed insert of (3, 30) matches both` }
  },
})

/**
 * PMP with a write predicate (the Postgres documentation's example, as Hermitage runs it): T2 reads
 * the rows matching `value = 20`, then deletes by that predicate while T1's `+ 10` is in flight.
 * Serially, T2 after T1 deletes row 1 (now 20) and leaves (2, 30); T2 before T1 deletes row 2 and
 * leaves (1, 20). T2 having read row 2 at 20 (the state before T1) and yet deleting row 1 (the state
 * after T1) fits neither order.
 */
export const pmpWrite = defineAnomaly({
  id: 'PMP-write',
  title: 'Predicate-many-preceders (write predicate)',
  steps: [
    ['T1', 'BEGIN'], ['T2', 'BEGIN'],
    ['T1', 'UPDATE test SET value = value + 10'],
    ['T2', 'SELECT id, value FROM test WHERE value = 20', 'before'],
    ['T2', 'DELETE FROM test WHERE value = 20', 'delete'],
    ['T1', 'COMMIT'],
    ['T2', 'SELECT id, value FROM test ORDER BY id', 'after'],
    ['T2', 'COMMIT'],
  ],
  decide: (o) => {
    const before = o.rows('before').map((row) => `(${row.id}, ${row.value})`).join(' ') || 'none'
    const sawOld = o.rows('before').some((row) => Number(row.id) === 2)
    const rows = [...o.final].map(([id, value]) => `(${id}, ${value})`).join(' ') || 'none'
    const deletedRowTwo = !o.final.has(2)
    return {
      anomaly: both(o) && sawOld && !deletedRowTwo,
      evidence: `T2 read ${before} for value = 20 (row 2 at 20 is the state before T1), its DELETE removed ${o.affected('delete')} row(s), final rows ${rows}; T2 before T1 must leave (1, 20)`,
    }
  },
})

/** P4, lost update: two transactions read the same value and both write it back. */
export const p4 = defineAnomaly({
  id: 'P4',
  title: 'Lost update',
  steps: [
    ['T1', 'BEGIN'], ['T2', 'BEGIN'],
    ['T1', 'SELECT value FROM test WHERE id = 1', 't1-read'],
    ['T2', 'SELECT value FROM test WHERE id = 1', 't2-read'],
    ['T1', 'UPDATE test SET value = 11 WHERE id = 1'],
    ['T2', 'UPDATE test SET value = 11 WHERE id = 1'],
    ['T1', 'COMMIT'],
    ['T2', 'COMMIT'],
  ],
  decide: (o) => {
    const lost = both(o) && o.value('t1-read') === 10 && o.value('t2-read') === 10
    return { anomaly: lost, evidence: `T1 read ${o.value('t1-read')}, T2 read ${o.value('t2-read')}, both wrote 10 + 1; committed: T1 ${o.committed('T1')}, T2 ${o.committed('T2')}` }
  },
})

/** G-single, read skew: a reader sees one row before and another after a concurrent transaction. */
export const gSingle = defineAnomaly({
  id: 'G-single',
  title: 'Single anti-dependency cycle (read skew)',
  steps: [
    ['T1', 'BEGIN'], ['T2', 'BEGIN'],
    ['T1', 'SELECT value FROM test WHERE id = 1', 'x'],
    ['T2', 'SELECT value FROM test WHERE id = 1'],
    ['T2', 'SELECT value FROM test WHERE id = 2'],
    ['T2', 'UPDATE test SET value = 12 WHERE id = 1'],
    ['T2', 'UPDATE test SET value = 18 WHERE id = 2'],
    ['T2', 'COMMIT'],
    ['T1', 'SELECT value FROM test WHERE id = 2', 'y'],
    ['T1', 'COMMIT'],
  ],
  decide: (o) => {
    const x = o.value('x')
    const y = o.value('y')
    return { anomaly: x === 10 && y === 18, evidence: `T1 read row 1 = ${x} and row 2 = ${y}: the sum should be 30 in any snapshot, it is ${(x ?? 0) + (y ?? 0)}` }
  },
})

/** G-single with a write predicate: a predicate write acts on a state the transaction's own read did not see (Hermitage's steps). */
export const gSingleWrite = defineAnomaly({
  id: 'G-single-write',
  title: 'Read skew on a predicate write',
  steps: [
    ['T1', 'BEGIN'], ['T2', 'BEGIN'],
    ['T1', 'SELECT value FROM test WHERE id = 1', 'x'],
    ['T2', 'SELECT id, value FROM test ORDER BY id'],
    ['T2', 'UPDATE test SET value = 12 WHERE id = 1'],
    ['T2', 'UPDATE test SET value = 18 WHERE id = 2'],
    ['T2', 'COMMIT'],
    ['T1', 'DELETE FROM test WHERE value = 20', 'delete'],
    ['T1', 'SELECT value FROM test WHERE id = 2', 'y'],
    ['T1', 'COMMIT'],
  ],
  decide: (o) => {
    const x = o.value('x')
    const deleted = o.affected('delete')
    // T1 read row 1 before T2 (10): serially T1 comes first, and its delete must find row 2 at 20.
    return { anomaly: o.committed('T1') && x === 10 && deleted === 0, evidence: `T1 read row 1 = ${x} (before T2) but its DELETE WHERE value = 20 removed ${deleted} rows (row 2 was 20 before T2, 18 after); T1 then read row 2 = ${o.value('y')}` }
  },
})

/** G2-item, write skew: both transactions read two rows and each writes the one the other read. */
export const g2Item = defineAnomaly({
  id: 'G2-item',
  title: 'Item anti-dependency cycle (write skew)',
  steps: [
    ['T1', 'BEGIN'], ['T2', 'BEGIN'],
    ['T1', 'SELECT id, value FROM test WHERE id IN (1, 2) ORDER BY id', 't1-read'],
    ['T2', 'SELECT id, value FROM test WHERE id IN (1, 2) ORDER BY id', 't2-read'],
    ['T1', 'UPDATE test SET value = 11 WHERE id = 1'],
    ['T2', 'UPDATE test SET value = 21 WHERE id = 2'],
    ['T1', 'COMMIT'],
    ['T2', 'COMMIT'],
  ],
  decide: (o) => {
    const sum = (label: string) => o.rows(label).reduce((total, row) => total + Number(row.value), 0)
    const skew = both(o) && sum('t1-read') === 30 && sum('t2-read') === 30
    return { anomaly: skew, evidence: `T1 and T2 both read rows 1 and 2 summing to ${sum('t1-read')}/${sum('t2-read')} and both committed a write the other did not see (T1 ${o.committed('T1')}, T2 ${o.committed('T2')})` }
  },
})

/** G2, anti-dependency cycles over predicates: each transaction inserts a row the other's predicate read missed. */
export const g2 = defineAnomaly({
  id: 'G2',
  title: 'Anti-dependency cycle on predicates (phantom write skew)',
  steps: [
    ['T1', 'BEGIN'], ['T2', 'BEGIN'],
    ['T1', 'SELECT id, value FROM test WHERE value % 3 = 0', 't1-read'],
    ['T2', 'SELECT id, value FROM test WHERE value % 3 = 0', 't2-read'],
    ['T1', 'INSERT INTO test VALUES (3, 30)'],
    ['T2', 'INSERT INTO test VALUES (4, 42)'],
    ['T1', 'COMMIT'],
    ['T2', 'COMMIT'],
  ],
  decide: (o) => {
    const found = (label: string) => o.rows(label).length
    const cycle = both(o) && found('t1-read') === 0 && found('t2-read') === 0
    return { anomaly: cycle, evidence: `both found ${found('t1-read')}/${found('t2-read')} rows divisible by 3, then each committed such a row (T1 ${o.committed('T1')}, T2 ${o.committed('T2')})` }
  },
})

/** The whole catalogue, in the order of the matrix. */
export const anomalyCatalogue: readonly AnomalyScenario[] = [g0, g1a, g1b, g1c, otv, pmp, pmpWrite, p4, gSingle, gSingleWrite, g2Item, g2]
