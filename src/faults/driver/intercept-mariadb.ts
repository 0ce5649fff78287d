import { registerHooks } from 'node:module'
import type { FaultSource } from './instrument-connection.ts'
import { instrumentedMariadb, type MariadbModule } from './instrument-mariadb.ts'
import { instrumentedMariadbCallback, type MariadbCallbackModule } from './instrument-mariadb-callback.ts'
import type { StatementRecorder } from './mariadb-calls.ts'

/** Where the facade modules find the factories to put in front of the connector's. */
const wrapKey = Symbol.for('test-rig.intercepted-mariadb')

/** The query that marks the facade of one of the connector's entry modules. */
const facadeQuery = '?test-rig-intercepted'

type Wrap = (kind: 'promise' | 'callback', original: Record<string, unknown>) => Record<string, unknown>

/** The connector's ES entry modules, in any copy of the package (a project's own, one nested under Prisma's adapter, pnpm's store). */
const entryModule = /\/node_modules\/mariadb\/(?:promise|callback)\.js$/

/**
 * Intercept mode for the `mariadb` connector (`faults.intercept = true`): every copy of `mariadb`
 * loaded in this worker (the project's own, or one nested under a package such as Prisma's
 * adapter) is a facade of itself whose `createConnection`, `createPool` and `createPoolCluster` —
 * of the promise API and of `mariadb/callback` — put the running test's driver faults in front of
 * what they make, and tell `record()` (the running test's statement log) of the statements. ES
 * modules cannot be changed once loaded, so this is done by a module hook (`module.registerHooks`)
 * before the test file and the app load: an `import` of the connector's ES entry modules — by the
 * app, its ORM, or Prisma's adapter — gets the facade (the connector's 3.4 releases, CommonJS,
 * included). A CommonJS `require('mariadb')` is not reached. Idempotent.
 */
export function interceptMariadb(source: FaultSource, record: () => StatementRecorder | undefined): void {
  const global = globalThis as Record<symbol, unknown>
  if (global[wrapKey] !== undefined) return
  const recorder: StatementRecorder = (method, sql, params, threadId) => record()?.(method, sql, params, threadId)
  const wrap: Wrap = (kind, original) => kind === 'promise'
    ? (instrumentedMariadb(original as unknown as MariadbModule, source, recorder) as unknown as Record<string, unknown>)
    : (instrumentedMariadbCallback(original as unknown as MariadbCallbackModule, source, recorder) as unknown as Record<string, unknown>)
  global[wrapKey] = wrap
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const resolved = nextResolve(specifier, context)
      // The facade itself imports the real module: that import goes through. So does a require().
      if (!entryModule.test(resolved.url) || context.parentURL?.endsWith(facadeQuery) || !context.conditions.includes('import')) return resolved
      return { ...resolved, url: `${resolved.url}${facadeQuery}`, format: 'module', shortCircuit: true }
    },
    load(url, context, nextLoad) {
      if (!url.endsWith(facadeQuery)) return nextLoad(url, context)
      const target = url.slice(0, -facadeQuery.length)
      return { format: 'module', source: facadeSource(target, target.endsWith('/callback.js') ? 'callback' : 'promise'), shortCircuit: true }
    },
  })
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
