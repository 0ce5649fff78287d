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

  /** Attaches the test's network faults (done by the fixture). */
  attachNetwork(network: NetworkFaults): void {
    this.#network = network
  }
}
