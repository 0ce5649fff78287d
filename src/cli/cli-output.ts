/** Where the command writes; tests pass their own. */
export interface CliOutput {
  /** Normal output. */
  out(text: string): void
  /** Diagnostics and errors. */
  err(text: string): void
}

/** Standard output and standard error. */
export const processOutput: CliOutput = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
}
