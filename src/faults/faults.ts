import { FaultController } from './fault-controller.ts'
import type { NetworkFaults } from './network-faults.ts'

/**
 * The `faults` fixture: the driver-level controller (fail the next connect or method call) plus
 * `network`, the test's loopback proxy with toxics. Made fresh for every test.
 */
export class Faults extends FaultController {
  #network: NetworkFaults | undefined

  /** Network faults through the test's proxy. */
  get network(): NetworkFaults {
    if (!this.#network) throw new TypeError('faults.network is only there inside a test that asks for the faults fixture')
    return this.#network
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
