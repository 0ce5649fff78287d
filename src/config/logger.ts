import { createWriteStream, type WriteStream } from 'node:fs'
import { logLevels, type LogLevel } from './log-levels.ts'
import { Secrets } from './secrets.ts'

/** Prints the rig's own messages at or above a level; every line goes through the run's redaction (see `Secrets`). */
export interface Logger {
  /** Something failed. */
  error(message: string): void
  /** Something is off but the run goes on. */
  warn(message: string): void
  /** What the rig chose and did (provider, server). */
  info(message: string): void
  /** Details for diagnosing the rig itself. */
  debug(message: string): void
  /** Waits until every line is in the log file (before the process exits). */
  flush(): Promise<void>
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Least severe level printed. */
  readonly level: LogLevel
  /** Line format. */
  readonly format?: 'text' | 'json'
  /** Print at all. */
  readonly console?: boolean
  /** Where lines go; default: standard error. */
  readonly write?: (line: string) => void
  /** Also append every line to this file. */
  readonly file?: string
  /** The run's secrets, removed from every line (URL passwords are removed in any case). */
  readonly secrets?: Secrets
}

/** Creates a logger that prefixes lines with `[test-rig]` (or writes JSON lines). */
export function createLogger(options: LoggerOptions): Logger {
  const threshold = logLevels.indexOf(options.level)
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`))
  // Opened on the first line, appended to without blocking.
  let file: WriteStream | undefined
  const secrets = options.secrets ?? Secrets.none
  const emit = (level: LogLevel) => (message: string) => {
    if (logLevels.indexOf(level) > threshold) return
    const text = secrets.redact(message)
    const line = options.format === 'json' ? JSON.stringify({ level, time: new Date().toISOString(), message: text }) : `[test-rig] ${level === 'info' ? '' : `${level}: `}${text}`
    if (options.console !== false) write(line)
    if (options.file) {
      file ??= createWriteStream(options.file, { flags: 'a' }).on('error', () => {})
      file.write(`${options.format === 'json' ? line : `${new Date().toISOString()} ${line}`}\n`)
    }
  }
  const flush = () => new Promise<void>((resolve) => {
    if (!file || file.writableFinished || file.destroyed) return resolve()
    file.end(resolve)
    file = undefined
  })
  return { error: emit('error'), warn: emit('warn'), info: emit('info'), debug: emit('debug'), flush }
}
