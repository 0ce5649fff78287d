/**
 * test-rig/config: the configuration as the preset resolves it (defaults < file < .env <
 * environment < inline options), and extensions of its schema; for vitest.config.ts, scripts and
 * tools (it loads zod, dotenv and the TOML parser, which test files need not).
 */
export { loadConfig, sectionsWith, type LoadConfigOptions, type LoadedConfig } from './config/load.ts'
export { defineConfigExtension, type ConfigExtension, type ExtensionsConfig } from './config/extension.ts'
export { ConfigError, type ConfigProblem } from './config/errors.ts'
export { redactConfig, redactUrl } from './config/redact.ts'
export { rigConfigSchema, coreSections, type RigConfig, type RigConfigInput, type LogLevel, type ProviderName, type ResilienceConfig } from './config/schema.ts'
