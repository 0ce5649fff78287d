import { ServerFaultsUnavailableError } from '../errors.ts'
import type { FailpointClient } from './failpoint-client.ts'
import { namedServerFaults, type FailpointTerm, type ObservedStatement, type ServerFaultName } from './named-server-faults.ts'

/** The failpoint that lets tikv/client-go retry without waiting. */
const fastBackoff = 'tikvclient/fastBackoffBySkipSleep'

/** How often and how long a server fault is armed. */
export interface ServerFaultOptions {
  /** How many statements it reaches before the rig disarms it (default 1). */
  readonly times?: number
  /** Armed for this long instead (ms), however many statements it reaches; `times` then counts nothing. */
  readonly forMs?: number
}

/** A slow fault's options: the delay too. */
export interface SlowServerFaultOptions extends ServerFaultOptions {
  /** The delay in ms (default 500). */
  readonly ms?: number
}

/** A server fault armed in a test. */
export interface ArmedServerFault {
  /** What it is, e.g. `pdTimeout (once)`. */
  readonly description: string
  /** The statements it has reached so far (unknown for a raw failpoint: always 0). */
  readonly firedCount: number
  /** Whether it can still fire. */
  readonly active: boolean
  /** Disarms it now; resolves when the server no longer shows it (a store it left unreachable answers again). */
  disarm(): Promise<void>
}

/** What the rig gives `ServerFaults`: the failpoint endpoint, the build, and how to heal the server after a test. */
export interface ServerFaultsHost {
  /** The server's failpoint endpoint. */
  readonly client: FailpointClient
  /** Whether TiDB's own failpoints are compiled in. */
  readonly failpointBuild: boolean
  /** The failpoints the server was started with, never disarmed. */
  readonly baseline: ReadonlySet<string>
  /** Waits until a read succeeds again after the store was marked unreachable. */
  readonly restoreLiveness: () => Promise<void>
}

interface Armed extends ArmedServerFault {
  readonly name: ServerFaultName | 'failpoint'
  readonly points: readonly FailpointTerm[]
  readonly times: number
  readonly counted: boolean
  readonly observe: (statement: ObservedStatement) => void
}

/**
 * `faults.server`: faults inside the test's own TiDB server, made by TiDB's failpoints. Each named
 * fault arms the failpoints that make it and counts the statements it reaches; `clear()` (the
 * test's end) disarms everything and brings the server back to health.
 */
export class ServerFaults {
  readonly #host: ServerFaultsHost
  readonly #armed: Armed[] = []
  #pending: Promise<unknown>[] = []
  #needsLiveness = false
  #fastBackoffUsers = 0

  constructor(host: ServerFaultsHost) {
    this.#host = host
  }

  /**
   * `failpoints` when the test's server is the failpoint build (every named fault works), `normal`
   * when it is the normal tidb-server (pdTimeout, regionUnavailable, commitFailed, slowCommit and
   * raw `tikvclient/…` failpoints work; the others throw, saying how to build it).
   */
  get build(): 'failpoints' | 'normal' {
    return this.#host.failpointBuild ? 'failpoints' : 'normal'
  }

  /** Whether `name` can be made on this test's server (see {@link build}). */
  supports(name: ServerFaultName): boolean {
    return this.#host.failpointBuild || namedServerFaults[name].build === 'normal'
  }

  /** PD server timeout (9001) on writes: the commit cannot get a timestamp. Normal build. */
  pdTimeout(options?: ServerFaultOptions): Promise<ArmedServerFault> {
    return this.#arm('pdTimeout', options)
  }

  /** TiKV server timeout (9002) on reads through the coprocessor (scans; point reads get 9005). Failpoint build. */
  tikvTimeout(options?: ServerFaultOptions): Promise<ArmedServerFault> {
    return this.#arm('tikvTimeout', options)
  }

  /** Region unavailable (9005) on scans and writes of the test's sessions (point reads by key are not hit). Normal build. */
  regionUnavailable(options?: ServerFaultOptions): Promise<ArmedServerFault> {
    return this.#arm('regionUnavailable', options)
  }

