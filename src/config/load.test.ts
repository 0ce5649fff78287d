import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { z } from 'zod'
import { ConfigError } from './errors.ts'
import { defineConfigExtension } from './extension.ts'
import { loadConfig } from './load.ts'

let cwd: string
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'rig-config-'))
})
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true })
})

const load = (options: Parameters<typeof loadConfig>[0] = {}) => loadConfig({ cwd, env: {}, ...options })

describe('loadConfig', () => {
  test('gives the defaults when nothing is set', async () => {
    const { config, origins, files } = await load()
    expect(config.server.provider).toBe('auto')
    expect(config.database.username).toBe('root')
    expect(config.test).toMatchObject({ rows: 10, databaseScope: 'test', databasePrefix: 'rig' })
    expect(origins.size).toBe(0)
    expect(files).toEqual([])
  })

  test("reads the seed's tidb_config.toml layout with snake_case keys and host:port", async () => {
    await writeFile(join(cwd, 'tidb_config.toml'), '[database]\nhost = "prod-tidb:4000"\nusername = "produser"\ndatabase = "proddb"\npool_size = 5\ntimeout_secs = 30\n\n[logging]\nlevel = "debug"\nformat = "text"\nconsole = true\n\n[test]\nrows = 10\ntimeout_secs = 60\nverbose = false\n')
    const { config, origins, files } = await load()
    expect(config.database).toMatchObject({ host: 'prod-tidb', port: 4000, username: 'produser', database: 'proddb', poolSize: 5, timeoutSecs: 30 })
    expect(config.logging.level).toBe('debug')
    expect(origins.get('database.port')).toBe('file tidb_config.toml')
    expect(files).toEqual(['tidb_config.toml'])
  })

  test('reads test-rig.config.json before the legacy names', async () => {
    await writeFile(join(cwd, 'test-rig.config.json'), JSON.stringify({ $comment: 'ignored', test: { rows: 3 } }))
    await writeFile(join(cwd, 'tidb_config.json'), JSON.stringify({ test: { rows: 4 } }))
    expect((await load()).config.test.rows).toBe(3)
  })

  test('maps the TIDB_* variables and DATABASE_URL', async () => {
    const { config } = await load({ env: { TIDB_HOST: 'db.example:4001', TIDB_USERNAME: 'u1', TIDB_PASSWORD: 'pw', TIDB_DATABASE: 'app', TIDB_LOG_LEVEL: 'WARN', TIDB_TEST_ROWS: '25' } })
    expect(config.database).toMatchObject({ host: 'db.example', port: 4001, username: 'u1', password: 'pw', database: 'app' })
    expect(config.logging.level).toBe('warn')
    expect(config.test.rows).toBe(25)
    const fromUrl = await load({ env: { DATABASE_URL: 'mysql://me:p%40ss@gateway.tidbcloud.com:4000/shop?ssl=true' } })
    expect(fromUrl.config.database).toMatchObject({ host: 'gateway.tidbcloud.com', port: 4000, username: 'me', password: 'p@ss', database: 'shop', tls: true })
  })

  test('TIDB_USER wins over TIDB_USERNAME, and TEST_RIG_* over both', async () => {
    expect((await load({ env: { TIDB_USERNAME: 'a', TIDB_USER: 'b' } })).config.database.username).toBe('b')
    expect((await load({ env: { TIDB_USER: 'b', TEST_RIG_DATABASE_USERNAME: 'c' } })).config.database.username).toBe('c')
  })

  test('reads .env, below the real environment', async () => {
    await writeFile(join(cwd, '.env'), 'TIDB_TEST_ROWS=7\nTIDB_USER=fromdotenv\n')
    const { config, origins } = await load({ env: { TIDB_USER: 'fromenv' } })
    expect(config.test.rows).toBe(7)
    expect(origins.get('test.rows')).toBe('.env variable TIDB_TEST_ROWS')
    expect(config.database.username).toBe('fromenv')
  })

  test('the highest-priority source that sets a field wins, whatever the mix (defaults < file < .env < env < inline)', async () => {
    const sources = ['file', 'dotenv', 'env', 'inline'] as const
    await fc.assert(fc.asyncProperty(
      fc.subarray([...sources]), fc.subarray([...sources]),
      async (rowsFrom, userFrom) => {
        const value = (source: string) => sources.indexOf(source as (typeof sources)[number]) + 2
        const file: Record<string, Record<string, unknown>> = { test: {}, database: {} }
        const dotenv: string[] = []
        const env: Record<string, string> = {}
        const inline: { test?: { rows: number }; database?: { username: string } } = {}
        if (rowsFrom.includes('file')) file.test!.rows = value('file')
        if (userFrom.includes('file')) file.database!.username = 'u-file'
        if (rowsFrom.includes('dotenv')) dotenv.push(`TIDB_TEST_ROWS=${value('dotenv')}`)
        if (userFrom.includes('dotenv')) dotenv.push('TIDB_USER=u-dotenv')
        if (rowsFrom.includes('env')) env.TIDB_TEST_ROWS = String(value('env'))
        if (userFrom.includes('env')) env.TIDB_USER = 'u-env'
        if (rowsFrom.includes('inline')) inline.test = { rows: value('inline') }
        if (userFrom.includes('inline')) inline.database = { username: 'u-inline' }
        await writeFile(join(cwd, 'test-rig.config.json'), JSON.stringify(file))
        await writeFile(join(cwd, '.env'), dotenv.join('\n'))
        const { config } = await load({ env, inline })
        const top = <T>(from: readonly T[]) => [...sources].reverse().find((s) => from.includes(s as T))
        const rowsTop = top(rowsFrom)
        expect(config.test.rows).toBe(rowsTop ? value(rowsTop) : 10)
        const userTop = top(userFrom)
        expect(config.database.username).toBe(userTop ? `u-${userTop}` : 'root')
      },
    ), { numRuns: 60 })
  })

  test('a wrong value names the field, its source and the expected form', async () => {
    const error = await load({ env: { TIDB_HOST: 'db:notaport' } }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    const message = (error as ConfigError).message
    expect(message).toContain('database.port = "notaport" (from environment variable TIDB_HOST)')
    expect(message).toMatch(/expected number/)
    expect((error as ConfigError).problems).toHaveLength(1)
  })

  test('an unknown key in a file is named with the known ones', async () => {
    await writeFile(join(cwd, 'test-rig.config.toml'), '[test]\nrowz = 3\n')
    await expect(load()).rejects.toThrow(/test\.rowz \(from file test-rig\.config\.toml\): unknown field; known: rows, timeoutSecs/)
  })

  test('a field of an earlier version is named with its new name', async () => {
    await writeFile(join(cwd, 'test-rig.config.toml'), '[server]\nengineTimeoutMs = 3000\n')
    await expect(load()).rejects.toThrow(/server\.engineTimeoutMs \(from file test-rig\.config\.toml\): renamed to server\.containerRuntimeTimeoutMs/)
  })

  test('broken TOML is reported with the file, line, column and the parser\'s words', async () => {
    await writeFile(join(cwd, 'test-rig.config.toml'), '[test\nrows = 3\n')
    await expect(load()).rejects.toThrow(/\(from file test-rig\.config\.toml, line 1, column \d+\): not valid TOML at line 1, column \d+: /)
  })

  test('a TOML value that does not parse names its field, line and column, and never echoes the value', async () => {
    await writeFile(join(cwd, 'test-rig.config.toml'), '[database]\nhost = "db"\nport = s3cr3tPass\n')
    const error = (await load({ env: { TIDB_PASSWORD: 's3cr3tPass' } }).catch((e: unknown) => e)) as Error
    expect(error.message).toMatch(/- database\.port \(from file test-rig\.config\.toml, line 3, column \d+\): not valid TOML at line 3/)
    expect(error.message).not.toContain('s3cr3t')
  })

  test('JSON with a single-quoted password names the field, line and column, without the password', async () => {
    await writeFile(join(cwd, 'test-rig.config.json'), '{\n  "database": {\n    "password": \'hunter2-secret\'\n  }\n}\n')
    const error = (await load().catch((e: unknown) => e)) as Error
    expect(error.message).toMatch(/- database\.password \(from file test-rig\.config\.json, line 3, column 17\): not valid JSON at line 3, column 17: a character JSON does not allow here \(strings take double quotes/)
    expect(error.message).not.toMatch(/hunt|cret/)
  })

  test('a bad enum value lists the allowed ones', async () => {
    await expect(load({ env: { TEST_RIG_SERVER_PROVIDER: 'docker' } })).rejects.toThrow(/server\.provider = "docker" \(from environment variable TEST_RIG_SERVER_PROVIDER\).*auto.*local.*container.*external/)
  })

  test('a duration longer than a timer can hold is refused with the field, its source and the bound', async () => {
    const error = await load({ env: { TEST_RIG_TEST_TIMEOUT_SECS: '3000000', TEST_RIG_TEST_BLOCKED_AFTER_MS: '3000000000' } }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).message).toMatch(/test\.timeoutSecs = 3000000 \(from environment variable TEST_RIG_TEST_TIMEOUT_SECS\): at most 2147483 s/)
    expect((error as ConfigError).message).toMatch(/test\.blockedAfterMs = 3000000000 \(from environment variable TEST_RIG_TEST_BLOCKED_AFTER_MS\): at most 2147483647 ms/)
    const { config } = await load({ env: { TEST_RIG_TEST_TIMEOUT_SECS: '2147483' } })
    expect(config.test.timeoutSecs).toBe(2147483)
  })

  test('a password typed into TIDB_HOST is refused and never printed, as credentials or as a URL', async () => {
    const typed = await load({ env: { TIDB_HOST: 'app:hunter2@db.example:4000' } }).catch((e: unknown) => e)
    expect((typed as Error).message).toMatch(/database\.host \(from environment variable TIDB_HOST\): the host holds a user or password.*TIDB_PASSWORD/)
    expect((typed as Error).message).not.toContain('hunter2')
    const url = await load({ env: { TIDB_HOST: 'mysql://app:hunter2@db.example:4000/shop' } })
    expect(url.config.database).toMatchObject({ host: 'db.example', port: 4000, username: 'app', password: 'hunter2', database: 'shop' })
    expect(url.origins.get('database.password')).toBe('environment variable TIDB_HOST')
  })

  test('a stray % in DATABASE_URL names the field, the source and the fix, and other bad fields are listed too', async () => {
    const error = await load({ env: { DATABASE_URL: 'mysql://app:50%off@db:3306/shop', TEST_RIG_TEST_ROWS: 'many' } }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).message).toMatch(/database\.url \(from environment variable DATABASE_URL\): the password in the URL has a % that does not start an escape \(%XX\); write a literal % as %25/)
    expect((error as ConfigError).message).toMatch(/test\.rows = "many" \(from environment variable TEST_RIG_TEST_ROWS\)/)
    expect((error as ConfigError).message).not.toContain('50%off')
  })

  test('a URL without a port takes its scheme\'s: 3306 for mysql:// and mariadb://, 4000 for tidb://', async () => {
    expect((await load({ env: { DATABASE_URL: 'mysql://app@db/shop' } })).config.database.port).toBe(3306)
    expect((await load({ env: { DATABASE_URL: 'mariadb://app@db/shop' } })).config.database.port).toBe(3306)
    expect((await load({ env: { DATABASE_URL: 'tidb://app@db/shop' } })).config.database.port).toBe(4000)
    expect((await load({ env: { DATABASE_URL: 'mysql://app@db:4001/shop' } })).config.database.port).toBe(4001)
  })

  test('an unencoded @ in the password is refused with the fix, not taken apart', async () => {
    const error = await load({ env: { DATABASE_URL: 'mysql://app:s3cr@t/x9@db:3306/shop' } }).catch((e: unknown) => e)
    expect((error as Error).message).toMatch(/database\.url \(from environment variable DATABASE_URL\): the URL has more than one @: percent-encode @ in the user or password as %40/)
    expect((error as Error).message).not.toMatch(/s3cr|x9/)
    const encoded = await load({ env: { DATABASE_URL: 'mysql://app:p%40ss%2Fword@db:3306/shop' } })
    expect(encoded.config.database).toMatchObject({ host: 'db', password: 'p@ss/word' })
  })

  test('TEST_RIG_CONFIG pointing at a folder says so', async () => {
    await expect(load({ env: { TEST_RIG_CONFIG: '.' } })).rejects.toThrow(/configFile \(from environment variable TEST_RIG_CONFIG\): .* is a folder, not a file; point it at a \.toml or \.json file/)
  })

  test('a TOML integer beyond 2^53 is reported on its field, not as a broken file', async () => {
    await writeFile(join(cwd, 'test-rig.config.toml'), '[test]\nrows = 3\ntimeout_secs = 90071992547409930\n')
    const error = await load().catch((e: unknown) => e)
    expect((error as ConfigError).message).toMatch(/test\.timeoutSecs = 90071992547409930 \(from file test-rig\.config\.toml\)/)
    expect((error as ConfigError).problems).toHaveLength(1)
  })

  test('server.engine pins a product; auto is the default', async () => {
    expect((await load()).config.server.engine).toBe('auto')
    expect((await load({ env: { TEST_RIG_SERVER_ENGINE: 'tidb' } })).config.server.engine).toBe('tidb')
    await expect(load({ env: { TEST_RIG_SERVER_ENGINE: 'postgres' } })).rejects.toThrow(/server\.engine = "postgres".*auto.*tidb.*mysql.*mariadb/)
  })

  test('never prints a password, even a wrong one', async () => {
    const error = await load({ inline: { database: { password: 12345 as unknown as string } } }).catch((e: unknown) => e)
    expect((error as Error).message).toContain('database.password = *** (from inline options)')
    expect((error as Error).message).not.toContain('12345')
    const url = await load({ env: { DATABASE_URL: 'postgres://u:secret@h/db' } }).catch((e: unknown) => e)
    expect((url as Error).message).toMatch(/database\.url \(from environment variable DATABASE_URL\): protocol postgres: is not supported/)
    expect((url as Error).message).not.toContain('secret')
  })

  test('an extension section is validated, defaulted and read from TEST_RIG_<SECTION>_<FIELD>', async () => {
    const isolation = defineConfigExtension('isolation', z.object({
      connections: z.number().int().positive().default(2).describe('Concurrent sessions.'),
      level: z.enum(['read-committed', 'repeatable-read']).default('repeatable-read').describe('Isolation level.'),
    }).strict())
    const loaded = await load({ extensions: [isolation], env: { TEST_RIG_ISOLATION_CONNECTIONS: '4' } })
    expect(loaded.config.isolation).toEqual({ connections: 4, level: 'repeatable-read' })
    await expect(load({ extensions: [isolation], env: { TEST_RIG_ISOLATION_CONNECTIONS: '0' } })).rejects.toThrow(/isolation\.connections = 0/)
    await expect(load({ inline: { isolation: { connections: 2 } } as never })).rejects.toThrow(/isolation \(from inline options\): unknown section; known: server, database/)
  })
})
