import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { relative } from 'node:path'
import type { Connection, RowDataPacket } from 'mysql2/promise'
import { connectionUrl, openConnection } from './connect.ts'
import { pristineState, valueOf, witnessQuery, type PristineState } from './database-reset.ts'
import { templateName, type RunNaming } from './database-names.ts'
import { acquireNamedLock } from './named-lock.ts'
import { expandSchemaFiles } from './schema-files.ts'
import { runSqlScript } from './run-sql-script.ts'
import { eachResult } from './statement-batch.ts'
import type { ServerEndpoint, ServerInfo } from './types.ts'

/** Where the template being built is, for migration tools that make their own connections. */
export interface TemplateTarget {
  /** The template database's name. */
  readonly database: string
  /** A `mysql://` URL into it (holds the password: do not print it). */
  readonly url: string
}

/**
 * Migrations of the project's own, run once per template: on a connection into it, or through
 * `target.url` with the migration tool's own client (Knex, Kysely, Drizzle).
 */
export type SchemaSetup = (connection: Connection, target: TemplateTarget) => Promise<void>

/** What the schema of every test's database is made of. */
export interface SchemaDeclaration {
  /** SQL files, run in order (relative paths are in the project's fixtures/ folder). */
  readonly files: readonly string[]
  /** The project's own migrations, run after the files. */
  readonly setup?: SchemaSetup
  /** A version of `setup` for the template's key (default: its source text). */
  readonly version?: string
}

/**
 * How to make a database equal to the template: statements run in the new database, in one
 * batch (tables without their foreign keys checked while they are made, then views, triggers,
 * routines, then the rows).
 */
export interface CloneScript {
  /** The template's database name. */
  readonly template: string
  /** The template's key (a hash of everything it is made from). */
  readonly key: string
  /** The statements, in order. */
  readonly statements: readonly string[]
  /** What a pristine copy looks like, to reset a used one for the next test. */
  readonly pristine: PristineState
}

/** A template that was built (or found built) on the server, and how to clone it. */
export interface BuiltTemplate {
  readonly clone: CloneScript
  /** False when a template with the same key was already there (a server the rig does not own). */
  readonly built: boolean
  /** Build time in ms (0 when reused). */
  readonly buildMs: number
}

/** The key of a template: engine and version, the files' contents, and the setup's version or source. */
export async function templateKey(declaration: SchemaDeclaration, fixturesDir: string, server: Pick<ServerInfo, 'engine' | 'version'>): Promise<string> {
  return hashInputs(declaration, fixturesDir, `${server.engine} ${server.version}`)
}

/**
 * The key of a local server's data directory kept with the template in it (see `DataSnapshot`),
 * or undefined when the declaration cannot be keyed by content: a setup function without a
 * `version` is keyed by its source text, which does not change when the migration files it reads
 * do — such a template is built afresh on every local run. `prefix` names the template.
 */
export async function snapshotKey(declaration: SchemaDeclaration, fixturesDir: string, prefix: string): Promise<string | undefined> {
  if (declaration.setup && declaration.version === undefined) return undefined
  // The layout's number goes up when what is kept changes (2: a first copy for each warm database).
  return hashInputs(declaration, fixturesDir, `snapshot 2 ${prefix}`)
}

async function hashInputs(declaration: SchemaDeclaration, fixturesDir: string, salt: string): Promise<string> {
  const hash = createHash('sha256').update(`${salt}\n`)
  for (const file of await expandSchemaFiles(declaration.files, fixturesDir)) hash.update(`${relative(fixturesDir, file)}\n`).update(await readFile(file))
  if (declaration.setup) hash.update(declaration.version ?? declaration.setup.toString())
  return hash.digest('hex').slice(0, 12)
}

/**
 * Builds the schema once into the template database `<prefix>_tpl_<key>` — the files, then the
 * setup — or finds it built (same key, on a server that outlives runs), and reads off how to
 * clone it. A failing statement names its file and line; a half-built template is dropped.
 */
