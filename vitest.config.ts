import { fileURLToPath } from 'node:url'
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config'
import { testRig } from './preset/index.ts'
import { SummaryReporter } from './scripts/summary-reporter.ts'
import { detectContainerRuntime, imagePresent } from './src/server/container/container-runtime.ts'
import { listServerBinaries } from './src/server/discovery.ts'
import { drizzleMigrate, knexMigrate, kyselyMigrate } from './specs/migrations/migrate.ts'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

// Inside this repository `test-rig` resolves to the sources; users get the built package.
const alias = {
  'test-rig/preset': here('./preset/index.ts'),
  'test-rig/containers': here('./src/containers.ts'),
  'test-rig/config': here('./src/config.ts'),
  'test-rig/imports': here('./src/imports.ts'),
  'test-rig/schedules': here('./src/schedules.ts'),
  'test-rig/resilience': here('./src/resilience.ts'),
  'test-rig/machines': here('./src/machines.ts'),
  'test-rig/isolation': here('./src/isolation.ts'),
  'test-rig/toxics': here('./src/toxics.ts'),
  'test-rig/faults': here('./src/faults.ts'),
  'test-rig/servers': here('./src/servers.ts'),
  'test-rig/history': here('./src/history.ts'),
  'test-rig': here('./src/index.ts'),
}

/** The image scripts/build-test-image.sh builds; the container project runs the specs against it. */
export const testImage = 'test-rig/mariadb:bookworm'

/** The image scripts/build-tidb-image.sh builds from the pinned tidb-server; the tidb-container project runs the specs against it. */
export const tidbImage = 'test-rig/tidb:v8.5.6'

/** The specs that run with the preset's defaults; the folders left out run in projects of their own (a schema, rollback mode, migrations, intercept mode). */
const plainSpecs = { include: ['specs/**/*.spec.ts'], exclude: ['specs/schema/**', 'specs/rollback/**', 'specs/migrations/**', 'specs/orm/**', 'specs/prisma/**'] }

/** Prisma's specs: the schema from Prisma's migration SQL files, the adapter's own pools intercepted. */
const prismaRig = { schema: { files: ['../specs/prisma/prisma/migrations'] }, faults: { intercept: true, unfired: 'fail' as const } }
const prismaSpecs = { include: ['specs/prisma/**/*.spec.ts'], globalSetup: ['specs/prisma/generate-client.ts'] }

/** The seed layers of the schema projects. */
const storeSeeds = { customers: 'schema/seed-customers.sql', orders: 'schema/seed-orders.sql' }

