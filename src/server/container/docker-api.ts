import { request } from 'node:http'
import { homedir } from 'node:os'
import { join } from 'node:path'

/** Where a Docker-compatible runtime listens: a unix socket or a TCP address. */
export type DockerEndpoint = { readonly socketPath: string } | { readonly host: string; readonly port: number }

/** Candidate endpoints in the order Docker's own clients try them: DOCKER_HOST, then the usual sockets. */
export function dockerEndpoints(env: NodeJS.ProcessEnv = process.env): DockerEndpoint[] {
  const fromEnv = env.DOCKER_HOST
  if (fromEnv) {
    if (fromEnv.startsWith('unix://')) return [{ socketPath: fromEnv.slice('unix://'.length) }]
    const tcp = /^tcp:\/\/([^:/]+):(\d+)/.exec(fromEnv)
    if (tcp?.[1] && tcp[2]) return [{ host: tcp[1], port: Number(tcp[2]) }]
  }
  const runtime = env.XDG_RUNTIME_DIR
  return [
    { socketPath: '/var/run/docker.sock' },
    { socketPath: join(homedir(), '.docker', 'run', 'docker.sock') },
    ...(runtime ? [{ socketPath: join(runtime, 'docker.sock') }, { socketPath: join(runtime, 'podman', 'podman.sock') }] : []),
    { socketPath: '/run/podman/podman.sock' },
  ]
}

/** Says where an endpoint is, for messages. */
export function describeEndpoint(endpoint: DockerEndpoint): string {
  return 'socketPath' in endpoint ? endpoint.socketPath : `tcp://${endpoint.host}:${endpoint.port}`
}

/** One call of the Engine API. */
export function dockerRequest(endpoint: DockerEndpoint, method: string, path: string, timeoutMs = 5_000, json?: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = json === undefined ? undefined : JSON.stringify(json)
    const headers = { host: 'docker', ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }) }
    const req = request({ ...endpoint, method, path, timeout: timeoutMs, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer from ${describeEndpoint(endpoint)} within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })))
    req.on('error', reject)
    req.end(payload)
  })
}
