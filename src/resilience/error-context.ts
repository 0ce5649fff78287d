import { redactConfig, redactUrl } from '../config/redact.ts'
import { classifyError, type Classification } from './classify.ts'

/** Where and how an operation failed. Never holds a password. */
export interface ErrorContext {
  /** What was being done, e.g. `insert order` or `connect`. */
  readonly operation: string
  /** The attempt that failed last (1-based). */
  readonly attempt?: number
  /** Time from the first attempt to the failure, in ms. */
  readonly elapsedMs?: number
  /** Server host. */
  readonly host?: string
  /** Server port. */
  readonly port?: number
  /** Database in use. */
  readonly database?: string
  /** User connected as. */
  readonly user?: string
  /** The statement, if one was running. */
  readonly sql?: string
  /** Anything else the caller adds; keys named password, secret or token are redacted. */
  readonly metadata: Readonly<Record<string, unknown>>
}

/** An error with the context of the operation that failed, printed readably in Vitest's output. */
export class ContextualError extends Error {
  /** The underlying error's code (e.g. `ER_LOCK_DEADLOCK`), or `TEST_RIG_OPERATION_FAILED`. */
  readonly code: string
  /** Where and how it failed. */
  readonly context: ErrorContext
  /** Transient, permanent or unknown, and what to do. */
  readonly classification: Classification

  constructor(cause: unknown, context: ErrorContext) {
    const classification = classifyError(cause)
    const reason = cause instanceof Error ? cause.message : String(cause)
    super(redactUrl(`${context.operation} failed: ${reason}\n${formatContext(context, classification)}`), { cause })
    this.name = 'ContextualError'
    this.code = typeof (cause as { code?: unknown })?.code === 'string' ? (cause as { code: string }).code : 'TEST_RIG_OPERATION_FAILED'
    this.context = context
    this.classification = classification
  }
}

function formatContext(context: ErrorContext, classification: Classification): string {
  const lines: string[] = []
  if (context.attempt !== undefined || context.elapsedMs !== undefined) {
    lines.push(`attempt ${context.attempt ?? 1}${context.elapsedMs === undefined ? '' : `, ${Math.round(context.elapsedMs)} ms after the first`}`)
  }
  if (context.host !== undefined) {
    lines.push(`server ${context.user ? `${context.user}@` : ''}${context.host}${context.port ? `:${context.port}` : ''}${context.database ? `/${context.database}` : ''}`)
  } else if (context.database !== undefined) {
    lines.push(`database ${context.database}`)
  }
  if (context.sql !== undefined) lines.push(`sql ${context.sql.length > 300 ? `${context.sql.slice(0, 300)}…` : context.sql}`)
  for (const [key, value] of Object.entries(context.metadata)) lines.push(`${key} ${typeof value === 'string' ? value : JSON.stringify(value)}`)
  lines.push(`${classification.kind}${classification.code ? ` (${classification.code})` : ''}: ${classification.recovery} — ${classification.why}`)
  return lines.map((line) => `  ${line}`).join('\n')
}

/** Builds an {@link ErrorContext} step by step and wraps errors with it. */
export class ErrorContextBuilder {
  #context: { -readonly [K in keyof ErrorContext]: ErrorContext[K] }

  private constructor(operation: string) {
    this.#context = { operation, metadata: {} }
  }

  /** Starts a context for an operation. */
  static for(operation: string): ErrorContextBuilder {
    return new ErrorContextBuilder(operation)
  }

  /** Sets the attempt number. */
  attempt(attempt: number): this {
    this.#context.attempt = attempt
    return this
  }

  /** Sets the time since the first attempt. */
  elapsed(ms: number): this {
    this.#context.elapsedMs = ms
    return this
  }

  /** Sets the server; only host, port and user are taken, never a password. */
  server(server: { readonly host: string; readonly port?: number; readonly user?: string }): this {
    this.#context.host = server.host
    if (server.port !== undefined) this.#context.port = server.port
    if (server.user !== undefined) this.#context.user = server.user
    return this
  }

  /** Sets the database. */
  database(name: string): this {
    this.#context.database = name
    return this
  }

  /** Sets the statement. */
  sql(text: string): this {
    this.#context.sql = text
    return this
  }

  /** Adds custom metadata. */
  with(key: string, value: unknown): this {
    this.#context.metadata = { ...this.#context.metadata, ...redactConfig({ [key]: value }) }
    return this
  }

  /** The context so far. */
  build(): ErrorContext {
    return { ...this.#context }
  }

  /** Wraps an error with the context. */
  wrap(error: unknown): ContextualError {
    return new ContextualError(error, this.build())
  }
}
