import { fileURLToPath } from 'node:url'
import type { TemplateTarget } from '../../src/server/schema-template.ts'

// The recipes of README "Schema once": each project's own migrations, run once per run into the
// template through the migration tool's own client (imported when they run, not when Vitest loads
// its config).

const migrations = fileURLToPath(new URL('../../fixtures/migrations/', import.meta.url))

/** Knex: `knex.migrate.latest()` over the template's URL. */
export async function knexMigrate(_connection: unknown, target: TemplateTarget): Promise<void> {
  const { default: Knex } = await import('knex')
  const knex = Knex({ client: 'mysql2', connection: target.url })
  try {
    await knex.migrate.latest({ directory: `${migrations}knex`, loadExtensions: ['.mjs'] })
  } finally {
    await knex.destroy()
  }
}

/** Kysely: its `Migrator` over a mysql2 pool into the template. */
export async function kyselyMigrate(_connection: unknown, target: TemplateTarget): Promise<void> {
  const { Kysely, MysqlDialect } = await import('kysely')
  const { Migrator } = await import('kysely/migration')
  const { createPool } = await import('mysql2')
  const { migrations: all } = await import(`${migrations}kysely.mjs`) as { migrations: Record<string, { up(db: unknown): Promise<void> }> }
  const db = new Kysely<unknown>({ dialect: new MysqlDialect({ pool: createPool(target.url) }) })
  try {
    const { error } = await new Migrator({ db, provider: { getMigrations: async () => all } }).migrateToLatest()
    if (error) throw error
  } finally {
    await db.destroy()
  }
}

/** Drizzle: `migrate()` of drizzle-orm/mysql2 over the template's connection. */
export async function drizzleMigrate(connection: unknown): Promise<void> {
  const { drizzle } = await import('drizzle-orm/mysql2')
  const { migrate } = await import('drizzle-orm/mysql2/migrator')
  await migrate(drizzle(connection as never), { migrationsFolder: `${migrations}drizzle` })
}
