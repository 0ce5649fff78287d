import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { databaseName, newRunId, parseRigDatabase } from './database-names.ts'
import { staleDatabases } from './stale-databases.ts'

const hour = 3_600_000
const now = new Date('2026-11-22T12:00:00Z')

describe('staleDatabases', () => {
  test('picks the rig’s databases of earlier runs older than the age, and nothing else', () => {
    const old = databaseName({ prefix: 'rig', runId: newRunId(new Date(now.getTime() - 48 * hour)) }, 'w1_t3')
    const young = databaseName({ prefix: 'rig', runId: newRunId(new Date(now.getTime() - hour)) }, 'w1_t3')
    const others = ['mysql', 'information_schema', 'app', 'rig', 'rig_', 'rigs_abcdef1234_x', `other_${old.slice(4)}`, old.toUpperCase()]
    expect(staleDatabases([old, young, ...others], 'rig', now, 24 * hour)).toEqual([old])
  })

  test('no name that is not the rig’s own can ever be picked (random names)', () => {
    const anyName = fc.oneof(
      fc.string({ maxLength: 64 }),
      fc.stringMatching(/^[a-z0-9_]{1,64}$/),
      fc.tuple(fc.constantFrom('rig', 'ri', 'rigx', 'Rig', 'xrig'), fc.stringMatching(/^_[0-9a-z]{0,12}_?[a-z0-9_]{0,10}$/)).map(([p, rest]) => p + rest),
    )
    fc.assert(fc.property(fc.array(anyName, { maxLength: 30 }), fc.integer({ min: 0, max: 1000 }), (names, ageHours) => {
      for (const picked of staleDatabases(names, 'rig', now, ageHours * hour)) {
        const parsed = parseRigDatabase(picked, 'rig')
        expect(parsed).toBeDefined()
        expect(picked).toMatch(/^rig_[0-9a-z]{10}_[a-z0-9_]+$/)
        expect(now.getTime() - (parsed?.createdAt.getTime() ?? now.getTime())).toBeGreaterThan(ageHours * hour)
      }
    }), { numRuns: 500 })
  })
})
