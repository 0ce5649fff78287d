import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

// Generates the specs' Prisma client (specs/prisma/generated, not committed) when the schema
// changed: `npm test` runs it before type-checking, and the prisma projects' globalSetup too.
// `prisma generate` needs no engine, but the CLI insists that the schema-engine binary exists and
// downloads it otherwise, which fails offline: PRISMA_SCHEMA_ENGINE_BINARY names an executable
// instead, which generate never runs (`prisma migrate` would: it is not used here).

const here = fileURLToPath(new URL('.', import.meta.url))
const repo = join(here, '..', '..')
const stamp = join(here, 'generated', '.schema-hash')

/** Runs `prisma generate` unless the generated client is of the current schema and Prisma. */
export async function generatePrismaClient(): Promise<void> {
  const schema = await readFile(join(here, 'prisma', 'schema.prisma'), 'utf8')
  const prisma = JSON.parse(await readFile(join(repo, 'node_modules', 'prisma', 'package.json'), 'utf8')) as { version: string }
  const hash = createHash('sha256').update(schema).update(prisma.version).digest('hex')
  if ((await readFile(stamp, 'utf8').catch(() => '')) === hash) return
  await promisify(execFile)(process.execPath, [join(repo, 'node_modules', 'prisma', 'build', 'index.js'), 'generate', '--config', join(here, 'prisma.config.ts')], {
    cwd: repo,
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/false', PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
  })
  await writeFile(stamp, hash)
}

/** As a Vitest globalSetup. */
export default generatePrismaClient

if (import.meta.main) await generatePrismaClient()
