import { findFailpointTidb, findServerBinary } from '../discovery.ts'
import { freePort } from '../free-port.ts'
import { LocalServer, type StartedLocalServer } from './local-server.ts'

/**
 * The failpoint a server for server faults starts with, never disarmed: the test API, which also
 * switches on tikv/client-go's failpoints (and, in the failpoint build, the status port's `/fail/`).
 */
export const baselineFailpoints: ReadonlyMap<string, string> = new Map([
  ['github.com/pingcap/tidb/pkg/server/enableTestAPI', 'return'],
])

/** A local tidb-server whose failpoints a test may arm through `failpoints` (host:port of the failpoint HTTP API). */
export interface FailpointServer {
  /** The server. */
  readonly server: StartedLocalServer
  /** `127.0.0.1:<port>`: the failpoint library's HTTP API (`GO_FAILPOINTS_HTTP`). */
  readonly failpoints: string
  /** Whether it is the failpoint build (TiDB's own failpoints compiled in) or the normal tidb-server. */
  readonly failpointBuild: boolean
}

/**
 * Starts a tidb-server of its own on unistore with its failpoints reachable over HTTP: the failpoint
 * build of `version` when `scripts/build-tidb.sh --failpoints` made one, else the normal binary
 * (`binary`, or the one the local provider finds), where only tikv/client-go's failpoints live.
 * The local provider's watchdog stops it when the process that started it dies.
 */
export async function startFailpointServer(version: string, binary?: string): Promise<FailpointServer> {
  const build = await findFailpointTidb(version)
  const chosen = build ?? (await findServerBinary({ engine: 'tidb', ...(binary === undefined ? {} : { explicit: binary }) }))
  const failpoints = `127.0.0.1:${await freePort()}`
  const environment = {
    GO_FAILPOINTS: [...baselineFailpoints].map(([name, term]) => `${name}=${term}`).join(';'),
    GO_FAILPOINTS_HTTP: failpoints,
  }
  const server = await new LocalServer({ binary: chosen.path, engine: 'tidb', environment }).start()
  return { server, failpoints, failpointBuild: build !== undefined }
}