export default defineConfig(async () => {
  const projects: TestProjectInlineConfiguration[] = [
    {
      resolve: { alias },
      test: { name: 'unit', include: ['src/**/*.test.ts', 'preset/**/*.test.ts', 'scripts/**/*.test.ts'], testTimeout: 30_000 },
    },
    {
      resolve: { alias },
      plugins: [testRig()],
      test: { name: 'specs', ...plainSpecs },
    },
    {
      // A project that declares a schema: built once into a template, every test gets a copy.
      resolve: { alias },
      plugins: [testRig({ schema: { files: ['schema/store.sql', 'schema/routines.sql'], seeds: storeSeeds } })],
      test: { name: 'schema', include: ['specs/schema/**/*.spec.ts'] },
    },
    // The recipes for a project's own migrations: Knex, Kysely, Drizzle (README "Schema once").
    ...([['knex', knexMigrate], ['kysely', kyselyMigrate], ['drizzle', drizzleMigrate]] as const).map(([tool, migrate]) => ({
      resolve: { alias },
      plugins: [testRig({ migrate, schema: { version: `${tool}-1` } })],
      test: { name: `migrations-${tool}`, include: ['specs/migrations/**/*.spec.ts'] },
    })),
    {
      // Rollback mode: one database per file, each test inside a transaction rolled back after it.
      resolve: { alias },
      plugins: [testRig({ schema: { files: ['schema/store.sql'] }, test: { databaseScope: 'rollback' } })],
      test: { name: 'rollback', include: ['specs/rollback/**/*.spec.ts'] },
    },
    {
      // The app's own mysql2 imports (and the ORMs that load mysql2) get driver faults.
      resolve: { alias },
      plugins: [testRig({ faults: { intercept: true, unfired: 'fail' } })],
      test: { name: 'orm', include: ['specs/orm/**/*.spec.ts'] },
    },
    {
      resolve: { alias },
      plugins: [testRig(prismaRig)],
      test: { name: 'prisma', ...prismaSpecs },
    },
  ]
  const leftOut: string[] = []
  // The same specs against TiDB, run locally from the tidb-server scripts/build-tidb.sh builds.
  const [tidb] = await listServerBinaries({ engine: 'tidb' })
  if (tidb) {
    projects.push({
      resolve: { alias },
      plugins: [testRig({ server: { provider: 'local', engine: 'tidb', binary: tidb.path } })],
      test: { name: 'tidb', ...plainSpecs },
    }, {
      resolve: { alias },
      plugins: [testRig({ server: { provider: 'local', engine: 'tidb', binary: tidb.path }, schema: { files: ['schema/store.sql'], seeds: storeSeeds } })],
      test: { name: 'schema-tidb', include: ['specs/schema/**/*.spec.ts'] },
    }, {
      resolve: { alias },
      plugins: [testRig({ server: { provider: 'local', engine: 'tidb', binary: tidb.path }, schema: { files: ['schema/store.sql'] }, test: { databaseScope: 'rollback' } })],
      test: { name: 'rollback-tidb', include: ['specs/rollback/**/*.spec.ts'] },
    }, {
      resolve: { alias },
      plugins: [testRig({ server: { provider: 'local', engine: 'tidb', binary: tidb.path }, faults: { intercept: true, unfired: 'fail' } })],
      test: { name: 'orm-tidb', include: ['specs/orm/**/*.spec.ts'] },
    }, {
      resolve: { alias },
      plugins: [testRig({ ...prismaRig, server: { provider: 'local', engine: 'tidb', binary: tidb.path } })],
      test: { name: 'prisma-tidb', ...prismaSpecs },
    })
  } else {
    leftOut.push('the tidb project is left out: no tidb-server was found (bash scripts/build-tidb.sh builds it)')
  }
  // The same specs through the container provider, where an engine runs and the images exist.
  const runtime = await detectContainerRuntime()
  const images = runtime.available ? { mariadb: await imagePresent(runtime.endpoint, testImage), tidb: await imagePresent(runtime.endpoint, tidbImage) } : { mariadb: false, tidb: false }
  if (images.mariadb) {
    projects.push({
      resolve: { alias },
      plugins: [testRig({ server: { provider: 'container', engine: 'mariadb', containerImage: testImage } })],
      test: { name: 'containers', ...plainSpecs },
    })
  } else {
    leftOut.push(`the containers project is left out: ${runtime.available ? `${testImage} is not built (bash scripts/build-test-image.sh)` : runtime.reason}`)
  }
  if (images.tidb) {
    projects.push({
      resolve: { alias },
      plugins: [testRig({ server: { provider: 'container', engine: 'tidb', containerImage: tidbImage } })],
      test: { name: 'tidb-container', ...plainSpecs },
    })
  } else {
    leftOut.push(`the tidb-container project is left out: ${runtime.available ? `${tidbImage} is not built (bash scripts/build-tidb-image.sh)` : runtime.reason}`)
  }
  // Vitest evaluates this file more than once per run: say it once.
  const said = Symbol.for('test-rig.projects-left-out')
  const once = globalThis as { [said]?: boolean }
  if (!once[said] && leftOut.length > 0) {
    once[said] = true
    for (const line of leftOut) process.stderr.write(`[test-rig] ${line}\n`)
  }
  return { resolve: { alias }, test: { reporters: ['default', new SummaryReporter()], projects } }
})
