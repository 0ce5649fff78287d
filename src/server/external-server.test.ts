import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { loadConfig } from '../config/load.ts'
import type { Setting } from '../config/settings.ts'
import { chooseProvider } from './choose-provider.ts'
import { openConnection } from './connect.ts'
import { LocalServer, type StartedLocalServer } from './local/local-server.ts'

describe('a failed connect to an external server names the source of the field that is wrong', () => {
  let server: StartedLocalServer
  let cwd: string
  beforeAll(async () => {
    server = await new LocalServer().start()
    cwd = await mkdtemp(join(tmpdir(), 'rig-sources-'))
    const admin = await openConnection(server.endpoint)
    await admin.query("CREATE USER 'rigu'@'%' IDENTIFIED BY 'right-pass-42'")
    await admin.query("CREATE USER 'rigu'@'localhost' IDENTIFIED BY 'right-pass-42'")
    admin.destroy()
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
    if (cwd) await rm(cwd, { recursive: true, force: true })
  })

  const address = () => `127.0.0.1:${server.endpoint.port}`
  const cases: Array<{ name: string; env: () => Record<string, string>; dotenv?: string; flags?: Setting[]; says: RegExp }> = [
    { name: 'a wrong password in DATABASE_URL', env: () => ({ DATABASE_URL: `mysql://rigu:wrong-pass@${address()}/` }), says: /the user "rigu" comes from environment variable DATABASE_URL, the password from environment variable DATABASE_URL/ },
    { name: 'DATABASE_URL with a wrong TIDB_PASSWORD', env: () => ({ DATABASE_URL: `mysql://rigu@${address()}/`, TIDB_PASSWORD: 'wrong-pass' }), says: /the user "rigu" comes from environment variable DATABASE_URL, the password from environment variable TIDB_PASSWORD/ },
    { name: 'TIDB_* with a wrong TIDB_USER', env: () => ({ TIDB_HOST: address(), TIDB_USER: 'nobody', TIDB_PASSWORD: 'right-pass-42' }), says: /the user "nobody" comes from environment variable TIDB_USER, the password from environment variable TIDB_PASSWORD/ },
    { name: 'a wrong --password', env: () => ({ TIDB_HOST: address(), TIDB_USER: 'rigu' }), flags: [{ path: ['database', 'password'], value: 'wrong-pass', origin: 'command-line flag --password' }], says: /the password from command-line flag --password/ },
    { name: 'a .env password cut at #', env: () => ({ TIDB_HOST: address(), TIDB_USER: 'rigu' }), dotenv: 'TIDB_PASSWORD=right-pass #42\n', says: /the password from \.env variable TIDB_PASSWORD; in a \.env file a # in an unquoted value starts a comment: put the password in quotes/ },
    { name: 'a closed port in TIDB_HOST', env: () => ({ TIDB_HOST: '127.0.0.1:1', TIDB_USER: 'rigu' }), says: /connection refused.*\nFix: check that the server runs and that the host and port are right \(the host comes from environment variable TIDB_HOST, the port from environment variable TIDB_HOST\)/ },
    { name: 'a port in TIDB_PORT', env: () => ({ TIDB_HOST: '127.0.0.1', TIDB_PORT: '1', TIDB_USER: 'rigu' }), says: /the host comes from environment variable TIDB_HOST, the port from environment variable TIDB_PORT/ },
    { name: 'a database that does not exist', env: () => ({ DATABASE_URL: `mysql://root@${address()}/no_such_db` }), says: /the database name \(it comes from environment variable DATABASE_URL\)/ },
  ]

  test.each(cases)('$name', async ({ env, dotenv, flags, says }) => {
    const dir = await mkdtemp(join(cwd, 'case-'))
    if (dotenv) await writeFile(join(dir, '.env'), dotenv)
    const { config, origins } = await loadConfig({ cwd: dir, env: env(), ...(flags ? { flags } : {}) })
    const { provider } = await chooseProvider(config, origins)
    const error = (await provider.start().catch((e: unknown) => e)) as Error
    expect(error.message).toMatch(says)
    expect(error.message).not.toContain('right-pass')
    expect(error.message).not.toContain('wrong-pass')
  })
})
