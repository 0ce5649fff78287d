import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import mysql from 'mysql2/promise'
import callbackMysql from 'mysql2'
import { GenericContainer, Wait } from 'testcontainers'
import { loadConfig } from '../src/config/load.ts'
import { redactConfig } from '../src/config/redact.ts'
import { FaultController } from '../src/faults/fault-controller.ts'
import { Rig } from '../src/vitest/rig.ts'
import type { RunContext } from '../src/vitest/run-context.ts'
import { WorkerDatabases } from '../src/vitest/worker-databases.ts'
import { pollUntil } from '../src/resilience/poll.ts'
import { ContainerServer } from '../src/server/container/container-server.ts'
import { detectContainerRuntime, imagePresent } from '../src/server/container/container-runtime.ts'
import { newRunId } from '../src/server/database-names.ts'
import { findServerBinary } from '../src/server/discovery.ts'
import { copySparse } from '../src/server/local/copy-sparse.ts'
import { scratchRoot } from '../src/server/local/data-template.ts'
import { LocalServer, type StartedLocalServer } from '../src/server/local/local-server.ts'
import { freePort } from '../src/server/free-port.ts'
import { compareStarts, summarize, timed, type Summary } from './stats.ts'

const tidbImage = 'test-rig/tidb:v8.5.6'

/**
 * TiDB: the local provider's cold start to the first query (fresh: the store is bootstrapped first;
 * from the cached template) against a raw tidb-server spawned on a copied store in the same rounds;
 * the TiDB container start against a raw GenericContainer of the same image; and a test's database
 * (create + connect + drop) on TiDB beside MariaDB.
 */
export async function benchTidb(): Promise<Record<string, unknown>> {
  const binary = await findServerBinary({ engine: 'tidb' }).catch(() => undefined)
  if (!binary) return { skipped: 'no tidb-server (bash scripts/build-tidb.sh)' }
  const root = await scratchRoot(true)
  const templates = join(root, 'test-rig-templates')
  const dropTidbTemplates = async () => {
    for (const name of await readdir(templates).catch(() => [])) if (name.startsWith('tidb-')) await rm(join(templates, name), { recursive: true, force: true })
  }
  const start = () => new LocalServer({ binary: binary.path, engine: 'tidb' }).start()

  // Fresh: no template, so the store is bootstrapped (and kept as the template) first.
  const fresh: number[] = []
  for (let round = 0; round < 5; round++) {
    await dropTidbTemplates()
    let server: StartedLocalServer | undefined
    fresh.push(await timed(async () => { server = await start() }))
    await server?.stop()
  }

  // From the template, against a raw spawn of the same binary on a copy of the same store.
  const template = join(templates, (await readdir(templates)).find((name) => name.startsWith('tidb-')) as string)
  const raw = async () => {
    const dir = await mkdtemp(join(root, 'bench-tidb-'))
    await copySparse(template, join(dir, 'data'))
    const port = await freePort()
    const child = spawn(binary.path, ['-store=unistore', `-path=${join(dir, 'data')}`, '-host=127.0.0.1', `-P=${port}`, `-status=${await freePort()}`, `-socket=${join(dir, 's.sock')}`, `-log-file=${join(dir, 'log')}`, '-L=warn'], { stdio: 'ignore', cwd: dir })
    await pollUntil(async () => {
      const connection = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root' })
      await connection.query('SELECT 1')
      connection.destroy()
    }, { what: 'raw tidb-server', timeoutMs: 60_000, intervalMs: 10 })
    return async () => {
      const exited = once(child, 'exit')
      child.kill('SIGKILL')
      await exited
      await rm(dir, { recursive: true, force: true })
    }
  }
  const provider = async () => {
    const server = await start()
    return () => server.stop()
  }
  const fromTemplate = await compareStarts(7, raw, provider)

  return {
    binary: binary.engine.versionText,
    localColdStartFreshMs: summarize(fresh),
    localColdStartFromTemplate: { ...fromTemplate, baseline: 'raw tidb-server spawned on a copied store until SELECT 1', target: 'candidate p50 <= 2000 ms' },
    testDatabase: {
      tidb: await testDatabaseCost(new LocalServer({ binary: binary.path, engine: 'tidb' })),
      mariadb: await testDatabaseCost(new LocalServer({ engine: 'mariadb' })).catch((error: unknown) => ({ skipped: String(error) })),
    },
    container: await containerStart(),
  }
}

/** A test's database as the fixtures make it: create, connect (the `conn` fixture), drop. */
async function testDatabaseCost(provider: LocalServer): Promise<{ createConnectDropMs: Summary }> {
  await using server = await provider.start()
  const { config } = await loadConfig({ env: {}, ignoreDotenv: true })
  const run: RunContext = { server: server.info, endpoint: server.endpoint, naming: { prefix: 'rig', runId: newRunId() }, config: redactConfig(config), providerReason: 'bench', projectRoot: process.cwd(), fixturesDir: '' }
  await using databases = await WorkerDatabases.open(run, 'bench')
  const times: number[] = []
  for (let i = 0; i < 60; i++) {
    times.push(await timed(async () => {
      const name = await databases.create('t')
      const rig = new Rig(run, name, new FaultController(), callbackMysql)
      await (await rig.connect()).query('SELECT 1')
      await rig.release()
      await databases.drop(name)
    }))
  }
  return { createConnectDropMs: summarize(times.slice(10)) }
}

/** The container provider's TiDB start against a raw GenericContainer of the same image, each until SQL answers. */
async function containerStart(): Promise<Record<string, unknown>> {
  const runtime = await detectContainerRuntime()
  if (!runtime.available || !(await imagePresent(runtime.endpoint, tidbImage))) {
    return { skipped: runtime.available ? `${tidbImage} is not built (bash scripts/build-tidb-image.sh)` : runtime.reason }
  }
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true'
  const raw = async () => {
    const started = await new GenericContainer(tidbImage).withExposedPorts(4000, 10080).withCommand(['--store=unistore', '--path=/tmp/tidb', '-P', '4000', '--status', '10080', '-L', 'warn'])
      .withWaitStrategy(Wait.forHttp('/status', 10080).forStatusCode(200)).start()
    return () => started.stop({ remove: true })
  }
  const provider = async () => {
    const started = await new ContainerServer({ docker: runtime.endpoint, flavor: 'tidb', image: tidbImage }).start()
    return () => started.stop()
  }
  return { image: tidbImage, ...(await compareStarts(5, raw, provider)), baseline: 'GenericContainer of the same image until /status answers' }
}
