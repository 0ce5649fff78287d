import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { expandSchemaFiles } from './schema-files.ts'

describe('schema.files: files, folders and globs, in migration order', () => {
  let root: string
  let fixtures: string
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'rig-schema-files-'))
    fixtures = join(root, 'fixtures')
    const files = [
      'fixtures/schema.sql',
      'fixtures/migrations/10_add_index.sql', 'fixtures/migrations/2_add_orders.sql', 'fixtures/migrations/1_init.sql', 'fixtures/migrations/README.md',
      // Prisma's layout: a folder per migration, its name starting with a timestamp.
      'prisma/migrations/20261201093000_init/migration.sql', 'prisma/migrations/20261105120000_first/migration.sql', 'prisma/migrations/migration_lock.toml',
    ]
    for (const file of files) {
      await mkdir(join(root, file, '..'), { recursive: true })
      await writeFile(join(root, file), '-- sql\n')
    }
  })
  afterAll(async () => {
    await rm(root, { recursive: true, force: true })
  })
  const names = (paths: string[]) => paths.map((path) => relative(root, path))

  test('a file as it is, a folder\'s .sql files with numbers compared as numbers, a glob\'s matches in order', async () => {
    expect(names(await expandSchemaFiles(['schema.sql', 'migrations', '../prisma/migrations/*/migration.sql'], fixtures))).toEqual([
      'fixtures/schema.sql',
      'fixtures/migrations/1_init.sql', 'fixtures/migrations/2_add_orders.sql', 'fixtures/migrations/10_add_index.sql',
      'prisma/migrations/20261105120000_first/migration.sql', 'prisma/migrations/20261201093000_init/migration.sql',
    ])
    expect(names(await expandSchemaFiles(['../prisma/migrations'], fixtures))).toEqual(['prisma/migrations/20261105120000_first/migration.sql', 'prisma/migrations/20261201093000_init/migration.sql'])
  })

  test('an entry that names nothing is one error naming it and the fix', async () => {
    await expect(expandSchemaFiles(['nope.sql'], fixtures)).rejects.toThrow(/schema\.files entry "nope\.sql": no file or folder at .*nope\.sql\.\nFix: /)
    await expect(expandSchemaFiles(['migrations/*.psql'], fixtures)).rejects.toMatchObject({ code: 'TEST_RIG_SCHEMA_FILES', entry: 'migrations/*.psql' })
  })
})
