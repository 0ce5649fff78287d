import { ConfigError, type ConfigProblem } from './errors.ts'
import type { Setting } from './settings.ts'

/** Settings after {@link normalizeSettings}, and the problems of those that could not be expanded. */
export interface NormalizedSettings {
  /** The expanded settings. */
  readonly settings: Setting[]
  /** One per shorthand that could not be read; listed with the schema's problems, never alone. */
  readonly problems: ConfigProblem[]
}

/**
 * Expands shorthand settings into the fields of the schema, keeping their origin:
 * `database.host = "h:4000"` becomes host and port, `database.url = "mysql://..."` (also given as
 * the host) becomes every connection field. Nothing here prints a value: a URL or host may hold a
 * password.
 */
export function normalizeSettings(settings: readonly Setting[]): NormalizedSettings {
  const problems: ConfigProblem[] = []
  const expanded = settings.flatMap((setting) => {
    const field = setting.path.join('.')
    try {
      if (field === 'database.url') return settingsFromDatabaseUrl(setting, 'database.url')
      if (field === 'database.host' && typeof setting.value === 'string') {
        if (setting.value.includes('://')) return settingsFromDatabaseUrl(setting, 'database.host')
        if (setting.value.includes('@')) {
          throw new ConfigError([{ field, origin: setting.origin, expected: 'the host holds a user or password (user:password@host); give only host:port here, the user in TIDB_USER and the password in TIDB_PASSWORD (or the whole thing as DATABASE_URL=mysql://user:password@host:port/)' }])
        }
        return splitHostSetting(setting)
      }
      return [setting]
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error
      problems.push(...error.problems)
      return []
    }
  })
  return { settings: expanded, problems }
}

/** Splits `host:port` (and `[v6]:port`) into host and port; a host without a port stays as it is. */
export function splitHostPort(text: string): { host: string; port?: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d*))?$/.exec(text)
  if (bracketed) return withPort(bracketed[1] ?? '', bracketed[2])
  const colons = text.split(':').length - 1
  if (colons !== 1) return { host: text }
  const [host = '', port] = text.split(':')
  return withPort(host, port)
}

function withPort(host: string, port: string | undefined): { host: string; port?: string } {
  return port === undefined || port === '' ? { host } : { host, port }
}

function splitHostSetting(setting: Setting): Setting[] {
  const { host, port } = splitHostPort(setting.value as string)
  const hostSetting = { ...setting, value: host }
  if (port === undefined) return [hostSetting]
  return [hostSetting, { path: ['database', 'port'], value: numberOrText(port), origin: setting.origin }]
}

const urlProtocols = new Set(['mysql:', 'mariadb:', 'tidb:'])

function settingsFromDatabaseUrl(setting: Setting, field: string): Setting[] {
  const problem = (expected: string) =>
    new ConfigError([{ field, origin: setting.origin, expected }])
  if (typeof setting.value !== 'string') throw problem('expected a URL string like mysql://user:pass@host:4000/db')
  // A password holding @ (or /, #) must be percent-encoded; unencoded, the URL splits in the wrong
  // place and a piece of the password would be taken for the host.
  if ((setting.value.split('?')[0]?.match(/@/g)?.length ?? 0) > 1) {
    throw problem('the URL has more than one @: percent-encode @ in the user or password as %40 (and / as %2F, # as %23), e.g. mysql://app:p%40ss@host:3306/db')
  }
  let url: URL
  try {
    url = new URL(setting.value)
  } catch {
    throw problem('not a URL; expected mysql://user:pass@host:port/database')
  }
  if (!urlProtocols.has(url.protocol)) throw problem(`protocol ${url.protocol} is not supported; expected mysql://user:pass@host:port/database`)
  if (url.hostname === '') throw problem('the URL has no host; expected mysql://user:pass@host:port/database')
  const at = (field: string, value: unknown): Setting => ({ path: ['database', field], value, origin: setting.origin })
  const decode = (part: string, what: string): string => {
    try {
      return decodeURIComponent(part)
    } catch {
      throw problem(`the ${what} in the URL has a % that does not start an escape (%XX); write a literal % as %25`)
    }
  }
  const out: Setting[] = [at('host', url.hostname.replace(/^\[|\]$/g, ''))]
  // Without a port, the scheme's own: 3306 for mysql:// and mariadb://, 4000 (TiDB's) for tidb://.
  out.push(at('port', url.port !== '' ? Number(url.port) : url.protocol === 'tidb:' ? 4000 : 3306))
  if (url.username !== '') out.push(at('username', decode(url.username, 'user')))
  if (url.password !== '') out.push(at('password', decode(url.password, 'password')))
  const database = decode(url.pathname.replace(/^\//, ''), 'database name')
  if (database !== '') out.push(at('database', database))
  const tls = url.searchParams.get('ssl') ?? url.searchParams.get('tls') ?? url.searchParams.get('sslmode')
  if (tls !== null) out.push(at('tls', !['false', '0', 'disable', 'disabled'].includes(tls.toLowerCase())))
  return out
}

function numberOrText(text: string): number | string {
  return /^\d+$/.test(text) ? Number(text) : text
}
