/**
 * Where intercept mode (`faults.intercept = true`) keeps mysql2's own factories on each module
 * it patches, under a registered symbol: the faults layer writes them, and the rig's own
 * connections (admin, dropper, test connections) are made with them, out of the test's faults.
 */
export const mysql2OriginalsKey: unique symbol = Symbol.for('test-rig.mysql2-originals') as never

/** `module` with mysql2's own factories in place of any that intercept mode patched. */
export function unpatched<M extends object>(module: M): M {
  const originals = (module as Record<symbol, unknown>)[mysql2OriginalsKey]
  return originals === undefined ? module : Object.assign(Object.create(module) as M, originals)
}
