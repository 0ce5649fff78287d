import { Secrets } from '../config/secrets.ts'

/** Where the command writes; tests pass their own. */
export interface CliOutput {
  /** Normal output. */
  out(text: string): void
  /** Diagnostics and errors. */
  err(text: string): void
  /** Learns the secrets of the command's configuration: nothing printed after holds one. */
  learnSecrets?(secrets: Secrets): void
}

/** `output` with every line passed through the secrets it learns (see `Secrets`). */
export function redactingOutput(output: CliOutput): CliOutput {
  let secrets = Secrets.none
  return {
    out: (text) => output.out(secrets.redact(text)),
    err: (text) => output.err(secrets.redact(text)),
    learnSecrets: (learned) => {
      secrets = secrets.with(learned)
      output.learnSecrets?.(learned)
    },
  }
}

/** Standard output and standard error. */
export const processOutput: CliOutput = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
}