  /** Write conflict (9007) at prewrite: the next explicit transaction's COMMIT fails (TiDB retries autocommit writes). Failpoint build. */
  writeConflict(options?: ServerFaultOptions): Promise<ArmedServerFault> {
    return this.#arm('writeConflict', options)
  }

  /** The next commit fails after prewrite (1105) and the transaction is rolled back. Normal build. */
  commitFailed(options?: ServerFaultOptions): Promise<ArmedServerFault> {
    return this.#arm('commitFailed', options)
  }

  /** The next commit's result is undetermined: TiDB closes the connection after COMMIT was sent. Failpoint build. */
  commitUndetermined(options?: ServerFaultOptions): Promise<ArmedServerFault> {
    return this.#arm('commitUndetermined', options)
  }

  /** The next commit waits `ms` (default 500) before its commit phase. Normal build. */
  slowCommit(options?: SlowServerFaultOptions): Promise<ArmedServerFault> {
    return this.#arm('slowCommit', options)
  }

  /** Reads wait `ms` (default 500) per coprocessor request. Failpoint build. */
  slowReads(options?: SlowServerFaultOptions): Promise<ArmedServerFault> {
    return this.#arm('slowReads', options)
  }

  /** The store's disk is full: writes fail. Failpoint build. */
  diskFull(options?: ServerFaultOptions): Promise<ArmedServerFault> {
    return this.#arm('diskFull', options)
  }

