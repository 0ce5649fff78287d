import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { redactConfig, redactSecret, redactUrl } from './redact.ts'

describe('redaction', () => {
  test('replaces passwords at any depth and in URLs', () => {
    const config = { database: { password: 'hunter2', username: 'root' }, note: 'mysql://root:hunter2@h:4000/db' }
    expect(redactConfig(config)).toEqual({ database: { password: '***', username: 'root' }, note: 'mysql://root:***@h:4000/db' })
    expect(config.database.password).toBe('hunter2')
  })

  test('no password survives in a redacted URL', () => {
    const safe = fc.stringMatching(/^[A-Za-z0-9._~-]{1,20}$/)
    fc.assert(fc.property(safe, safe, (user, password) => {
      fc.pre(!user.includes(password) && !'mysql://@db:4000/app'.includes(password))
      expect(redactUrl(`mysql://${user}:${password}@db:4000/app`)).not.toContain(password)
    }))
  })

  test('removes a known secret from any text', () => {
    expect(redactSecret('Access denied (using password: s3cr3t)', 's3cr3t')).toBe('Access denied (using password: ***)')
  })
})
