import { describe, expect, test } from 'vitest'
import type { ServerBinary } from '../discovery.ts'
import { initCommand, serverCommand, type RunLayout } from './launch-plan.ts'

const layout: RunLayout = { dataDir: '/run/d', runDir: '/run', port: 41000, statusPort: 41001, asRoot: true }
const mariadb: ServerBinary = { path: '/usr/sbin/mariadbd', engine: { name: 'mariadb', version: '10.11.19', versionText: '10.11.19-MariaDB' } }
const mysql: ServerBinary = { path: '/usr/sbin/mysqld', engine: { name: 'mysql', version: '8.0.36', versionText: '8.0.36' } }
const tidb: ServerBinary = { path: '/home/u/.tiup/bin/tidb-server', engine: { name: 'tidb', version: '8.5.1', versionText: 'TiDB-v8.5.1' } }

describe('serverCommand', () => {
  test.each([mariadb, mysql])('binds $engine.name to loopback on the chosen port and reads no option files', (binary) => {
    const { args } = serverCommand(binary, layout)
    expect(args[0]).toBe('--no-defaults')
    expect(args).toContain('--bind-address=127.0.0.1')
    expect(args).toContain('--port=41000')
    expect(args).toContain('--datadir=/run/d')
    expect(args).toContain('--user=root')
  })

  test('does not pass --user when not root', () => {
    expect(serverCommand(mariadb, { ...layout, asRoot: false }).args).not.toContain('--user=root')
  })

  test('runs TiDB on unistore with its status port', () => {
    const { command, args } = serverCommand(tidb, layout)
    expect(command).toBe(tidb.path)
    expect(args).toEqual(expect.arrayContaining(['-store=unistore', '-path=/run/d', '-P=41000', '-status=41001', '-host=127.0.0.1']))
  })
})

describe('initCommand', () => {
  test('makes a MariaDB data directory with a password-less root and no test database', () => {
    const init = initCommand(mariadb, '/t/d', true, '/usr/bin/mariadb-install-db')
    expect(init?.command).toBe('/usr/bin/mariadb-install-db')
    expect(init?.args).toEqual(expect.arrayContaining(['--datadir=/t/d', '--basedir=/usr', '--auth-root-authentication-method=normal', '--skip-test-db']))
  })

  test('initialises MySQL insecurely (root without password, loopback only)', () => {
    expect(initCommand(mysql, '/t/d', false)?.args).toEqual(expect.arrayContaining(['--initialize-insecure', '--datadir=/t/d']))
  })

  test('TiDB needs no initialisation', () => {
    expect(initCommand(tidb, '/t/d', true)).toBeUndefined()
  })

  test('MariaDB storage settings are the same at init and at run', () => {
    const init = initCommand(mariadb, '/run/d', true)?.args ?? []
    const run = serverCommand(mariadb, layout).args
    for (const arg of init.filter((a) => a.startsWith('--innodb'))) expect(run).toContain(arg)
  })
})
