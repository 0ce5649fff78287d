import { describe, expect, test } from 'vitest'
import { rigConfigSchema, type RigConfig, type RigConfigInput } from '../src/config/schema.ts'
import { warmDatabasesFor } from './warm-default.ts'

const parseConfig = (input: RigConfigInput): RigConfig => rigConfigSchema.parse(input)

describe('the warm pool size of a run', () => {
  const config = parseConfig({})

  test('keeps the general default on MariaDB and MySQL, and on TiDB without a template', () => {
    expect(warmDatabasesFor(config, new Map(), 'mariadb', true)).toEqual({ value: 2 })
    expect(warmDatabasesFor(config, new Map(), 'mysql', true)).toEqual({ value: 2 })
    expect(warmDatabasesFor(config, new Map(), 'tidb', false)).toEqual({ value: 2 })
  })

  test('makes no copies ahead on TiDB with a reused schema template, and says so', () => {
    const warm = warmDatabasesFor(config, new Map(), 'tidb', true)
    expect(warm.value).toBe(0)
    expect(warm.note).toMatch(/TiDB.*test\.warmDatabases defaults to 0/)
  })

  test('never overrides a value the project set, nor applies without reuse or outside per-test databases', () => {
    const set = parseConfig({ test: { warmDatabases: 3 } })
    expect(warmDatabasesFor(set, new Map([['test.warmDatabases', 'inline option']]), 'tidb', true)).toEqual({ value: 3 })
    expect(warmDatabasesFor(parseConfig({ test: { reuseDatabases: false } }), new Map(), 'tidb', true)).toEqual({ value: 2 })
    expect(warmDatabasesFor(parseConfig({ test: { databaseScope: 'file' } }), new Map(), 'tidb', true)).toEqual({ value: 2 })
  })
})