  /**
   * Arms any failpoint of TiDB or tikv/client-go with a raw term (`return(true)`, `2*return("x")`,
   * `sleep(100)`, `50%return(1)`), until `forMs` has passed, the test disarms it, or the test ends.
   * The rig cannot see whether it fired: it is never reported as unfired.
   */
  async failpoint(name: string, term: string, options: Pick<ServerFaultOptions, 'forMs'> = {}): Promise<ArmedServerFault> {
    if (!name.startsWith('tikvclient/') && !this.#host.failpointBuild) throw this.#needsBuild(`failpoint ${name}`)
    // A fault disarmed a moment ago may still be healing the store: this one comes after it.
    await Promise.allSettled(this.#pending)
    await this.#host.client.arm(name, term)
    // A raw failpoint may be the one that marks the store unreachable: the rig restores it anyway.
    const heal = /rpcFailOnSend|injectLiveness|rpcCommitTimeout|rpcPrewriteTimeout/.test(name)
    return this.#remember('failpoint', `failpoint ${name}=${term}`, [{ name, term }], 1, false, () => false, options.forMs, heal)
  }

  /** Faults armed in this test that reached no statement (raw failpoints are not counted). */
  unfired(): string[] {
    return this.#armed.filter((fault) => fault.counted && fault.firedCount === 0).map((fault) => `server fault ${fault.description}: no statement met it`)
  }

  /** One line per fault armed in this test; empty when none was. */
  summary(): string {
    return this.#armed.map((fault) => `server: ${fault.description}${fault.counted ? `: reached ${fault.firedCount} statement(s)` : ''}${fault.active ? '' : ', disarmed'}`).join('\n')
  }

  /** Waits until every disarm asked for so far is done (and a store a fault left unreachable answers again). */
  async settled(): Promise<void> {
    await Promise.all(this.#pending)
  }

  /** Whether a fault was armed in this test. */
  get used(): boolean {
    return this.#armed.length > 0
  }

  /** Hears every statement of the test that ended: counts the faults it shows, and disarms a fault that reached its count. */
  observe(statement: ObservedStatement): void {
    for (const fault of this.#armed) if (fault.active) fault.observe(statement)
  }

  /**
   * Disarms every failpoint armed since the server started (the baseline stays) and restores the
   * store's liveness when a fault had marked it unreachable: the next test meets a healthy server.
   */
  async clear(): Promise<void> {
    for (const fault of this.#armed) if (fault.active) void fault.disarm()
    const disarms = await Promise.allSettled(this.#pending)
    this.#pending = []
    this.#fastBackoffUsers = 0
    const { client, baseline } = this.#host
    const left = [...(await client.list()).keys()].filter((name) => !baseline.has(name))
    await Promise.all(left.map((name) => client.disarm(name)))
    if (this.#needsLiveness) {
      this.#needsLiveness = false
      await this.#host.restoreLiveness()
    }
    // Everything was tried; a disarm that failed (a store that never came back) fails the test.
    const failed = disarms.find((result) => result.status === 'rejected')
    if (failed) throw failed.reason
  }

  async #arm(name: ServerFaultName, options: SlowServerFaultOptions = {}): Promise<ArmedServerFault> {
    const fault = namedServerFaults[name]
    if (fault.build === 'failpoints' && !this.#host.failpointBuild) throw this.#needsBuild(`faults.server.${name}()`)
    const times = options.forMs === undefined ? Math.max(1, Math.floor(options.times ?? 1)) : Number.POSITIVE_INFINITY
    const ms = Math.max(1, Math.floor(options.ms ?? 500))
    // A term-counted fault inside a window is armed without a count: the window ends it.
    const points = fault.failpoints(fault.counting === 'term' && Number.isFinite(times) ? times : 1_000_000, ms)
    // A fault disarmed a moment ago may still be healing the store: this one comes after it.
    await Promise.allSettled(this.#pending)
    if (fault.fastBackoff && this.#fastBackoffUsers++ === 0) await this.#host.client.arm(fastBackoff, 'return')
    for (const point of points) await this.#host.client.arm(point.name, point.term)
    const label = options.forMs !== undefined ? `for ${options.forMs} ms` : times === 1 ? 'once' : `${times} times`
    const disarmed = fault.fastBackoff ? () => (--this.#fastBackoffUsers === 0 ? this.#host.client.disarm(fastBackoff) : Promise.resolve()) : undefined
    return this.#remember(name, `${name} (${label}; ${fault.effect})`, points, times, true, (statement) => fault.reached(statement, ms), options.forMs, fault.needsLiveness === true, disarmed)
  }

  #remember(name: ServerFaultName | 'failpoint', description: string, points: readonly FailpointTerm[], times: number, counted: boolean, reached: (statement: ObservedStatement) => boolean, forMs: number | undefined, heal: boolean, afterDisarm?: () => Promise<void>): ArmedServerFault {
    const client = this.#host.client
    let fired = 0
    let active = true
    let timer: NodeJS.Timeout | undefined
    let disarmed: Promise<void> | undefined
    if (heal) this.#needsLiveness = true
    const disarm = (): Promise<void> => {
      if (disarmed) return disarmed
      active = false
      clearTimeout(timer)
      // Sent at once: the next statement of the test should not meet it. A store the fault left
      // unreachable is brought back right after (about a second), as a real store comes back.
      disarmed = Promise.all(points.map((point) => client.disarm(point.name)))
        .then(() => afterDisarm?.())
        .then(() => (heal ? this.#host.restoreLiveness() : undefined))
      this.#pending.push(disarmed)
      // Its failure is raised by settled() or at the test's end (clear()), not as an unhandled rejection.
      disarmed.catch(() => {})
      return disarmed
    }
    const armed: Armed = {
      name, points, times, counted, description,
      get firedCount() { return fired },
      get active() { return active },
      disarm,
      observe: (statement) => {
        if (!reached(statement)) return
        fired++
        if (fired >= times) void disarm()
      },
    }
    if (forMs !== undefined) {
      timer = setTimeout(() => void disarm(), forMs)
      timer.unref()
    }
    this.#armed.push(armed)
    return armed
  }

  #needsBuild(what: string): ServerFaultsUnavailableError {
    return new ServerFaultsUnavailableError(`${what} needs TiDB's failpoint build, and the test's server is the normal tidb-server.\nFix: build it once with "bash scripts/build-tidb.sh --failpoints" (cached beside the normal build, ~5 min with a warm Go cache); the rig then uses it for tests tagged server-faults.`)
  }
}
