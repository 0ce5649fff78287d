import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ServerUnreachableError } from '../server/errors.ts'
import { describeConnectError, whatToCheck } from '../server/external-server.ts'
import { loadConfig } from './load.ts'
import { createLogger } from './logger.ts'
import { redactConfig } from './redact.ts'
import { passwordsInText, Secrets, shortestFragment } from './secrets.ts'
import type { Setting } from './settings.ts'

describe('Secrets', () => {
  test('removes a secret whole and any piece of 4 or more characters, and URL passwords', () => {
    const secrets = new Secrets(['Hunter2Secret'])
    expect(secrets.redact('host Hunter2Secret:4000')).toBe('host ***:4000')
    expect(secrets.redact('port = "ter2Sec"')).toBe('port = "***"')
    expect(secrets.redact('user Hun')).toBe('user Hun')
    expect(secrets.redact('mysql://app:other@db/x')).toBe('mysql://app:***@db/x')
  })

  test('finds passwords in a config file\'s text, parsed or not', () => {
    expect(passwordsInText('{ "database": { "password": \'single\' } }')).toContain('single')
    expect(passwordsInText('[database]\npassword = unquoted_pw\n')).toContain('unquoted_pw')
    expect(passwordsInText('{"database":{"url":"mysql://u:p%40ss@h/db"}}')).toEqual(expect.arrayContaining(['p%40ss', 'p@ss']))
  })
})

/** A password of letters, digits and symbols (no quotes or backslashes, which each format escapes its own way). */
const password = fc.stringMatching(/^[A-Za-z0-9!%^*+~]{8,24}$/).filter((pw) => /[A-Za-z!%^*+~]{2}/.test(pw))

/** Where the password (or a piece of it) goes besides its own field: the inputs that printed it before. */
const placements = ['TIDB_HOST', 'TIDB_PORT', 'TIDB_USER', 'piece in TIDB_PORT', 'json single-quoted', 'json unquoted', 'toml port', 'toml unquoted', '--set port', 'DATABASE_URL + TIDB_PORT', '.env + TIDB_HOST', '.env cut at #'] as const

/** Every run of `shortestFragment`+ characters of `secret` that holds a letter or symbol (a run of digits is a port as often as a secret). */
function leaks(output: string, secret: string): string[] {
  const found: string[] = []
  for (let i = 0; i + shortestFragment <= secret.length; i++) {
    const piece = secret.slice(i, i + shortestFragment)
    if (/[^0-9]/.test(piece) && output.includes(piece)) found.push(piece)
  }
  return found
}

describe('no password is printed, whatever source it came from and wherever it was typed (fuzz)', () => {
  let root: string
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'rig-secrets-'))
  })
  afterAll(async () => {
    await rm(root, { recursive: true, force: true })
  })

  test('1,200 cases: config errors, log lines, the log file, a failed connect and the printed config hold no piece of it', async () => {
    let runs = 0
    /** Everything printed for one case with `pw` as the password. */
    const printedFor = async (pw: string, placement: (typeof placements)[number], viaFlag: boolean): Promise<string> => {
      const cwd = join(root, `case-${runs++}`)
      const { mkdir } = await import('node:fs/promises')
      await mkdir(cwd)
      const env: Record<string, string> = {}
      const flags: Setting[] = []
      // The password itself, from the environment or from --password.
      if (viaFlag) flags.push({ path: ['database', 'password'], value: pw, origin: 'command-line flag --password' })
      else env.TIDB_PASSWORD = pw
      switch (placement) {
        case 'TIDB_HOST': env.TIDB_HOST = pw; break
        case 'TIDB_PORT': env.TIDB_PORT = pw; break
        case 'TIDB_USER': env.TIDB_HOST = 'db.example'; env.TIDB_USER = `app:${pw}`; break
        case 'piece in TIDB_PORT': env.TIDB_PORT = pw.slice(2, 9); break
        case 'json single-quoted': await writeFile(join(cwd, 'test-rig.config.json'), `{\n  "database": { "host": "db", "password": '${pw}' }\n}\n`); break
        case 'json unquoted': await writeFile(join(cwd, 'test-rig.config.json'), `{ "database": { "password": ${pw} } }`); break
        case 'toml port': await writeFile(join(cwd, 'test-rig.config.toml'), `[database]\nhost = "db"\nport = "${pw}"\n`); break
        case 'toml unquoted': await writeFile(join(cwd, 'test-rig.config.toml'), `[database]\npassword = ${pw}\n`); break
        case '--set port': flags.push({ path: ['database', 'port'], value: pw, origin: 'command-line flag --set database.port' }); break
        case 'DATABASE_URL + TIDB_PORT': env.DATABASE_URL = `mysql://app:${encodeURIComponent(pw)}@db:4000/shop`; env.TIDB_PORT = pw.slice(1); break
        case '.env + TIDB_HOST': await writeFile(join(cwd, '.env'), `TIDB_PASSWORD=${pw}\n`); env.TIDB_HOST = `${pw}:4000`; break
        case '.env cut at #': await writeFile(join(cwd, '.env'), `TIDB_PASSWORD=${pw.slice(0, 5)} #${pw.slice(5)}\nTIDB_HOST=db\n`); break
      }
      const printed: string[] = []
      const logFile = join(cwd, 'rig.log')
      try {
        const { config, secrets } = await loadConfig({ cwd, env, flags })
        const logger = createLogger({ level: 'debug', write: (line) => printed.push(line), file: logFile, secrets })
        logger.info(`resolved ${JSON.stringify(redactConfig(config))}`)
        logger.warn(`database.host=${config.database.host ?? ''} port=${String(config.database.port)} user=${config.database.username ?? ''}`)
        // What a failed connect to that address prints (access denied echoes the user).
        const endpoint = { host: config.database.host ?? 'localhost', port: Number(config.database.port ?? 4000), user: config.database.username ?? 'root', connectTimeoutMs: 1000 }
        const origins = { host: 'h', port: 'p', user: 'u', password: 'pw', database: 'd', tls: 't' }
        const denied = { code: 'ER_ACCESS_DENIED_ERROR', message: `Access denied for user '${endpoint.user}'@'localhost'` }
        printed.push(secrets.redact(new ServerUnreachableError(`${endpoint.host}:${endpoint.port}`, describeConnectError(denied, endpoint), whatToCheck(denied, endpoint, origins)).message))
        await logger.flush()
        printed.push(await readFile(logFile, 'utf8'))
      } catch (error) {
        printed.push(error instanceof Error ? error.message : String(error))
      }
      return printed.join('\n')
    }
    await fc.assert(fc.asyncProperty(password, fc.constantFrom(...placements), fc.boolean(), async (pw, placement, viaFlag) => {
      const output = await printedFor(pw, placement, viaFlag)
      // The same case with a password of other characters prints the rig's own words: a piece of
      // the password found in those ("ment" of "environment") is not a leak.
      const words = await printedFor('ø'.repeat(pw.length), placement, viaFlag)
      expect(leaks(output, pw).filter((piece) => !words.includes(piece)), `${placement}: ${output}`).toEqual([])
    }), { numRuns: 1_200 })
  }, 120_000)
})
