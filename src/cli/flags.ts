import { Option, type Command } from 'commander'
import type { Setting } from '../config/settings.ts'

/** The options every command takes (the seed's common options), as commander parses them. */
export interface ConnectionFlags {
  readonly config?: string
  readonly host?: string
  readonly user?: string
  readonly database?: string
  /** A value, or `true` when `--password` was given without one (then it is prompted for). */
  readonly password?: string | boolean
  /** False with `--no-password-prompt`. */
  readonly passwordPrompt?: boolean
  readonly logLevel?: string
  /** A path, or `true` for `--log-file` without one (`test-rig.log`). */
  readonly logFile?: string | boolean
  readonly verbose?: boolean
  readonly provider?: string
  readonly engine?: string
  readonly binary?: string
  /** `section.field=value`, for any field of the schema (extensions' too). */
  readonly set?: readonly string[]
}

/** Adds the common options to a command. */
export function commonOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'config file (TOML or JSON; default: test-rig.config.toml/.json, tidb_config.toml/.json)')
    .option('-H, --host <host:port>', 'external server host and port (selects the external provider)')
    .option('-u, --user <name>', 'user to connect as')
    .option('-d, --database <name>', 'database to check on an external server')
    .option('--password [password]', 'password; without a value it is asked for on the terminal, without echo')
    .option('--no-password-prompt', 'never ask for a password (for scripts): --password then needs a value')
    .addOption(new Option('--log-level <level>', 'least severe log level printed').choices(['error', 'warn', 'info', 'debug', 'trace']))
    .option('--log-file [path]', 'also append log lines to a file (default test-rig.log)')
    .option('-v, --verbose', 'debug logging, and every statement scenarios issue')
    .addOption(new Option('--provider <name>', 'where the server comes from').choices(['auto', 'local', 'container', 'external']))
    .addOption(new Option('--engine <name>', 'pin the database product').choices(['auto', 'tidb', 'mysql', 'mariadb']))
    .option('--binary <path>', 'server binary for the local provider')
    .option('--set <section.field=value...>', 'any config field, e.g. --set test.rows=50 (extensions\' fields too)')
}

/**
 * Turns command-line flags into settings (the highest priority, like inline options); `--host`
 * takes `host:port`. The password must already be resolved (prompted) to a string.
 */
export function settingsFromFlags(flags: ConnectionFlags): Setting[] {
  const at = (path: [string, string], flag: string, value: unknown): Setting => ({ path, value, origin: `command-line flag --${flag}` })
  const settings: Setting[] = []
  if (flags.host !== undefined) settings.push(at(['database', 'host'], 'host', flags.host))
  if (flags.user !== undefined) settings.push(at(['database', 'username'], 'user', flags.user))
  if (flags.database !== undefined) settings.push(at(['database', 'database'], 'database', flags.database))
  if (typeof flags.password === 'string') settings.push(at(['database', 'password'], 'password', flags.password))
  if (flags.verbose) settings.push(at(['logging', 'level'], 'verbose', 'debug'), at(['test', 'verbose'], 'verbose', true))
  if (flags.logLevel !== undefined) settings.push(at(['logging', 'level'], 'log-level', flags.logLevel))
  if (flags.logFile !== undefined) settings.push(at(['logging', 'file'], 'log-file', flags.logFile === true ? 'test-rig.log' : flags.logFile))
  if (flags.provider !== undefined) settings.push(at(['server', 'provider'], 'provider', flags.provider))
  if (flags.engine !== undefined) settings.push(at(['server', 'engine'], 'engine', flags.engine))
  if (flags.binary !== undefined) settings.push(at(['server', 'binary'], 'binary', flags.binary))
  for (const assignment of flags.set ?? []) {
    const match = /^([A-Za-z]\w*)\.([A-Za-z]\w*)=(.*)$/s.exec(assignment)
    if (!match) throw new UsageError(`--set ${assignment}: write it as section.field=value, e.g. --set test.rows=50`)
    const [, section = '', field = '', text = ''] = match
    settings.push({ path: [section, field], value: parseScalar(text), origin: `command-line flag --set ${section}.${field}` })
  }
  return settings
}

/** Bad command-line usage: exit code 2, the message says what to write instead. */
export class UsageError extends Error {
  /** Stable error code. */
  readonly code = 'TEST_RIG_USAGE'

  constructor(message: string) {
    super(`test-rig: ${message}`)
    this.name = 'UsageError'
  }
}

/** A number or boolean where the text is one, else the text (the schema then says what it wants). */
function parseScalar(text: string): unknown {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text)
  if (text === 'true' || text === 'false') return text === 'true'
  return text
}
