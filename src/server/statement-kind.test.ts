import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { mayChangeSchema } from './statement-kind.ts'

describe('mayChangeSchema', () => {
  test.each([
    'SELECT 1',
    "  insert into t (a) values ('x')",
    'UPDATE t SET a = 1 WHERE id = 2;',
    'DELETE FROM t',
    'REPLACE INTO t VALUES (1)',
    'WITH c AS (SELECT 1) SELECT * FROM c',
    'START TRANSACTION',
    'BEGIN',
    'COMMIT',
    'ROLLBACK',
    'SET @x = 1',
    "SET SESSION sql_mode = 'ANSI'",
    'SHOW TABLES',
    'EXPLAIN SELECT 1',
    '/* a note */ SELECT 1',
    '-- a note\nSELECT 1',
    '# a note\nSELECT 1',
  ])('%j only reads or writes rows', (sql) => {
    expect(mayChangeSchema(sql)).toBe(false)
  })

  test.each([
    'CREATE TABLE t (id INT)',
    'alter table t add column b int',
    'DROP TABLE t',
    'RENAME TABLE a TO b',
    'TRUNCATE TABLE t',
    'CREATE INDEX i ON t (a)',
    'CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1',
    'CALL make_tables()',
    "PREPARE s FROM 'DROP TABLE t'",
    'EXECUTE s',
    'LOCK TABLES t WRITE',
    "LOAD DATA INFILE 'x' INTO TABLE t",
    'SELECT 1; DROP TABLE t',
    '/*!50000 ALTER TABLE t ADD COLUMN c INT */',
    'SELECT 1 /*!50000 ; DROP TABLE t */',
    '/* unterminated',
    '',
    '   ',
  ])('%j may change the schema', (sql) => {
    expect(mayChangeSchema(sql)).toBe(true)
  })

  test('a DDL statement stays "may" behind any leading comments and whitespace', () => {
    const comment = fc.oneof(fc.constant('/* c */'), fc.constant('-- c\n'), fc.constant('# c\n'), fc.constantFrom(' ', '\n', '\t'))
    const ddl = fc.constantFrom('CREATE TABLE t (a INT)', 'ALTER TABLE t ADD b INT', 'DROP VIEW v', 'TRUNCATE t', 'CALL p()')
    fc.assert(fc.property(fc.array(comment, { maxLength: 5 }), ddl, (prefix, statement) => mayChangeSchema(prefix.join('') + statement)))
  })

  test('anything appended after a semicolon makes a statement "may"', () => {
    fc.assert(fc.property(fc.string().filter((tail) => tail.trim() !== ''), (tail) => mayChangeSchema(`SELECT 1;${tail}`)))
  })
})
