import { describe, expect, test } from 'vitest'
import fc from 'fast-check'
import { capabilitiesOf, compareVersions, identifyBinaryOutput, identifyVersionText } from './engine.ts'

describe('identifyVersionText', () => {
  test.each([
    ['10.11.19-MariaDB-0+deb12u1', 'mariadb', '10.11.19'],
    ['11.4.2-MariaDB', 'mariadb', '11.4.2'],
    ['5.5.5-10.6.12-MariaDB-log', 'mariadb', '10.6.12'],
    ['8.0.36', 'mysql', '8.0.36'],
    ['5.7.44-log', 'mysql', '5.7.44'],
    ['8.0.11-TiDB-v8.5.1', 'tidb', '8.5.1'],
    ['5.7.25-TiDB-v7.1.0', 'tidb', '7.1.0'],
  ])('reads %s as %s %s', (text, name, version) => {
    expect(identifyVersionText(text)).toEqual({ name, version, versionText: text })
  })

  test('explains what it expected when the text is unknown', () => {
    expect(() => identifyVersionText('PostgreSQL 16')).toThrow(/cannot tell the engine from version "PostgreSQL 16"/)
  })
})

describe('identifyBinaryOutput', () => {
  test('reads mariadbd --version', () => {
    const out = '/usr/sbin/mariadbd  Ver 10.11.19-MariaDB-0+deb12u1 for debian-linux-gnu on x86_64 (Debian 12)'
    expect(identifyBinaryOutput(out)).toMatchObject({ name: 'mariadb', version: '10.11.19' })
  })
  test('reads mysqld --version', () => {
    const out = '/usr/sbin/mysqld  Ver 8.0.36 for Linux on x86_64 (MySQL Community Server - GPL)'
    expect(identifyBinaryOutput(out)).toMatchObject({ name: 'mysql', version: '8.0.36' })
  })
  test('reads tidb-server -V', () => {
    const out = 'Release Version: v8.5.1\nEdition: Community\nGit Commit Hash: abc\n'
    expect(identifyBinaryOutput(out)).toMatchObject({ name: 'tidb', version: '8.5.1' })
  })
  test('returns undefined for other programs', () => {
    expect(identifyBinaryOutput('cat (GNU coreutils) 9.1')).toBeUndefined()
  })
})

describe('capabilitiesOf', () => {
  test('MariaDB 10.11 has tx_isolation only; 11.1.1 added transaction_isolation', () => {
    expect(capabilitiesOf(identifyVersionText('10.11.19-MariaDB')).isolationVariable).toBe('tx_isolation')
    expect(capabilitiesOf(identifyVersionText('11.4.2-MariaDB')).isolationVariable).toBe('transaction_isolation')
  })
  test('only TiDB 7.2 and later import with IMPORT INTO', () => {
    expect(capabilitiesOf(identifyVersionText('8.0.11-TiDB-v7.1.0')).importInto).toBe(false)
    expect(capabilitiesOf(identifyVersionText('8.0.11-TiDB-v7.2.0')).importInto).toBe(true)
    expect(capabilitiesOf(identifyVersionText('8.0.36')).importInto).toBe(false)
  })
})

describe('compareVersions', () => {
  const version = fc.tuple(fc.nat(30), fc.nat(30), fc.nat(30)).map((parts) => parts.join('.'))
  test('is antisymmetric and reflexive', () => {
    fc.assert(fc.property(version, version, (a, b) => {
      expect(Math.sign(compareVersions(a, b))).toBe(-Math.sign(compareVersions(b, a)))
      expect(compareVersions(a, a)).toBe(0)
    }))
  })
  test('orders numerically, not as text', () => {
    expect(compareVersions('10.11.2', '10.9.9')).toBeGreaterThan(0)
  })
})
