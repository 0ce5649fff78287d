import { redacted, redactUrl } from './redact.ts'

/** The shortest piece of a secret that is removed on its own (a password typed half into another field). */
export const shortestFragment = 4

/**
 * The secrets of one run — the password from every source that gave one (flags, environment,
 * `.env`, config file, URL), used or overridden — and the one redaction every echoed value and
 * printed line passes through: each secret is removed wherever it appears, whole or as a piece of
 * {@link shortestFragment} or more characters, and so is the password of any `scheme://user:pass@`
 * URL.
 */
export class Secrets {
  readonly #values: readonly string[]
  /** Every piece of {@link shortestFragment} characters of every secret: a text without one of them holds no fragment. */
  readonly #pieces = new Set<string>()

  constructor(values: Iterable<string | undefined>) {
    // Longest first: a secret that holds another is removed whole.
    this.#values = [...new Set([...values].filter((value): value is string => typeof value === 'string' && value.length > 0))].sort((a, b) => b.length - a.length)
    for (const secret of this.#values) {
      for (let i = 0; i + shortestFragment <= secret.length; i++) this.#pieces.add(secret.slice(i, i + shortestFragment))
    }
  }

  /** No secret known: only URL passwords are removed. */
  static readonly none = new Secrets([])

  /** These secrets and those of `other`. */
  with(other: Secrets | Iterable<string | undefined>): Secrets {
    return new Secrets([...this.#values, ...(other instanceof Secrets ? other.#values : other)])
  }

  /** How many secrets are known. */
  get size(): number {
    return this.#values.length
  }

  /** `text` with every secret (and every piece of one of {@link shortestFragment}+ characters) replaced by `***`. */
  redact(text: string): string {
    let out = redactUrl(text)
    for (const secret of this.#values) {
      if (out.includes(secret)) out = out.split(secret).join(redacted)
    }
    return this.#pieces.size > 0 ? removeFragments(out, this.#values, this.#pieces) : out
  }

  /** A deep copy of `value` with every string redacted (see {@link redact}). */
  redactDeep<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T
    if (Array.isArray(value)) return value.map((item) => this.redactDeep(item)) as T
    if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, this.redactDeep(inner)])) as T
  }
}

/**
 * Replaces every run of `shortestFragment`+ characters of `text` that is a piece of a secret. At
 * each position the longest such run is taken; only where the position starts one of the secrets'
 * `pieces` is it searched for, so a line without a fragment costs one look-up per character.
 */
function removeFragments(text: string, secrets: readonly string[], pieces: ReadonlySet<string>): string {
  let out = ''
  let i = 0
  while (i < text.length) {
    let longest = 0
    for (const secret of pieces.has(text.slice(i, i + shortestFragment)) ? secrets : []) {
      for (let length = Math.min(secret.length, text.length - i); length >= shortestFragment && length > longest; length--) {
        if (secret.includes(text.slice(i, i + length))) {
          longest = length
          break
        }
      }
    }
    if (longest >= shortestFragment) {
      out += redacted
      i += longest
    } else {
      out += text[i]
      i++
    }
  }
  return out
}

/**
 * Passwords written in a config file's text, found without parsing it (a file that does not parse
 * still must not have its password echoed): the values of `password` keys in JSON or TOML, quoted
 * or not, and the passwords of URLs in it.
 */
export function passwordsInText(text: string): string[] {
  const found: string[] = []
  for (const match of text.matchAll(/["']?password["']?\s*[:=]\s*(?:"([^"\n]*)"|'([^'\n]*)'|([^\s,}\]#]+))/gi)) {
    const value = match[1] ?? match[2] ?? match[3]
    if (value) found.push(value)
  }
  for (const match of text.matchAll(/[a-z][a-z0-9+.-]*:\/\/[^:/@\s"']*:([^@\s"']+)@/gi)) {
    const value = match[1]
    if (value) {
      found.push(value)
      try {
        found.push(decodeURIComponent(value))
      } catch {
        // not percent-encoded text: the raw form is enough
      }
    }
  }
  return found
}
