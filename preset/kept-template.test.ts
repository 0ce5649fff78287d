import { describe, expect, test } from 'vitest'
import { keptCopies } from './kept-template.ts'

describe('copies kept with the data directory', () => {
  test('one for the first test and one for each warm database, per worker', () => {
    expect(keptCopies(1, 2)).toBe(3)
    expect(keptCopies(4, 2)).toBe(12)
    // TiDB with a template makes none ahead (warmDatabasesFor): one copy a worker.
    expect(keptCopies(3, 0)).toBe(3)
  })

  test('counted for at most 8 workers, and never more than 16 in all', () => {
    expect(keptCopies(32, 0)).toBe(8)
    expect(keptCopies(8, 2)).toBe(16)
  })
})
