import type { ArmedFault, ArmOptions, ConnectCall, FaultableMethod, FaultController, FaultDecider, FaultPoint, FiredFault, MethodCall } from './fault-controller.ts'
import type { NetworkFaults } from './network-faults.ts'
import { ServerFaultsUnavailableError } from './errors.ts'
import type { ServerFaults } from './server/server-faults.ts'
import { describeSchedule, scheduledError, scheduledMethods, type FaultSchedule } from './schedule.ts'

/**
 * The `faults` fixture, built from its two parts: `driver`, the test's fault controller (the one
 * every connection the rig hands out consults), and `network`, the test's loopback proxy with
 * toxics, and `server`, faults inside a TiDB server of the test's own. Made fresh for every test;
 * the driver methods are here too (`faults.failNext(…)`).
 */
export class Faults {
  /** Driver-level faults: connects and method calls of mysql2. */
  readonly driver: FaultController
  /** Network faults through the test's proxy. */
  readonly network: NetworkFaults
  #schedule: ArmedFault | undefined
  readonly #server: ServerFaults | string

  /** `server` is the test's server faults, or why it has none (raised when the test reaches for them). */
  constructor(driver: FaultController, network: NetworkFaults, server: ServerFaults | string = 'faults.server is not available here') {
    this.driver = driver
    this.network = network
    this.#server = server
  }

  /**
   * Faults inside TiDB itself, made by its failpoints (PD and TiKV timeouts, region unavailable,
   * write conflicts, failed, undetermined and slow commits, slow reads, a full disk, any raw
   * failpoint). Only in tests tagged `server-faults` on a TiDB run: they get a server of their
   * worker's own. Elsewhere reading it throws {@link ServerFaultsUnavailableError} saying why.
   */
  get server(): ServerFaults {
    if (typeof this.#server === 'string') throw new ServerFaultsUnavailableError(this.#server)
    return this.#server
  }

  /** Fails the next connect (`times` for more) with `error` (default: an InjectedFaultError). */
  failNextConnect(error?: Error | string, options: Omit<ArmOptions, 'when'> = {}): ArmedFault {
    return this.driver.failNextConnect(error, options)
  }

  /** Fails the next call of `method` (`times` for more, `when` to match SQL) with `error`. */
  failNext(method: FaultableMethod, error?: Error | string, options: ArmOptions = {}): ArmedFault {
    return this.driver.failNext(method, error, options)
  }

  /** Asks `decide` on every connect until disarmed or cleared; it returns an error to raise or nothing. */
  onConnect(decide: FaultDecider<ConnectCall>): ArmedFault {
    return this.driver.onConnect(decide)
  }

  /** Asks `decide` on every call of the given methods (default: all) until disarmed or cleared. */
  onCall(decide: FaultDecider<MethodCall>, methods?: readonly FaultableMethod[]): ArmedFault {
    return this.driver.onCall(decide, methods)
  }

  /**
   * Arms a schedule: counting every statement sent from now on (query, execute, begin, commit,
   * rollback, on every connection the test's faults reach), the n-th meets the fault placed on n.
   * A driver fault raises its error; `networkReset` resets every connection open through
   * `faults.network` at that moment and lets the call meet the cut. Arming a new schedule (or
   * `clear()`) ends the previous one.
   */
  schedule(schedule: FaultSchedule): ArmedFault {
    this.#schedule?.disarm()
    const description = `schedule (${describeSchedule(schedule)})`
    // Nothing to fire: nothing armed, so nothing to report as unfired either.
    if (schedule.faults.length === 0) return { description, firedCount: 0, active: false, disarm() {} }
    const byCall = new Map(schedule.faults.map((fault) => [fault.call, fault.kind]))
    let calls = 0
    const armed = this.driver.onCall(() => {
      const kind = byCall.get(++calls)
      if (kind === undefined) return undefined
      if (kind !== 'networkReset') return scheduledError(kind)
      this.network.proxy.resetConnections()
      return undefined
    }, scheduledMethods, description)
    this.#schedule = armed
    return armed
  }

  /** Disarms every driver fault and removes every network toxic (what fired stays recorded). */
  clear(): void {
    this.driver.clear()
    this.network.clear()
  }

  /** Every driver fault that fired, in order. */
  get fired(): readonly FiredFault[] {
    return this.driver.fired
  }

  /** How many times driver faults fired at a point (all points when omitted). */
  firedCount(point?: FaultPoint): number {
    return this.driver.firedCount(point)
  }

  /** What was armed in this test and never fired, driver faults, toxics and server faults alike, described. */
  unfired(): string[] {
    return [...this.driver.unfired().map((fault) => fault.description), ...this.network.unfired(), ...(typeof this.#server === 'string' ? [] : this.#server.unfired())]
  }

  /** What fired at the driver, then what went through the network proxy (when the test used it). */
  summary(): string {
    const lines = [this.driver.summary()]
    const stats = this.network.stats()
    if (stats.connections > 0) {
      const toxics = stats.toxics.map((toxic) => `${toxic.type} (${toxic.direction}) on ${toxic.appliedToConnections} connection(s)${toxic.active ? '' : ', removed'}`).join('; ')
      lines.push(`network: ${stats.connections} connection(s), ${stats.bytesUpstream} bytes up, ${stats.bytesDownstream} bytes down${toxics ? `; toxics: ${toxics}` : ''}`)
    }
    const server = typeof this.#server === 'string' ? '' : this.#server.summary()
    if (server) lines.push(server)
    return lines.join('\n')
  }
}
