import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { CallbackFactories } from '../faults/driver/instrumented-mysql.ts'

/** A Knex client class: what `knex({ client })` takes besides a client's name. */
type KnexClientClass = new (config: object) => object

/**
 * Knex's own mysql2 client (`knex/lib/dialects/mysql2`, from the project's knex) with `driver` as
 * the mysql2 module it loads: its pool's connections are then the driver's. Knex ships no types
 * for its dialect classes, so the class is typed by shape only.
 */
export async function knexClientOn(projectRoot: string, driver: CallbackFactories): Promise<KnexClientClass> {
  let path: string
  try {
    path = createRequire(join(projectRoot, 'package.json')).resolve('knex/lib/dialects/mysql2/index.js')
  } catch {
    throw new TypeError('rig.knexConfig() needs knex in the project (npm install --save-dev knex); it extends knex\'s own mysql2 client.')
  }
  const loaded = (await import(pathToFileURL(path).href)) as { default: KnexClientClass }
  const Base = loaded.default
  return class RigKnexClient extends Base {
    /** The mysql2 module Knex's client makes its connections with: the rig's, with the test's faults. */
    _driver(): CallbackFactories {
      return driver
    }
  }
}
