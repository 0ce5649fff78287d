import type { Setting } from '../config/settings.ts'

/** Connection flags shared by the commands, as commander parses them. */
export interface ConnectionFlags {
  readonly host?: string
  readonly user?: string
  readonly database?: string
  readonly provider?: string
  readonly binary?: string
}

/** Turns command-line flags into settings (same priority as inline options); `--host` takes `host:port`. */
export function settingsFromFlags(flags: ConnectionFlags): Setting[] {
  const at = (path: [string, string], flag: string, value: unknown): Setting => ({ path, value, origin: `command-line flag --${flag}` })
  const settings: Setting[] = []
  if (flags.host !== undefined) settings.push(at(['database', 'host'], 'host', flags.host))
  if (flags.user !== undefined) settings.push(at(['database', 'username'], 'user', flags.user))
  if (flags.database !== undefined) settings.push(at(['database', 'database'], 'database', flags.database))
  if (flags.provider !== undefined) settings.push(at(['server', 'provider'], 'provider', flags.provider))
  if (flags.binary !== undefined) settings.push(at(['server', 'binary'], 'binary', flags.binary))
  return settings
}
