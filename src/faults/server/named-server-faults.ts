/**
 * The named server faults: which of TiDB's failpoints make each one, what the client then sees,
 * and how the rig knows it fired. Failpoints of tikv/client-go (`tikvclient/…`) are live in every
 * tidb-server started with the test API on; TiDB's own (`github.com/pingcap/tidb/…`, unistore's
 * among them) only in the failpoint build (`scripts/build-tidb.sh --failpoints`).
 */

/** A statement as the rig saw it end: enough to tell whether a server fault reached it. */
export interface ObservedStatement {
  /** The SQL sent. */
  readonly sql: string
  /** How long it took, in ms. */
  readonly durationMs: number
  /** The error's number (`errno`), when it failed with a server error. */
  readonly errno: number | undefined
  /** The error's code (`ER_…`, or the driver's own such as `PROTOCOL_CONNECTION_LOST`). */
  readonly code: string | undefined
  /** The error's message. */
  readonly message: string | undefined
}

/** The names of the faults `faults.server` makes. */
export type ServerFaultName =
  | 'pdTimeout'
  | 'tikvTimeout'
  | 'regionUnavailable'
  | 'writeConflict'
  | 'commitFailed'
  | 'commitUndetermined'
  | 'slowCommit'
  | 'slowReads'
  | 'diskFull'

/** One failpoint to arm, with its term. */
export interface FailpointTerm {
  /** The failpoint's full name. */
  readonly name: string
  /** Its term, e.g. `return(true)`. */
  readonly term: string
}

/** How a named fault is made and recognised. */
export interface NamedServerFault {
  /** What the test sees, for descriptions and the failure report. */
  readonly effect: string
  /** The error the client gets: its errno, or the driver's code when the connection closes; none for a slow fault. */
  readonly error?: number | string
  /** Whether the normal tidb-server can make it, or only the failpoint build. */
  readonly build: 'normal' | 'failpoints'
  /**
   * `term`: each firing consumes one count of the failpoint's term (`N*return(…)`), exactly once
   * per statement. `observed`: the server retries inside a statement, so the failpoints stay armed
   * until the rig has seen the fault reach `times` statements, then it disarms them.
   */
  readonly counting: 'term' | 'observed'
  /** The failpoints, for `times` firings (`term` counting) and a delay where the fault has one. */
  readonly failpoints: (times: number, ms: number) => readonly FailpointTerm[]
  /** Whether a statement that ended shows this fault. */
  readonly reached: (statement: ObservedStatement, ms: number) => boolean
  /** The store is left marked unreachable: the rig restores its liveness after the test. */
  readonly needsLiveness?: boolean
  /**
   * The client's retries go without their waits while it is armed (`tikvclient/fastBackoffBySkipSleep`):
   * a fault the client retries gives up in milliseconds instead of the 20 to 40 s of production.
   * Off for the commit faults, whose failed commits leave locks a later write must wait out.
   */
  readonly fastBackoff?: boolean
}

const unistore = 'github.com/pingcap/tidb/pkg/store/mockstore/unistore'
const closedConnection = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE', 'ER_SOCKET_UNEXPECTED_CLOSE', 'ER_CONNECTION_ALREADY_CLOSED'])
const failedWith = (errno: number) => (statement: ObservedStatement) => statement.errno === errno
const isRead = (sql: string) => /^\s*(\/\*.*?\*\/\s*)*(select|with|table)\b/is.test(sql)

/** Every named fault. */
export const namedServerFaults: Readonly<Record<ServerFaultName, NamedServerFault>> = {
  pdTimeout: {
    error: 9001,
    fastBackoff: true,
    effect: 'PD server timeout (9001) on a write: the commit cannot get a timestamp from PD',
    build: 'normal',
    counting: 'observed',
    failpoints: () => [{ name: 'tikvclient/mockGetTSErrorInRetry', term: 'return(true)' }],
    reached: failedWith(9001),
  },
  regionUnavailable: {
    error: 9005,
    fastBackoff: true,
    effect: 'region unavailable (9005) on scans and writes: the store cannot be reached (point reads by key are not hit)',
    build: 'normal',
    counting: 'observed',
    failpoints: () => [{ name: 'tikvclient/rpcFailOnSend', term: 'return(true)' }],
    reached: failedWith(9005),
    needsLiveness: true,
  },
  tikvTimeout: {
    error: 9002,
    fastBackoff: true,
    effect: 'TiKV server timeout (9002) on a read: the store stops answering coprocessor requests',
    build: 'failpoints',
    counting: 'observed',
    failpoints: () => [
      { name: 'github.com/pingcap/tidb/pkg/store/copr/ReduceCopNextMaxBackoff', term: 'return(true)' },
      { name: 'tikvclient/injectLiveness', term: 'return("unreachable")' },
      { name: 'tikvclient/rpcFailOnSend', term: 'return(true)' },
    ],
    reached: failedWith(9002),
    needsLiveness: true,
  },
  writeConflict: {
    error: 9007,
    // Counted by what is seen: TiDB retries an autocommit write that meets it, consuming counts.
    effect: 'write conflict (9007) at prewrite: the commit of an explicit transaction fails and it is rolled back',
    build: 'failpoints',
    counting: 'observed',
    failpoints: () => [{ name: `${unistore}/rpcPrewriteResult`, term: 'return("writeConflict")' }],
    reached: failedWith(9007),
  },
  commitFailed: {
    error: 1105,
    effect: 'the commit fails (1105, "injected failure before commit") after prewrite: the transaction is rolled back',
    build: 'normal',
    counting: 'term',
    failpoints: (times) => [{ name: 'tikvclient/beforeCommit', term: `${times}*return("fail")` }],
    reached: failedWith(1105),
  },
  commitUndetermined: {
    error: 'PROTOCOL_CONNECTION_LOST',
    fastBackoff: true,
    effect: 'the commit result is undetermined: TiDB closes the connection after COMMIT was sent',
    build: 'failpoints',
    counting: 'term',
    failpoints: (times) => [{ name: `${unistore}/rpcCommitTimeout`, term: `${times}*return(true)` }],
    reached: (statement) => statement.code !== undefined && closedConnection.has(statement.code),
    // The undetermined send marks the store unreachable, as a real lost RPC would.
    needsLiveness: true,
  },
  slowCommit: {
    effect: 'the commit is slow: it waits before its commit phase',
    build: 'normal',
    counting: 'term',
    failpoints: (times, ms) => [{ name: 'tikvclient/beforeCommit', term: `${times}*return("delay(${ms})")` }],
    reached: (statement, ms) => statement.errno === undefined && statement.durationMs >= ms * 0.9,
  },
  slowReads: {
    effect: 'reads are slow: each coprocessor request waits',
    build: 'failpoints',
    counting: 'observed',
    failpoints: (_times, ms) => [{ name: `${unistore}/unistoreRPCSlowCop`, term: `return(${ms})` }],
    reached: (statement, ms) => statement.errno === undefined && isRead(statement.sql) && statement.durationMs >= ms * 0.9,
  },
  diskFull: {
    error: 1105,
    fastBackoff: true,
    effect: 'the store\'s disk is full: writes fail (1105, "tikv disk full"), reads go on',
    build: 'failpoints',
    counting: 'observed',
    failpoints: () => [{ name: `${unistore}/rpcTiKVAllowedOnAlmostFull`, term: 'return(true)' }],
    reached: (statement) => statement.errno === 1105 && /disk full/i.test(statement.message ?? ''),
  },
}
