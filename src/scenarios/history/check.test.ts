import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { checkHistory } from './check.ts'
import type { History, MicroOp, Operation } from './history.ts'

/** A transaction as a test writes it: its process, its micro-operations as completed, and how it ended. */
type Txn = readonly [process: number, ops: readonly MicroOp[], type?: 'ok' | 'fail' | 'info']

const invocation = (ops: readonly MicroOp[]): MicroOp[] => ops.map((op) => (op[0] === 'r' ? ['r', op[1], null] : op))

/** Every transaction invoked before any completes: no real-time order between them. */
function concurrent(...txns: Txn[]): Operation[] {
  return [
    ...txns.map(([process, ops]) => ({ type: 'invoke' as const, process, value: invocation(ops) })),
    ...txns.map(([process, ops, type = 'ok']) => ({ type, process, value: type === 'ok' ? ops : invocation(ops) })),
  ]
}

/** Each transaction completes before the next is invoked. */
function sequential(...txns: Txn[]): Operation[] {
  return txns.flatMap((txn) => concurrent(txn))
}

const names = (history: History) => checkHistory(history).anomalyNames

describe('list-append: anomalies a read shows', () => {
  test.each([
    ['G1a: an aborted append read', concurrent([1, [['append', 'x', 1]], 'fail'], [2, [['r', 'x', [1]]]]), 'G1a'],
    ['G1b: an intermediate state read', concurrent([1, [['append', 'x', 1], ['append', 'x', 2]]], [2, [['r', 'x', [1]]]], [3, [['r', 'x', [1, 2]]]]), 'G1b'],
    ['internal: a read that misses its own append', concurrent([1, [['append', 'x', 1], ['r', 'x', []]]]), 'internal'],
    ['incompatible-order: two reads in different orders', concurrent([1, [['append', 'x', 1]]], [2, [['append', 'x', 2]]], [3, [['r', 'x', [1, 2]]]], [4, [['r', 'x', [2, 1]]]]), 'incompatible-order'],
    ['duplicate-elements', concurrent([1, [['append', 'x', 1]]], [2, [['r', 'x', [1, 1]]]]), 'duplicate-elements'],
    ['garbage-read: an element nobody appended', concurrent([1, [['r', 'x', [9]]]]), 'garbage-read'],
    ['dirty-update: a committed append after an aborted one', concurrent([1, [['append', 'x', 1]], 'fail'], [2, [['append', 'x', 2]]], [3, [['r', 'x', [1, 2]]]]), 'dirty-update'],
    ['lost-update: two read the same version and both appended', concurrent([1, [['r', 'x', []], ['append', 'x', 1]]], [2, [['r', 'x', []], ['append', 'x', 2]]], [3, [['r', 'x', [1, 2]]]]), 'lost-update'],
  ] as const)('%s', (_, history, anomaly) => {
    expect(names(history)).toContain(anomaly)
  })
})

