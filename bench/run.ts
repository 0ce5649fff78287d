import { mkdir, writeFile } from 'node:fs/promises'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { benchContainers } from './containers.ts'
import { benchDrivers } from './drivers.ts'
import { benchMachines } from './machines.ts'
import { benchFaults } from './faults.ts'
import { benchForensics } from './forensics.ts'
import { benchFoundation } from './foundation.ts'
import { benchHistory } from './history.ts'
import { benchMariadb } from './mariadb.ts'
import { benchSchema } from './schema.ts'
import { benchServerFaults } from './server-faults.ts'
import { benchSuite } from './suite.ts'
import { benchTidb } from './tidb.ts'

// npm run bench [suite...]: runs the benchmark suites, prints the results and writes them as JSON
// to bench/results/<suite>.json. Every ratio compares against a baseline run in the same process.

const suites: Record<string, () => Promise<Record<string, unknown>>> = {
  foundation: benchFoundation,
  faults: benchFaults,
  drivers: benchDrivers,
  machines: benchMachines,
  containers: benchContainers,
  tidb: benchTidb,
  suite: benchSuite,
  schema: benchSchema,
  forensics: benchForensics,
  history: benchHistory,
  mariadb: benchMariadb,
  'server-faults': benchServerFaults,
}

const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(suites)
const resultsDir = fileURLToPath(new URL('./results', import.meta.url))
await mkdir(resultsDir, { recursive: true })
for (const name of chosen) {
  const suite = suites[name]
  if (!suite) {
    console.error(`unknown suite "${name}"; known: ${Object.keys(suites).join(', ')}`)
    process.exitCode = 1
    continue
  }
  const results = { suite: name, at: new Date().toISOString(), node: process.version, cpus: cpus().length, ...(await suite()) }
  console.log(JSON.stringify(results, null, 2))
  // BENCH_ENGINE=tidb runs write a file of their own, beside the default engine's.
  const file = process.env.BENCH_ENGINE === 'tidb' ? `${name}-tidb.json` : `${name}.json`
  await writeFile(join(resultsDir, file), `${JSON.stringify(results, null, 2)}\n`)
}
