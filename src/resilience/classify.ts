import { WaitTimeoutError } from './errors.ts'
import { lookupError, type ErrorKind, type Recovery } from './error-codes.ts'

/** What the rig makes of an error. */
export interface Classification {
  /** Transient (trying again can succeed), permanent, or unknown. */
  readonly kind: ErrorKind
  /** What to do about it. */
  readonly recovery: Recovery
  /** The code that decided it (errno or code name), when there was one. */
  readonly code?: string
  /** One sentence: why. */
  readonly why: string
}

/**
 * Classifies an error from mysql2, Node's network layer, cockatiel or the rig, following its
 * `cause` chain: the first error in the chain with a known code decides.
 */
export function classifyError(error: unknown): Classification {
  for (let current: unknown = error, depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    if (isTaskCancelled(current) || current instanceof WaitTimeoutError) {
      return { kind: 'transient', recovery: 'retry-statement', code: 'TIMEOUT', why: 'The operation timed out; it may succeed when tried again.' }
    }
    const { errno, code } = current as { errno?: unknown; code?: unknown }
    const known = lookupError(typeof errno === 'number' ? errno : undefined, typeof code === 'string' ? code : undefined)
    if (known) return { kind: known.kind, recovery: known.recovery, code: known.errno === undefined ? known.code : `${known.errno} ${known.code}`, why: known.why }
    current = (current as { cause?: unknown }).cause
  }
  return { kind: 'unknown', recovery: 'investigate', why: 'No known error code; not retried.' }
}

/** True when trying again can succeed. */
export function isTransient(error: unknown): boolean {
  return classifyError(error).kind === 'transient'
}

/**
 * Whether an error is cockatiel's TaskCancelledError (a timeout policy's or a cancellation), told by
 * the marker cockatiel sets on it: classification stays free of cockatiel, which test files then
 * load only when they use a policy.
 */
function isTaskCancelled(error: unknown): boolean {
  return error instanceof Error && (error as { isTaskCancelledError?: unknown }).isTaskCancelledError === true
}