describe('list-append: cycles, named as Elle names them', () => {
  test('G0: write cycle', () => {
    const history = concurrent([1, [['append', 'x', 1], ['append', 'y', 1]]], [2, [['append', 'x', 2], ['append', 'y', 2]]], [3, [['r', 'x', [1, 2]], ['r', 'y', [2, 1]]]])
    const result = checkHistory(history)
    expect(result.anomalyNames).toEqual(['G0'])
    expect(result.verdicts['read-committed'].valid).toBe(false)
    expect(result.ruledOut).toEqual(['read-committed', 'repeatable-read', 'snapshot-isolation', 'serializable', 'strict-serializable'])
  })

  test('G1c: circular information flow', () => {
    const result = checkHistory(concurrent([1, [['append', 'x', 1], ['r', 'y', [1]]]], [2, [['append', 'y', 1], ['r', 'x', [1]]]]))
    expect(result.anomalyNames).toEqual(['G1c'])
  })

  test('G-single: read skew breaks snapshot isolation, not read committed', () => {
    const result = checkHistory(concurrent([1, [['r', 'x', []], ['r', 'y', [1]]]], [2, [['append', 'x', 1], ['append', 'y', 1]]], [3, [['r', 'x', [1]]]]))
    expect(result.anomalyNames).toEqual(['G-single'])
    expect(result.verdicts['read-committed'].valid).toBe(true)
    expect(result.verdicts['snapshot-isolation']).toMatchObject({ valid: false, violations: ['G-single'] })
    expect(result.anomalies[0]?.cycle?.map((step) => step.kind).sort()).toEqual(['rw', 'wr'])
  })

  test('G2-item: write skew is allowed by snapshot isolation, not by serializable', () => {
    const result = checkHistory(concurrent([1, [['r', 'x', []], ['append', 'y', 1]]], [2, [['r', 'y', []], ['append', 'x', 1]]], [3, [['r', 'x', [1]], ['r', 'y', [1]]]]))
    expect(result.anomalyNames).toEqual(['G2-item'])
    expect(result.verdicts['snapshot-isolation'].valid).toBe(true)
    expect(result.verdicts['repeatable-read'].valid).toBe(false)
    expect(result.verdicts.serializable).toMatchObject({ valid: false, violations: ['G2-item'] })
  })

  test('G-nonadjacent: two anti-dependencies, not next to each other', () => {
    const result = checkHistory(concurrent(
      [1, [['r', 'a', []], ['r', 'd', [1]]]],
      [2, [['append', 'a', 1], ['append', 'b', 1]]],
      [3, [['r', 'b', [1]], ['r', 'c', []]]],
      [4, [['append', 'c', 1], ['append', 'd', 1]]],
      [5, [['r', 'a', [1]], ['r', 'c', [1]]]],
    ))
    expect(result.anomalyNames).toContain('G-nonadjacent')
    expect(result.verdicts['snapshot-isolation'].valid).toBe(false)
  })

  test('a lost update is also a G-single cycle', () => {
    const result = checkHistory(concurrent([1, [['r', 'x', []], ['append', 'x', 1]]], [2, [['r', 'x', []], ['append', 'x', 2]]], [3, [['r', 'x', [1, 2]]]]))
    expect(result.anomalyNames).toEqual(expect.arrayContaining(['lost-update', 'G-single']))
    expect(result.verdicts['snapshot-isolation'].valid).toBe(false)
  })

  test('-realtime: a stale read after the write completed breaks strict serializability only', () => {
    const result = checkHistory(sequential([1, [['append', 'x', 1]]], [2, [['r', 'x', []]]], [3, [['r', 'x', [1]]]]))
    expect(result.anomalyNames).toEqual(['G-single-realtime'])
    expect(result.verdicts.serializable.valid).toBe(true)
    expect(result.verdicts['strict-serializable']).toMatchObject({ valid: false, violations: ['G-single-realtime'] })
  })

  test('-process: a process that does not see its own earlier write', () => {
    const history: Operation[] = [
      { type: 'invoke', process: 1, value: [['append', 'x', 1]] }, { type: 'invoke', process: 2, value: [['r', 'x', null]] },
      { type: 'ok', process: 1, value: [['append', 'x', 1]] },
      { type: 'invoke', process: 1, value: [['r', 'x', null]] },
      { type: 'ok', process: 2, value: [['r', 'x', [1]]] },
      { type: 'ok', process: 1, value: [['r', 'x', []]] },
    ]
    expect(names(history)).toEqual(['G-single-process'])
    expect(checkHistory(history).verdicts.serializable.valid).toBe(true)
    expect(checkHistory(history).verdicts['strict-serializable'].valid).toBe(false)
  })

  test('an info transaction whose append was read counts as committed, and one never read makes no false G1a', () => {
    const history = concurrent([1, [['append', 'x', 1]], 'info'], [2, [['append', 'x', 2]], 'info'], [3, [['r', 'x', [1]]]])
    const result = checkHistory(history)
    expect(result.anomalyNames).toEqual([])
    expect(result.ruledOut).toEqual([])
  })
})

