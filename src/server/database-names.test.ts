import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { databaseName, isRunDatabase, newRunId, parseRigDatabase } from './database-names.ts'

describe('database names', () => {
  test('a run id encodes its start time to the second', () => {
    const at = new Date('2026-11-22T18:00:07Z')
    const runId = newRunId(at)
    expect(runId).toMatch(/^[0-9a-z]{10}$/)
    expect(parseRigDatabase(databaseName({ prefix: 'rig', runId }, 'w1_t3'), 'rig')).toEqual({ runId, createdAt: at })
  })

  test('names of a run are recognised as that run’s and no other', () => {
    const a = { prefix: 'rig', runId: newRunId() }
    const b = { prefix: 'rig', runId: newRunId() }
    expect(isRunDatabase(databaseName(a, 'w1_t1'), a)).toBe(true)
    expect(isRunDatabase(databaseName(a, 'w1_t1'), b)).toBe(false)
  })

  test('no name outside the run’s pattern is ever taken as the run’s', () => {
    const naming = { prefix: 'rig', runId: newRunId() }
    fc.assert(fc.property(fc.string({ maxLength: 70 }), (name) => {
      if (isRunDatabase(name, naming)) expect(name.startsWith(`rig_${naming.runId}_`)).toBe(true)
    }))
    for (const name of ['mysql', 'information_schema', 'rig', `rig_${naming.runId}`, `rig_${naming.runId}_`, `xrig_${naming.runId}_a`, `RIG_${naming.runId}_a`]) {
      expect(isRunDatabase(name, naming)).toBe(false)
    }
  })

  test('refuses names that MySQL would not take', () => {
    expect(() => databaseName({ prefix: 'rig', runId: newRunId() }, 'x'.repeat(60))).toThrow(/at most 64/)
  })
})