export async function buildTemplate(endpoint: ServerEndpoint, server: ServerInfo, naming: Pick<RunNaming, 'prefix'>, declaration: SchemaDeclaration, fixturesDir: string, waiting: TemplateWaiting = {}): Promise<BuiltTemplate> {
  const key = await templateKey(declaration, fixturesDir, server)
  const template = templateName(naming.prefix, key)
  // Several statements per query: the template is read in a handful of round trips.
  const admin = await openConnection(endpoint, { multipleStatements: true })
  try {
    const startedAt = performance.now()
    let built = false
    if (!(await isFinished(admin, template))) {
      // Runs that share the server build a template one at a time: the others wait for the lock,
      // then find it finished. A builder that died released the lock with its session and left an
      // unfinished template, which only the lock's holder may drop.
      await using _lock = await acquireNamedLock(admin, template, (waiting.timeoutSecs ?? 600) * 1000, (wait) => waiting.onWait?.(
        `waiting for another run to finish building schema template ${template} on ${endpoint.host}:${endpoint.port}${wait.holder === undefined ? '' : ` (server connection ${wait.holder})`}: ${Math.round(wait.waitedMs / 1000)} s so far`))
      if (!(await isFinished(admin, template))) built = await build(admin, endpoint, template, declaration, fixturesDir)
    }
    const pristine = await pristineState(admin, template)
    const statements = await readCloneScript(admin, template, pristine.tablesWithRows)
    return { clone: { template, key, statements, pristine }, built, buildMs: built ? performance.now() - startedAt : 0 }
  } finally {
    admin.destroy()
  }
}

/** How a run waits for another run that builds the same template (see `schema.lockTimeoutSecs`). */
export interface TemplateWaiting {
  /** How long to wait at most, in seconds (default 600). */
  readonly timeoutSecs?: number
  /** Hears a line about the wait every few seconds. */
  readonly onWait?: (line: string) => void
}

/** Whether the template exists and was finished (its marker table is written last). */
async function isFinished(admin: Connection, template: string): Promise<boolean> {
  const [done] = await admin.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = '${doneMarker}'`, [template])
  return Number(done[0]?.n ?? 0) > 0
}

/** Builds the template afresh (the caller holds its lock); returns true. A failed build is dropped. */
async function build(admin: Connection, endpoint: ServerEndpoint, template: string, declaration: SchemaDeclaration, fixturesDir: string): Promise<true> {
  await admin.query(`DROP DATABASE IF EXISTS \`${template}\``)
  await admin.query(`CREATE DATABASE \`${template}\``)
  try {
    const connection = await openConnection(endpoint, { database: template })
    try {
      for (const path of await expandSchemaFiles(declaration.files, fixturesDir)) {
        await runSqlScript(connection, await readFile(path, 'utf8'), relative(process.cwd(), path))
      }
      await declaration.setup?.(connection, { database: template, url: connectionUrl(endpoint, template) })
    } finally {
      connection.destroy()
    }
    // Written last: a template without it was not finished, and is built again.
    await admin.query(`CREATE TABLE \`${template}\`.\`${doneMarker}\` (built_at TIMESTAMP)`)
  } catch (error) {
    await admin.query(`DROP DATABASE IF EXISTS \`${template}\``).catch(() => {})
    throw error
  }
  return true
}

/** The table that marks a finished template (not cloned). */
const doneMarker = '_test_rig_template_done'

/** A database's objects as the statements that make them again elsewhere (names unqualified). */
export interface ObjectDefinitions {
  /** Its base tables (the marker of a finished template left out), by name. */
  readonly tables: readonly string[]
  /** `CREATE TABLE` and `CREATE VIEW` statements, tables first. */
  readonly creates: readonly string[]
  /** `CREATE PROCEDURE` and `CREATE FUNCTION` statements. */
  readonly routines: readonly string[]
  /** `CREATE TRIGGER` statements: made after the rows, which they must not touch. */
  readonly triggers: readonly string[]
}

