import { isPlainObject } from './settings.ts'

/** What a secret is replaced with in every print. */
export const redacted = '***'

const secretKeys = new Set(['password', 'secret', 'token'])

/** A deep copy with every password (and any key named secret or token) replaced by `***`, fit to print. */
export function redactConfig<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => redactConfig(item)) as T
  if (!isPlainObject(value)) return typeof value === 'string' ? (redactUrl(value) as T) : value
  const copy: Record<string, unknown> = {}
  for (const [key, inner] of Object.entries(value)) {
    copy[key] = secretKeys.has(key.toLowerCase()) && inner !== undefined ? redacted : redactConfig(inner)
  }
  return copy as T
}

/** Replaces the password of a `scheme://user:pass@host` URL with `***`; other text is returned unchanged. */
export function redactUrl(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)([^@\s]*)@/gi, (_, head: string) => `${head}${redacted}@`)
}

/** Removes a known secret from any text (an error message, a log line). */
export function redactSecret(text: string, secret: string | undefined): string {
  if (!secret) return redactUrl(text)
  return redactUrl(text.split(secret).join(redacted))
}