describe('cycles that need process or real-time order', () => {
  const op = (type: Operation['type'], process: number, value: readonly MicroOp[]): Operation => ({ type, process, value: type === 'invoke' ? invocation(value) : value })

  test.each([
    // T2's append is ordered before T1's although T1 ended before T2 began.
    ['G0-realtime', sequential([1, [['append', 'y', 10]]], [2, [['append', 'y', 20]]], [3, [['r', 'y', [20, 10]]]])],
    ['G0-process', sequential([1, [['append', 'y', 10]]], [1, [['append', 'y', 20]]], [3, [['r', 'y', [20, 10]]]])],
    // T1 read what T2, which began after T1 ended, appended: a read from the future.
    ['G1c-realtime', sequential([1, [['r', 'x', [1]]]], [2, [['append', 'x', 1]]])],
    ['G1c-process', sequential([1, [['r', 'x', [1]]]], [1, [['append', 'x', 1]]])],
    // T1 -rw-> T2 -rw-> T3, and T3 ended before T1 began.
    ['G2-item-realtime', [
      ...concurrent([3, [['append', 'b', 1]]]),
      ...concurrent([1, [['r', 'a', []]]], [2, [['r', 'b', []], ['append', 'a', 1]]], [4, [['r', 'a', [1]], ['r', 'b', [1]]]]),
    ]],
    // T1 -rw-> T2 -rt-> T3 -rw-> T4 -rt-> T1: two anti-dependencies, apart.
    ['G-nonadjacent-realtime', [
      op('invoke', 4, [['append', 'c', 1]]), op('invoke', 2, [['append', 'a', 1]]),
      op('ok', 4, [['append', 'c', 1]]), op('ok', 2, [['append', 'a', 1]]),
      op('invoke', 1, [['r', 'a', []]]), op('invoke', 3, [['r', 'c', []]]),
      op('ok', 1, [['r', 'a', []]]), op('ok', 3, [['r', 'c', []]]),
      ...concurrent([5, [['r', 'a', [1]], ['r', 'c', [1]]]]),
    ]],
  ] as const)('%s', (name, history) => {
    const result = checkHistory(history)
    expect(result.anomalyNames).toContain(name)
    expect(result.verdicts.serializable.violations.filter((violation) => violation.endsWith('-realtime') || violation.endsWith('-process'))).toEqual([])
    expect(result.verdicts['strict-serializable'].valid).toBe(false)
  })
})

describe('rw-register', () => {
  test('G1a, and a lost update of two read-then-write transactions', () => {
    expect(names(concurrent([1, [['w', 'x', 1]], 'fail'], [2, [['r', 'x', 1]]]))).toContain('G1a')
    expect(names(concurrent([1, [['r', 'x', null], ['w', 'x', 1]]], [2, [['r', 'x', null], ['w', 'x', 2]]]))).toContain('lost-update')
  })

  test('G-single: read skew across two registers', () => {
    // T3 read x as its initial value and y as T2's write; T2 wrote x over the version T3 read (T4 read nil then wrote x = 5, T2 read 5 then wrote 6).
    const history = concurrent([4, [['r', 'x', null], ['w', 'x', 5]]], [2, [['r', 'x', 5], ['w', 'x', 6], ['w', 'y', 1]]], [3, [['r', 'x', 5], ['r', 'y', 1]]])
    expect(names(history)).toContain('G-single')
  })
})

describe('properties', () => {
  /** Random list-append transactions run one at a time against an in-memory store: a serializable history. */
  const serialHistory = fc.array(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 4 })), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 60 }).map((txns) => {
    const store = new Map<number, number[]>()
    let next = 0
    return txns.flatMap((ops, i) => {
      const completed: MicroOp[] = ops.map(([append, key]) => {
        if (append) {
          const value = ++next
          store.set(key, [...(store.get(key) ?? []), value])
          return ['append', key, value]
        }
        return ['r', key, [...(store.get(key) ?? [])]]
      })
      return concurrent([i % 5, completed])
    })
  })

  test('a history made one transaction at a time by a serializable store is valid under every model', () => {
    fc.assert(fc.property(serialHistory, (history) => {
      const result = checkHistory(history)
      expect(result.anomalies).toEqual([])
      expect(Object.values(result.verdicts).every((verdict) => verdict.valid === true)).toBe(true)
    }), { numRuns: 300 })
  })

  test('a write skew put into any such history is always found', () => {
    fc.assert(fc.property(serialHistory, (history) => {
      const skew = concurrent([101, [['r', 'sx', []], ['append', 'sy', 1]]], [102, [['r', 'sy', []], ['append', 'sx', 1]]])
      const witness = concurrent([103, [['r', 'sx', [1]], ['r', 'sy', [1]]]])
      const result = checkHistory([...history, ...skew, ...witness])
      expect(result.anomalyNames).toContain('G2-item')
      expect(result.verdicts.serializable.valid).toBe(false)
    }), { numRuns: 200 })
  })
})
