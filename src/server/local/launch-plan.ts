import { dirname, join } from 'node:path'
import type { ServerBinary } from '../discovery.ts'

/** A program and its arguments. */
export interface Command {
  /** Executable path. */
  readonly command: string
  /** Arguments, without the program name. */
  readonly args: readonly string[]
}

/** Paths and ports of one local server run. */
export interface RunLayout {
  /** The data directory. */
  readonly dataDir: string
  /** Folder for the socket, pid file and error log. */
  readonly runDir: string
  /** SQL port on 127.0.0.1. */
  readonly port: number
  /** HTTP status port (TiDB only). */
  readonly statusPort: number
  /** Whether the rig runs as root (MariaDB and MySQL then need `--user=root`). */
  readonly asRoot: boolean
}

/** Settings that must be the same when the data directory is made and when the server runs on it. */
const mariadbStorage = ['--innodb-log-file-size=32M', '--innodb-data-file-path=ibdata1:12M:autoextend']

/** Where the server writes what went wrong; read when it fails to start. */
export function errorLogPath(layout: Pick<RunLayout, 'runDir'>): string {
  return join(layout.runDir, 'error.log')
}

/**
 * The command that makes an empty data directory ready, or undefined when the server makes its
 * own (TiDB's unistore). `installDb` is MariaDB's `mariadb-install-db`, found beside the binary.
 */
export function initCommand(binary: ServerBinary, dataDir: string, asRoot: boolean, installDb?: string): Command | undefined {
  const user = asRoot ? ['--user=root'] : []
  switch (binary.engine.name) {
    case 'tidb':
      return undefined
    case 'mariadb':
      return {
        command: installDb ?? join(dirname(binary.path), 'mariadb-install-db'),
        args: ['--no-defaults', `--datadir=${dataDir}`, `--basedir=${dirname(dirname(binary.path))}`, ...user,
          '--auth-root-authentication-method=normal', '--skip-test-db', '--skip-name-resolve', ...mariadbStorage],
      }
    case 'mysql':
      return {
        command: binary.path,
        args: ['--no-defaults', '--initialize-insecure', `--datadir=${dataDir}`, ...user, '--skip-log-bin'],
      }
  }
}

/** Where a TiDB run's own config file goes (TiDB has no command-line flag for some settings). */
export function tidbConfigPath(layout: Pick<RunLayout, 'runDir'>): string {
  return join(layout.runDir, 'tidb.toml')
}

/**
 * TiDB's config file for one run: every file it writes stays inside the run folder (its defaults
 * put temporary and spill files under /tmp and the slow log in the working directory), and the
 * background work a test run does not need is off.
 */
export function tidbConfig(layout: Pick<RunLayout, 'runDir'>): string {
  const path = (name: string) => JSON.stringify(join(layout.runDir, name))
  return [
    `temp-dir = ${path('tmp')}`,
    `tmp-storage-path = ${path('tmp-storage')}`,
    '[log]',
    `slow-query-file = ${path('slow.log')}`,
    '[performance]',
    // Statistics are gathered in the background after writes: CPU a short-lived test server can spare.
    // (The DDL lease stays at its default: on a single unistore node 0, 1 s and 45 s measured the
    // same, about 25 ms per DDL statement, since no other node must load the new schema.)
    'run-auto-analyze = false',
    '',
  ].join('\n')
}

/** The command that runs the server on a prepared data directory, bound to 127.0.0.1 only, tuned for tests (no durability). */
export function serverCommand(binary: ServerBinary, layout: RunLayout): Command {
  const user = layout.asRoot ? ['--user=root'] : []
  const common = [
    '--no-defaults',
    `--datadir=${layout.dataDir}`,
    `--port=${layout.port}`,
    '--bind-address=127.0.0.1',
    `--socket=${join(layout.runDir, 'server.sock')}`,
    `--pid-file=${join(layout.runDir, 'server.pid')}`,
    `--log-error=${errorLogPath(layout)}`,
    ...user,
    '--skip-log-bin',
    '--skip-name-resolve',
    '--innodb-flush-log-at-trx-commit=0',
    '--max-connections=2000',
  ]
  switch (binary.engine.name) {
    case 'tidb':
      return {
        command: binary.path,
        args: ['-store=unistore', `-path=${layout.dataDir}`, '-host=127.0.0.1', `-P=${layout.port}`, '-status-host=127.0.0.1', `-status=${layout.statusPort}`,
          `-socket=${join(layout.runDir, 'server.sock')}`, `-config=${tidbConfigPath(layout)}`, `-temp-dir=${join(layout.runDir, 'tmp')}`,
          `-log-file=${errorLogPath(layout)}`, `-log-slow-query=${join(layout.runDir, 'slow.log')}`, '-L=warn'],
      }
    case 'mariadb':
      // The MyISAM key cache and the Aria page cache (internal temporary tables that spill to disk)
      // are 128 MB each by default, set up at every start: at 16 MB a start to the first query took
      // 209–246 ms against 298–334 ms (6 alternating starts each, a copied data directory).
      return { command: binary.path, args: [...common, ...mariadbStorage, '--innodb-doublewrite=0', '--performance-schema=0', '--innodb-buffer-pool-size=256M', '--key-buffer-size=16M', '--aria-pagecache-buffer-size=16M'] }
    case 'mysql':
      return { command: binary.path, args: [...common, '--mysqlx=OFF', '--performance-schema=OFF', '--innodb-doublewrite=OFF'] }
  }
}
