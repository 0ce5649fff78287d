import { FaultController, type ArmedFault } from './fault-controller.ts'
import type { NetworkFaults } from './network-faults.ts'
import { describeSchedule, scheduledError, scheduledMethods, type FaultSchedule } from './schedule.ts'

/**
 * The `faults` fixture: the driver-level controller (fail the next connect or method call) plus
 * `network`, the test's loopback proxy with toxics. Made fresh for every test.
 */
export class Faults extends FaultController {
  #network: NetworkFaults | undefined
  #schedule: ArmedFault | undefined

  /** Network faults through the test's proxy. */
  get network(): NetworkFaults {
    if (!this.#network) throw new TypeError('faults.network is only there inside a test that asks for the faults fixture')
    return this.#network
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
    const armed = this.onCall(() => {
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
  override clear(): void {
    super.clear()
    this.#network?.clear()
  }

  /** What fired at the driver, then what went through the network proxy (when the test used it). */
  override summary(): string {
    const driver = super.summary()
    const stats = this.#network?.stats()
    if (!stats || stats.connections === 0) return driver
    const toxics = stats.toxics.map((toxic) => `${toxic.type} (${toxic.direction}) on ${toxic.appliedToConnections} connection(s)${toxic.active ? '' : ', removed'}`).join('; ')
    return `${driver}\nnetwork: ${stats.connections} connection(s), ${stats.bytesUpstream} bytes up, ${stats.bytesDownstream} bytes down${toxics ? `; toxics: ${toxics}` : ''}`
  }

  /** Attaches the test's network faults (done by the fixture). */
  attachNetwork(network: NetworkFaults): void {
    this.#network = network
  }
}
