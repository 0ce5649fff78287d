import { access, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { z } from 'zod'
import { ConfigError } from '../config/errors.ts'
import { listFields } from '../config/fields.ts'
import { sectionsWith } from '../config/load.ts'
import { normalizeSettings } from '../config/normalize.ts'
import { redactConfig } from '../config/redact.ts'
import { renderSample, type SampleFormat } from '../config/sample.ts'
import type { CliOutput } from './cli-output.ts'
import { exitCodes } from './exit-codes.ts'
import { loadCliConfig } from './cli-config.ts'
import { settingsFromFlags, UsageError, type ConnectionFlags } from './flags.ts'
import { resolvePassword } from './password-prompt.ts'

/** Options of `test-rig config init`. */
export interface InitOptions extends ConnectionFlags {
  readonly format: SampleFormat
  readonly out?: string
  readonly force?: boolean
  readonly testRows?: string
}

/** Writes a commented sample config generated from the schema; refuses to overwrite without `--force`. */
export async function configInit(cwd: string, options: InitOptions, output: CliOutput): Promise<number> {
  if (options.format !== 'toml' && options.format !== 'json') {
    throw new ConfigError([{ field: 'format', origin: 'command-line flag --format', expected: 'json or toml', shown: JSON.stringify(options.format) }])
  }
  const path = resolve(cwd, options.out ?? `test-rig.config.${options.format}`)
  if (!options.force && (await access(path).then(() => true, () => false))) {
    output.err(`test-rig: ${path} exists; pass --force to overwrite it.`)
    return exitCodes.usage
  }
  const flags = await resolvePassword({ ...options, set: [...(options.set ?? []), ...(options.testRows === undefined ? [] : [`test.rows=${options.testRows}`])] })
  const { settings, problems } = normalizeSettings(settingsFromFlags(flags))
  if (problems.length > 0) throw new ConfigError(problems)
  // A field the schema does not have would silently not be written: say so instead.
  const known = listFields(sectionsWith([])).map((field) => `${field.section}.${field.name}`)
  const unknown = settings.filter((setting) => !known.includes(setting.path.join('.')))
  if (unknown.length > 0) throw new UsageError(`${unknown.map((setting) => setting.path.join('.')).join(', ')}: no such config field; known: ${known.join(', ')}`)
  const sample = renderSample(sectionsWith([]), options.format, settings)
  await writeFile(path, sample)
  output.out(`wrote ${path}`)
  return exitCodes.success
}

/** Prints the resolved configuration (passwords redacted) and where each value came from. */
export async function configShow(cwd: string, flags: ConnectionFlags, output: CliOutput): Promise<number> {
  const { config, origins, files } = await loadCliConfig(cwd, flags, output)
  output.out(JSON.stringify(redactConfig(config), null, 2))
  output.out(`files read: ${files.length === 0 ? 'none' : files.join(', ')}`)
  for (const [field, origin] of [...origins].sort()) output.out(`  ${field}: ${origin}`)
  return 0
}

/** Prints the JSON Schema of the config file, for editors. */
export function configSchema(output: CliOutput): number {
  const shape = Object.fromEntries(Object.entries(sectionsWith([])).map(([name, section]) => [name, section.prefault({})]))
  output.out(JSON.stringify(z.toJSONSchema(z.object(shape), { io: 'input' }), null, 2))
  return 0
}
