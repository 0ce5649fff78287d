import { describeEndpoint, dockerEndpoints, dockerRequest, type DockerEndpoint } from './docker-api.ts'

/** What was found when looking for a container runtime. */
export type RuntimeDetection =
  | { readonly available: true; readonly endpoint: DockerEndpoint; readonly version: string; readonly where: string }
  | { readonly available: false; readonly reason: string }

/**
 * Looks for a Docker-compatible runtime that answers `/_ping` within `timeoutMs` (never hangs when
 * there is none). Tries DOCKER_HOST, then the usual sockets.
 */
export async function detectContainerRuntime(options: { readonly timeoutMs?: number; readonly env?: NodeJS.ProcessEnv } = {}): Promise<RuntimeDetection> {
  const tried: string[] = []
  for (const endpoint of dockerEndpoints(options.env)) {
    try {
      const ping = await dockerRequest(endpoint, 'GET', '/_ping', options.timeoutMs ?? 1_500)
      if (ping.status !== 200) {
        tried.push(`${describeEndpoint(endpoint)} (HTTP ${ping.status})`)
        continue
      }
      const version = await dockerRequest(endpoint, 'GET', '/version', options.timeoutMs ?? 1_500)
      const parsed = JSON.parse(version.body) as { Version?: string }
      return { available: true, endpoint, version: parsed.Version ?? 'unknown', where: describeEndpoint(endpoint) }
    } catch (error) {
      tried.push(`${describeEndpoint(endpoint)} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`)
    }
  }
  // The usual sockets missing is the usual case (no Docker here): say so in few words. A DOCKER_HOST
  // that was set is named whatever went wrong with it.
  const explicit = (options.env ?? process.env).DOCKER_HOST !== undefined
  const failures = explicit ? tried : tried.filter((attempt) => !attempt.endsWith('(ENOENT)'))
  return { available: false, reason: failures.length === 0 ? 'no container runtime (no Docker or Podman socket)' : `no container runtime answered: ${failures.join(', ')}` }
}

/** Whether an image is present in the runtime (no pull). */
export async function imagePresent(endpoint: DockerEndpoint, image: string): Promise<boolean> {
  const { status } = await dockerRequest(endpoint, 'GET', `/images/${encodeURIComponent(image)}/json`)
  return status === 200
}
