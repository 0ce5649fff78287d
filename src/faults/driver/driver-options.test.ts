import { describe, expect, test } from 'vitest'
import { withDriverOptions } from './driver-options.ts'

describe('withDriverOptions', () => {
  test('keeps a password hidden as a non-enumerable property, hidden still', () => {
    const config = { host: 'db', user: 'app' }
    Object.defineProperty(config, 'password', { value: 's3cret', enumerable: false })
    const options = withDriverOptions(config, { stream: 'x' }, { maxPreparedStatements: 16 }) as Record<string, unknown>
    expect(options.password).toBe('s3cret')
    expect(Object.keys(options).sort()).toEqual(['host', 'maxPreparedStatements', 'stream', 'user'])
  })

  test('a URL becomes { uri }; the config wins over defaults and extra wins over the config', () => {
    expect(withDriverOptions('mysql://a@h/db', {}, { maxPreparedStatements: 16 })).toEqual({ uri: 'mysql://a@h/db', maxPreparedStatements: 16 })
    expect(withDriverOptions({ maxPreparedStatements: 4, port: 1 }, { port: 2 }, { maxPreparedStatements: 16 })).toEqual({ maxPreparedStatements: 4, port: 2 })
  })
})
