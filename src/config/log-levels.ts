/** The log levels, least verbose first; here rather than in the schema so that the logger loads no zod. */
export const logLevels = ['error', 'warn', 'info', 'debug', 'trace'] as const

/** A log level. */
export type LogLevel = (typeof logLevels)[number]
