import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { splitSqlScript } from './sql-script.ts'

describe('splitSqlScript', () => {
  test('splits on semicolons and reports start lines', () => {
    const script = 'CREATE TABLE t (id INT);\n\nINSERT INTO t VALUES (1);\nSELECT * FROM t'
    expect(splitSqlScript(script)).toEqual([
      { sql: 'CREATE TABLE t (id INT)', line: 1 },
      { sql: 'INSERT INTO t VALUES (1)', line: 3 },
      { sql: 'SELECT * FROM t', line: 4 },
    ])
  })

  test('keeps delimiters inside strings, identifiers and escapes', () => {
    const script = `INSERT INTO t VALUES ('a;b', "c;d", 'it''s;', 'x\\';y');\nSELECT \`we;ird\` FROM t;`
    expect(splitSqlScript(script).map((s) => s.sql)).toEqual([
      `INSERT INTO t VALUES ('a;b', "c;d", 'it''s;', 'x\\';y')`,
      'SELECT `we;ird` FROM t',
    ])
  })

  test('drops comments but keeps executable comments and hints', () => {
    const script = '-- a comment; with a semicolon\n# another;\nSELECT /* inline; */ 1;\nSELECT /*+ MAX_EXECUTION_TIME(10) */ 2;\n/*!40101 SET NAMES utf8mb4 */;'
    expect(splitSqlScript(script).map((s) => s.sql)).toEqual([
      'SELECT   1',
      'SELECT /*+ MAX_EXECUTION_TIME(10) */ 2',
      '/*!40101 SET NAMES utf8mb4 */',
    ])
  })

  test('honours DELIMITER for stored routines', () => {
    const script = 'DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END//\nDELIMITER ;\nCALL p();'
    expect(splitSqlScript(script)).toEqual([
      { sql: 'CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END', line: 2 },
      { sql: 'CALL p()', line: 4 },
    ])
  })

  test('joining simple statements and splitting again gives them back', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9 ]{0,15}[a-z0-9]$/)
    const literal = fc.string({ maxLength: 8 }).map((s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`)
    const statement = fc.tuple(word, fc.array(literal, { maxLength: 3 })).map(([w, lits]) => [`SELECT ${w}`, ...lits].join(', '))
    fc.assert(fc.property(fc.array(statement, { minLength: 1, maxLength: 6 }), (statements) => {
      const parsed = splitSqlScript(statements.join(';\n') + ';')
      expect(parsed.map((s) => s.sql)).toEqual(statements)
    }))
  })
})
