import type { ConnectionFlags } from './flags.ts'
import { UsageError } from './flags.ts'

/** A terminal to ask on: standard input and error by default. */
export interface PromptTerminal {
  readonly input: NodeJS.ReadStream
  readonly output: NodeJS.WritableStream
}

/**
 * Resolves `--password` given without a value: asks for it on the terminal without echoing it.
 * Without a terminal, or with `--no-password-prompt`, it is a usage error that says what to do.
 */
export async function resolvePassword<Flags extends ConnectionFlags>(flags: Flags, terminal: PromptTerminal = { input: process.stdin, output: process.stderr }): Promise<Flags> {
  if (flags.password !== true) return flags
  if (flags.passwordPrompt === false || !terminal.input.isTTY) {
    throw new UsageError('--password has no value and there is no terminal to ask on (or --no-password-prompt is set): pass --password <value>, or set TIDB_PASSWORD')
  }
  return { ...flags, password: await askHidden('Password: ', terminal) }
}

/** Reads one line in raw mode, echoing nothing; Ctrl-C and Ctrl-D give up. */
function askHidden(question: string, { input, output }: PromptTerminal): Promise<string> {
  output.write(question)
  const wasRaw = input.isRaw
  input.setRawMode(true)
  input.resume()
  input.setEncoding('utf8')
  return new Promise((resolve, reject) => {
    let typed = ''
    const done = (error?: Error) => {
      input.off('data', onData)
      input.setRawMode(wasRaw)
      input.pause()
      output.write('\n')
      if (error) reject(error)
      else resolve(typed)
    }
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return done()
        if (char === '\u0003' || char === '\u0004') return done(new UsageError('no password was entered'))
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1)
        else typed += char
      }
    }
    input.on('data', onData)
  })
}
