import { describe, expect, test } from 'vitest'
import type { MicroOp, Operation } from '../scenarios/history/history.ts'
import './history-matchers.ts'

const concurrent = (...txns: Array<readonly [number, readonly MicroOp[]]>): Operation[] => [
  ...txns.map(([process, ops]) => ({ type: 'invoke' as const, process, value: ops.map((op): MicroOp => (op[0] === 'r' ? ['r', op[1], null] : op)) })),
  ...txns.map(([process, ops]) => ({ type: 'ok' as const, process, value: ops })),
]

describe('toBeConsistentWith', () => {
  const readSkew = concurrent([1, [['r', 'x', []], ['r', 'y', [1]]]], [2, [['append', 'x', 1], ['append', 'y', 1]]], [3, [['r', 'x', [1]]]])

  test('passes for the models the history keeps, and fails for the others with the smallest cycle explained', () => {
    expect(readSkew).toBeConsistentWith('read-committed')
    expect(readSkew).not.toBeConsistentWith('snapshot isolation')
    expect(() => expect(readSkew).toBeConsistentWith('snapshot-isolation')).toThrow(
      /expected the history to be snapshot-isolation, but it shows G-single \(it rules out repeatable-read, snapshot-isolation, serializable, strict-serializable\)[\s\S]*The smallest counterexample:\nG-single: a cycle of dependencies no serial order can have\n {2}1\. T0 read key x \(empty\) without T1's write of 1, which came right after that version \(rw\)\n {2}2\. T0 read key y \(ending in 1\), which includes T1's write of 1 \(wr\)\n {2}so T0 comes both before and after itself\.\n {2}the transactions:\n {4}T0 \(process 1, ok\): \[r x \[\]\] \[r y \[1\]\]\n {4}T1 \(process 2, ok\): \[append x 1\] \[append y 1\]\n {2}as a diagram \(Mermaid\):\n {4}flowchart LR\n {6}T0 -->\|rw x\| T1\n {6}T1 -->\|wr y\| T0/,
    )
  })

  test('names a model it does not know, with the ones it does', () => {
    expect(() => expect(readSkew).toBeConsistentWith('causal')).toThrow(/"causal" is not a consistency model the checker knows; one of: read-committed, repeatable-read, snapshot-isolation, serializable, strict-serializable/)
  })
})
