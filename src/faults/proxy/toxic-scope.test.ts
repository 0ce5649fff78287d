import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { decideScope, statementIn, type ConnectionFacts } from './toxic-scope.ts'

const facts = fc.record({ index: fc.integer({ min: 1, max: 50 }), clientPort: fc.integer({ min: 1, max: 65535 }), firstQuery: fc.option(fc.string(), { nil: undefined }) })

describe('which connections a toxic applies to', () => {
  test('no scope: every connection; the n-th: that one alone, for good', () => {
    fc.assert(fc.property(facts, fc.integer({ min: 1, max: 50 }), (connection: ConnectionFacts, n) => {
      expect(decideScope({}, connection)).toBe(true)
      expect(decideScope({ connection: n }, connection)).toBe(connection.index === n)
    }))
  })

  test('toxicity 0 never applies, 1 always applies, p applies when the draw is below p', () => {
    fc.assert(fc.property(facts, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (connection: ConnectionFacts, p, draw) => {
      expect(decideScope({ toxicity: 0 }, connection, () => draw)).toBe(false)
      expect(decideScope({ toxicity: 1 }, connection, () => draw)).toBe(true)
      expect(decideScope({ toxicity: p }, connection, () => draw)).toBe(p >= 1 || draw < p)
    }))
  })

  test('a predicate that says no before the first query is asked again later; after it, its answer stands', () => {
    const byQuery = { connection: (connection: ConnectionFacts) => connection.firstQuery === 'SELECT 1' }
    expect(decideScope(byQuery, { index: 1, clientPort: 1, firstQuery: undefined })).toBeUndefined()
    expect(decideScope(byQuery, { index: 1, clientPort: 1, firstQuery: 'SELECT 2' })).toBe(false)
    expect(decideScope(byQuery, { index: 1, clientPort: 1, firstQuery: 'SELECT 1' })).toBe(true)
  })
})

describe('the first statement of a connection', () => {
  const packet = (sequence: number, command: number, text: string) => {
    const body = Buffer.concat([Buffer.from([command]), Buffer.from(text)])
    return Buffer.concat([Buffer.from([body.length & 0xff, (body.length >> 8) & 0xff, body.length >> 16, sequence]), body])
  }

  test('is read from COM_QUERY and COM_STMT_PREPARE packets that start a command, and from nothing else', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (sql) => {
      expect(statementIn(packet(0, 0x03, sql))).toBe(sql)
      expect(statementIn(packet(0, 0x16, sql))).toBe(sql)
      expect(statementIn(packet(1, 0x03, sql))).toBeUndefined() // the handshake response, not a command
      expect(statementIn(packet(0, 0x0e, sql))).toBeUndefined() // COM_PING
    }))
  })
})
