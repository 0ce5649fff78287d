import mysql from 'mysql2/promise'
import { findFailpointTidb, findServerBinary } from '../src/server/discovery.ts'
import { startFailpointServer } from '../src/server/local/failpoint-server.ts'
import { LocalServer, type StartedLocalServer } from '../src/server/local/local-server.ts'
import type { ServerEndpoint } from '../src/server/types.ts'
import { compareMany, compareStarts, round3 } from './stats.ts'

/**
 * Server faults: what a test tagged server-faults costs. (1) A test suite's statements with nothing
 * armed on three servers in rotating rounds — the normal tidb-server as the run starts it (baseline),
 * the same binary with TiDB's test API on (what a server-fault test gets without the failpoint
 * build), and the failpoint build with the test API on. (2) The worker's own server's start, to the
 * first query, against the run's normal local start in alternating rounds: the extra cost of the
 * first server-fault test of a worker.
 */
export async function benchServerFaults(): Promise<Record<string, unknown>> {
  const normal = await findServerBinary({ engine: 'tidb' }).catch(() => undefined)
  if (!normal) return { skipped: 'no tidb-server (bash scripts/build-tidb.sh)' }
  const build = await findFailpointTidb(normal.engine.version)
  if (!build) return { skipped: 'no failpoint build (bash scripts/build-tidb.sh --failpoints)' }
  const rounds = Number(process.env.BENCH_ROUNDS ?? 15)
  const tests = 40

  const servers: StartedLocalServer[] = []
  try {
    const plain = await new LocalServer({ binary: normal.path, engine: 'tidb' }).start()
    servers.push(plain)
    const testApi = (await startFailpointServerWith(normal.path)).server
    servers.push(testApi)
    const failpoints = (await startFailpointServer(normal.engine.version)).server
    servers.push(failpoints)
    const suite = (endpoint: ServerEndpoint) => () => runSuite(endpoint, tests)
    // Warm each once (plans, region cache) before the clock runs.
    for (const server of servers) await suite(server.endpoint)()
    const compared = await compareMany(rounds, suite(plain.endpoint), { normalWithTestApi: suite(testApi.endpoint), failpointBuild: suite(failpoints.endpoint) })

    const starts = await compareStarts(Math.max(4, Math.round(rounds / 3)),
      async () => { const server = await new LocalServer({ binary: normal.path, engine: 'tidb' }).start(); return () => server.stop() },
      async () => { const { server } = await startFailpointServer(normal.engine.version); return () => server.stop() })
    return {
      rounds,
      testsPerRound: tests,
      suiteNothingArmed: {
        baselineMs: compared.failpointBuild.baselineMs,
        normalWithTestApiMs: compared.normalWithTestApi.candidateMs,
        failpointBuildMs: compared.failpointBuild.candidateMs,
        ratioFailpointBuild: compared.failpointBuild.ratio,
        pairedRatioFailpointBuild: compared.failpointBuild.pairedRatio,
        ratioNormalWithTestApi: compared.normalWithTestApi.ratio,
        pairedRatioNormalWithTestApi: compared.normalWithTestApi.pairedRatio,
      },
      ownServerStart: { runServerStartMs: starts.baselineMs, ownServerStartMs: starts.candidateMs, ratio: round3(starts.ratio) },
      note: `suite: ${tests} tests' statements a round (a database each: create, a table, 10 rows, reads, an update in a transaction, commit, drop), rounds rotating the three servers. ownServerStart: the failpoint build started as a worker starts it (from its bootstrapped store template, test API and failpoint HTTP on), to the first query, against the run's normal local start, alternating; a worker's first server-fault test also copies the schema template over (not counted here)`,
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop()))
  }
}

/** The normal binary started the way server-fault tests start it (the test API and failpoint HTTP on). */
async function startFailpointServerWith(binary: string): Promise<{ server: StartedLocalServer }> {
  const { freePort } = await import('../src/server/free-port.ts')
  const environment = { GO_FAILPOINTS: 'github.com/pingcap/tidb/pkg/server/enableTestAPI=return', GO_FAILPOINTS_HTTP: `127.0.0.1:${await freePort()}` }
  return { server: await new LocalServer({ binary, engine: 'tidb', environment }).start() }
}

/** The statements of `tests` small tests, one after another, each in a database of its own. */
async function runSuite(endpoint: ServerEndpoint, tests: number): Promise<void> {
  const connection = await mysql.createConnection({ host: endpoint.host, port: endpoint.port, user: endpoint.user, password: endpoint.password ?? '', multipleStatements: false })
  try {
    for (let i = 0; i < tests; i++) {
      const name = `bench_sf_${i}`
      await connection.query(`CREATE DATABASE ${name}`)
      await connection.query(`USE ${name}`)
      await connection.query('CREATE TABLE stock (id INT PRIMARY KEY, qty INT, note VARCHAR(40))')
      await connection.query('INSERT INTO stock VALUES ' + Array.from({ length: 10 }, (_, k) => `(${k}, ${k * 10}, 'n${k}')`).join(', '))
      await connection.query('SELECT * FROM stock WHERE qty > 20')
      await connection.query('SELECT qty FROM stock WHERE id = 3')
      await connection.query('BEGIN')
      await connection.query('UPDATE stock SET qty = qty - 1 WHERE id = 3')
      await connection.query('COMMIT')
      await connection.query(`DROP DATABASE ${name}`)
    }
  } finally {
    await connection.end()
  }
}
