import { createRequire, registerHooks } from 'node:module'
import { realpathSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { FaultSource } from './instrument-connection.ts'
import { instrumentedMariadb, type MariadbModule } from './instrument-mariadb.ts'
import { instrumentedMariadbCallback, type MariadbCallbackModule } from './instrument-mariadb-callback.ts'
import type { StatementRecorder } from './mariadb-calls.ts'

/** Where the facade modules find the factories to put in front of the connector's. */
const wrapKey = Symbol.for('test-rig.intercepted-mariadb')

/** The query that marks the facade of one of the connector's entry modules. */
const facadeQuery = '?test-rig-intercepted'

type Wrap = (kind: 'promise' | 'callback', original: Record<string, unknown>) => Record<string, unknown>

/**
 * Intercept mode for the `mariadb` connector (`faults.intercept = true`): the project's own
 * `mariadb` (resolved from `projectRoot`) is, in this worker, a facade of itself whose
 * `createConnection`, `createPool` and `createPoolCluster` — of the promise API and of
 * `mariadb/callback` — put the running test's driver faults in front of what they make, and tell
 * `record()` (the running test's statement log) of the statements. ES modules cannot be changed
 * once loaded, so this is done by a module hook (`module.registerHooks`) before the test file and
 * the app load: an `import` of the connector's ES entry modules — by the app, its ORM, or Prisma's
 * adapter — gets the facade. A CommonJS `require('mariadb')` is not reached. Returns false when the
 * project has no `mariadb`. Idempotent.
 */
export function interceptMariadb(projectRoot: string, source: FaultSource, record: () => StatementRecorder | undefined): boolean {
  const global = globalThis as Record<symbol, unknown>
  if (global[wrapKey] !== undefined) return true
  let entries: ReadonlyMap<string, 'promise' | 'callback'>
  try {
    // The require condition names dist/promise.cjs: the package's folder is two levels up.
    const folder = dirname(dirname(realpathSync(createRequire(join(projectRoot, 'package.json')).resolve('mariadb'))))
    entries = new Map([[pathToFileURL(join(folder, 'promise.js')).href, 'promise'], [pathToFileURL(join(folder, 'callback.js')).href, 'callback']])
  } catch {
    return false
  }
  const recorder: StatementRecorder = (method, sql, params, threadId) => record()?.(method, sql, params, threadId)
  const wrap: Wrap = (kind, original) => kind === 'promise'
    ? (instrumentedMariadb(original as unknown as MariadbModule, source, recorder) as unknown as Record<string, unknown>)
    : (instrumentedMariadbCallback(original as unknown as MariadbCallbackModule, source, recorder) as unknown as Record<string, unknown>)
  global[wrapKey] = wrap
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const resolved = nextResolve(specifier, context)
      // The facade itself imports the real module: that import goes through.
      if (!entries.has(resolved.url) || context.parentURL?.endsWith(facadeQuery)) return resolved
      return { ...resolved, url: `${resolved.url}${facadeQuery}`, format: 'module', shortCircuit: true }
    },
    load(url, context, nextLoad) {
      if (!url.endsWith(facadeQuery)) return nextLoad(url, context)
      const target = url.slice(0, -facadeQuery.length)
      return { format: 'module', source: facadeSource(target, entries.get(target) ?? 'promise'), shortCircuit: true }
    },
  })
  return true
}

/** The facade of one entry module: everything it exports, the three factories in front of the faults. */
function facadeSource(target: string, kind: 'promise' | 'callback'): string {
  const real = JSON.stringify(target)
  return [
    `import * as original from ${real}`,
    `const wrapped = globalThis[Symbol.for('test-rig.intercepted-mariadb')](${JSON.stringify(kind)}, original)`,
    `export * from ${real}`,
    'export const createConnection = wrapped.createConnection',
    'export const createPool = wrapped.createPool',
    'export const createPoolCluster = wrapped.createPoolCluster',
    'export default { ...original.default, createConnection, createPool, createPoolCluster }',
    '',
  ].join('\n')
}
