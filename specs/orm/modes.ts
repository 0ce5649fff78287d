import { expect, type Faults, type Rig } from 'test-rig'

/**
 * The two ways an app's mysql2 gets the test's faults: intercepted (the app and its ORM load
 * mysql2 themselves; the project runs with faults.intercept = true), or injected (the app is
 * handed the rig's factories).
 */
export const callbackModes = [
  ['intercepted: the app loads mysql2 itself', (): undefined => undefined],
  ["injected: the app is given rig.mysql.callback", (rig: Rig) => rig.mysql.callback],
] as const

/** The same for apps on mysql2's promise API (rig.mysql). */
export const promiseModes = [
  ['intercepted: the app loads mysql2/promise itself', (): undefined => undefined],
  ['injected: the app is given rig.mysql', (rig: Rig) => rig.mysql],
] as const

const connectionCodes = ['ECONNRESET', 'PROTOCOL_CONNECTION_LOST', 'EPIPE']

/** The mysql2 error inside an ORM's error (`cause`, `original`, `parent`, `driverError`), or the error itself. */
export function driverErrorOf(error: unknown): { code?: string; errno?: number } | undefined {
  let current = error as Record<string, unknown> | undefined
  for (let depth = 0; depth < 4 && current; depth++) {
    if (typeof current.code === 'string' && (typeof current.errno === 'number' || connectionCodes.includes(current.code))) return current as { code?: string }
    current = (current.cause ?? current.original ?? current.parent ?? current.driverError) as Record<string, unknown> | undefined
  }
  return undefined
}

/** Whether the error (or the driver error inside it) is a lost connection: what a network reset leaves. */
export function isLostConnection(error: unknown): boolean {
  return connectionCodes.includes(driverErrorOf(error)?.code ?? '')
}

/** An app store as the network-reset case needs it. */
interface Store {
  setup(): Promise<unknown>
  count(): Promise<unknown>
}

/**
 * The network-reset case every ORM spec runs: with the store's pool connected through the proxy,
 * a reset fails its next query with a lost connection; once the reset is removed the pool
 * reconnects and the store works again.
 */
export async function expectReconnectAfterReset(orders: Store, network: Faults['network']): Promise<void> {
  await orders.setup()
  const cut = network.reset()
  await expect(orders.count()).rejects.toSatisfy(isLostConnection)
  cut.remove()
  expect(Number(await orders.count())).toBe(0)
}
