import { stat } from 'node:fs/promises'
import { isAbsolute, join, relative } from 'node:path'
import { SchemaFilesError } from './errors.ts'

/** Characters that make a `schema.files` entry a glob. */
const globCharacters = /[*?[\]{}]/

/**
 * The SQL files `schema.files` names, in order: a file as it is; a folder, every `.sql` file under
 * it; a glob (`../prisma/migrations/*\/migration.sql`), every file it matches. The files of a folder
 * or a glob come in the order migration tools run them — by path, numbers compared as numbers
 * (`2_b.sql` before `10_a.sql`; Prisma's timestamped folders by their time). Relative entries are in
 * the project's fixtures/ folder. An entry that names nothing is an error naming it.
 */
export async function expandSchemaFiles(entries: readonly string[], fixturesDir: string): Promise<string[]> {
  const files: string[] = []
  for (const entry of entries) {
    const path = isAbsolute(entry) ? entry : join(fixturesDir, entry)
    if (globCharacters.test(entry)) {
      const { glob } = await import('tinyglobby')
      const found = await glob(entry, { cwd: fixturesDir, absolute: true, onlyFiles: true, expandDirectories: false })
      if (found.length === 0) throw new SchemaFilesError(entry, 'the pattern matches no file')
      files.push(...inMigrationOrder(found, fixturesDir))
      continue
    }
    const kind = await stat(path).then((info) => (info.isDirectory() ? 'folder' : 'file'), () => 'missing')
    if (kind === 'missing') throw new SchemaFilesError(entry, `no file or folder at ${path}`)
    if (kind === 'file') {
      files.push(path)
      continue
    }
    const { glob } = await import('tinyglobby')
    const found = await glob('**/*.sql', { cwd: path, absolute: true, onlyFiles: true })
    if (found.length === 0) throw new SchemaFilesError(entry, `the folder ${path} holds no .sql file`)
    files.push(...inMigrationOrder(found, fixturesDir))
  }
  return files
}

/** Paths sorted as migration tools order them: by path, with runs of digits compared as numbers. */
export function inMigrationOrder(paths: readonly string[], base: string): string[] {
  return [...paths].sort((a, b) => relative(base, a).localeCompare(relative(base, b), 'en', { numeric: true }))
}
