/** What the proxy knows of one connection through it, for toxics that pick connections. */
export interface ConnectionFacts {
  /** 1-based order in which the proxy accepted the connection. */
  readonly index: number
  /** The client's port (the app's end of the connection). */
  readonly clientPort: number
  /** The SQL of the first statement the client sent (a query or a prepare), once it has sent one. */
  readonly firstQuery: string | undefined
}

/** Which connections a toxic applies to: the n-th through the proxy (1-based), or those a predicate picks. */
export type ConnectionSelector = number | ((connection: ConnectionFacts) => boolean)

/** Which connections a toxic applies to, and how likely (Toxiproxy's toxicity). */
export interface ToxicScope {
  /** Only this connection, or those this predicate picks (default: every connection). */
  readonly connection?: ConnectionSelector
  /** The chance, from 0 to 1, that the toxic applies to a connection it could apply to; drawn once per connection. Default 1. */
  readonly toxicity?: number
}

/**
 * Whether a toxic with this scope applies to a connection: true or false once decided, undefined
 * while a predicate may still change its mind (it said no before the first query was seen).
 */
export function decideScope(scope: ToxicScope, facts: ConnectionFacts, random: () => number = Math.random): boolean | undefined {
  const { connection, toxicity = 1 } = scope
  const picked = connection === undefined ? true : typeof connection === 'number' ? facts.index === connection : connection(facts)
  if (!picked) return facts.firstQuery === undefined && typeof connection === 'function' ? undefined : false
  return toxicity >= 1 || random() < toxicity
}

/** Checks a scope given by a test, with a message that names the field. */
export function checkScope(scope: ToxicScope): void {
  const { connection, toxicity } = scope
  if (toxicity !== undefined && !(toxicity >= 0 && toxicity <= 1)) throw new RangeError(`toxicity must be a number from 0 to 1 (the chance a connection gets the toxic), got ${String(toxicity)}`)
  if (typeof connection === 'number' && !(Number.isInteger(connection) && connection >= 1)) throw new RangeError(`connection must be a whole number from 1 (the n-th connection through the proxy) or a predicate, got ${String(connection)}`)
}

/** The SQL of a client→server chunk that starts with a query or prepare packet (sequence 0), if it does. */
export function statementIn(chunk: Buffer): string | undefined {
  if (chunk.length < 5 || chunk[3] !== 0) return undefined
  const command = chunk[4]
  // COM_QUERY (3) and COM_STMT_PREPARE (22) carry the SQL right after the command byte.
  if (command !== 0x03 && command !== 0x16) return undefined
  const length = (chunk[0] as number) | ((chunk[1] as number) << 8) | ((chunk[2] as number) << 16)
  return chunk.subarray(5, Math.min(chunk.length, 4 + length)).toString('utf8')
}