/**
 * Reads every object of `database` in a handful of round trips (each a batch of `SHOW CREATE`s),
 * not one per object. The connection must allow several statements per query.
 */
export async function readDefinitions(admin: Connection, database: string): Promise<ObjectDefinitions> {
  const q = (name: string) => `\`${database}\`.\`${name.replace(/`/g, '``')}\``
  const unqualify = (sql: string) => sql.split(`\`${database}\`.`).join('')
  const [objects] = await admin.query<RowDataPacket[]>('SELECT TABLE_NAME AS name, TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME', [database])
  const tables = objects.filter((o) => o.type === 'BASE TABLE' && o.name !== doneMarker).map((o) => String(o.name))
  const views = objects.filter((o) => o.type === 'VIEW').map((o) => String(o.name))
  const created = await eachResult(admin, [...tables.map((table) => `SHOW CREATE TABLE ${q(table)}`), ...views.map((view) => `SHOW CREATE VIEW ${q(view)}`)])
  const creates = [...created.entries()].map(([i, rows]) => (i < tables.length ? String(rows[0]?.['Create Table']) : unqualify(String(rows[0]?.['Create View']))))
  // Listings an engine may not know (each answers nothing then).
  const [triggerList = [], procedures = [], functions = []] = await eachResult(admin, [`SHOW TRIGGERS FROM \`${database}\``, 'SHOW PROCEDURE STATUS WHERE Db = ?', 'SHOW FUNCTION STATUS WHERE Db = ?'], [database, database], true)
  const definitions = [
    ...procedures.map((row) => ({ sql: `SHOW CREATE PROCEDURE ${q(String(row.Name))}`, column: 'Create Procedure' })),
    ...functions.map((row) => ({ sql: `SHOW CREATE FUNCTION ${q(String(row.Name))}`, column: 'Create Function' })),
    ...triggerList.map((row) => ({ sql: `SHOW CREATE TRIGGER ${q(String(row.Trigger))}`, column: 'SQL Original Statement' })),
  ]
  const defined = [...(await eachResult(admin, definitions.map((definition) => definition.sql))).entries()].map(([i, rows]) => unqualify(String(rows[0]?.[definitions[i]?.column ?? ''])))
  const routineCount = procedures.length + functions.length
  return { tables, creates, routines: defined.slice(0, routineCount), triggers: defined.slice(routineCount) }
}

/**
 * Reads every object of the template as statements that make it again in another database:
 * tables (their foreign keys not checked while they are made), views, routines, the rows of
 * `tablesWithRows` (see `PristineState`), then the triggers, which fire on no copied row.
 */
export async function readCloneScript(admin: Connection, template: string, tablesWithRows: readonly string[]): Promise<string[]> {
  const { tables, creates, routines, triggers } = await readDefinitions(admin, template)
  const rows = tables.filter((table) => tablesWithRows.includes(table)).map((table) => `INSERT INTO \`${table.replace(/`/g, '``')}\` SELECT * FROM \`${template}\`.\`${table.replace(/`/g, '``')}\``)
  return ['SET FOREIGN_KEY_CHECKS = 0', ...creates, ...routines, ...rows, ...triggers, 'SET FOREIGN_KEY_CHECKS = 1']
}

/**
 * Makes `database` (empty, just created) a copy of the template, in one round trip, and returns
 * the server's witness right after (see `witnessQuery`: the copy's first reset can then be the
 * quick one). The connection must allow several statements per query, and is left using `database`.
 */
export async function cloneInto(connection: Connection, database: string, clone: CloneScript, tidb: boolean): Promise<number | undefined> {
  const [sets] = await connection.query<RowDataPacket[][]>([`USE \`${database}\``, ...clone.statements, witnessQuery(tidb)].join(';\n'))
  return valueOf(sets.at(-1) ?? [])
}
