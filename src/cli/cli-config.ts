import type { ConfigExtension } from '../config/extension.ts'
import { loadConfig, type LoadedConfig } from '../config/load.ts'
import { createLogger, type Logger } from '../config/logger.ts'
import type { RigConfig } from '../config/schema.ts'
import { Secrets } from '../config/secrets.ts'
import type { CliOutput } from './cli-output.ts'
import { settingsFromFlags, type ConnectionFlags } from './flags.ts'
import { resolvePassword, type PromptTerminal } from './password-prompt.ts'

/** The configuration a command runs with, and its logger. */
export interface CliConfig extends LoadedConfig<RigConfig> {
  readonly logger: Logger
}

/**
 * Resolves a command's configuration as the preset does — CLI flags > environment > `.env` >
 * config file (`--config`, else the usual names) > defaults — after asking for `--password` when
 * it was given without a value.
 */
export async function loadCliConfig(cwd: string, flags: ConnectionFlags, output: CliOutput, options: { readonly extensions?: readonly ConfigExtension[]; readonly terminal?: PromptTerminal } = {}): Promise<CliConfig> {
  const resolved = await resolvePassword(flags, options.terminal)
  // A password typed at the prompt is a secret even when the config fails to load.
  if (typeof resolved.password === 'string') output.learnSecrets?.(new Secrets([resolved.password]))
  const loaded = await loadConfig({ cwd, flags: settingsFromFlags(resolved), ...(flags.config ? { configFile: flags.config } : {}), ...(options.extensions ? { extensions: options.extensions } : {}) })
  output.learnSecrets?.(loaded.secrets)
  return { ...loaded, logger: createLogger({ ...loaded.config.logging, secrets: loaded.secrets }) }
}
