import { hostname } from 'node:os'
import { dockerRequest, type DockerEndpoint } from './docker-api.ts'
import { processAlive } from '../process-alive.ts'

/** Labels the rig puts on every container it starts, so that it can find its own leftovers. */
export const rigLabels = {
  managed: 'io.test-rig.managed',
  ownerPid: 'io.test-rig.owner-pid',
  ownerHost: 'io.test-rig.owner-host',
  reuse: 'io.test-rig.reuse',
} as const

/**
 * The labels for a container started by this process. A reused container outlives its runs, so it
 * carries no owner (Testcontainers' reuse hash includes the labels: they must not change per run).
 */
export function labelsForThisProcess(reuse: boolean): Record<string, string> {
  if (reuse) return { [rigLabels.managed]: 'true', [rigLabels.reuse]: 'true' }
  return {
    [rigLabels.managed]: 'true',
    [rigLabels.ownerPid]: String(process.pid),
    [rigLabels.ownerHost]: hostname(),
    [rigLabels.reuse]: 'false',
  }
}

/** A container the rig started, as the runtime lists it. */
export interface ManagedContainer {
  readonly id: string
  readonly labels: Readonly<Record<string, string>>
  readonly state: string
}

/** Every container carrying the rig's label, running or not. */
export async function listManagedContainers(endpoint: DockerEndpoint): Promise<ManagedContainer[]> {
  const filters = encodeURIComponent(JSON.stringify({ label: [`${rigLabels.managed}=true`] }))
  const { status, body } = await dockerRequest(endpoint, 'GET', `/containers/json?all=1&filters=${filters}`)
  if (status !== 200) throw new Error(`listing containers failed: HTTP ${status} ${body}`)
  return (JSON.parse(body) as { Id: string; Labels: Record<string, string>; State: string }[]).map((c) => ({ id: c.Id, labels: c.Labels ?? {}, state: c.State }))
}

/** Removes a container with its volumes, running or not; a container already gone is fine. */
export async function removeContainer(endpoint: DockerEndpoint, id: string): Promise<void> {
  const { status, body } = await dockerRequest(endpoint, 'DELETE', `/containers/${encodeURIComponent(id)}?force=1&v=1`, 30_000)
  if (status !== 204 && status !== 404 && status !== 409) throw new Error(`removing container ${id.slice(0, 12)} failed: HTTP ${status} ${body}`)
}

/**
 * The containers of earlier runs on this host whose owner process is gone (killed with SIGKILL, say):
 * leftovers to remove. Reused containers are kept; so are those of runs still alive.
 */
export function orphans(containers: readonly ManagedContainer[], isAlive: (pid: number) => boolean, host = hostname()): ManagedContainer[] {
  return containers.filter((c) => {
    if (c.labels[rigLabels.reuse] === 'true' || c.labels[rigLabels.ownerHost] !== host) return false
    const pid = Number(c.labels[rigLabels.ownerPid])
    return !Number.isInteger(pid) || pid <= 0 || !isAlive(pid)
  })
}

/** Removes the rig's leftover containers of dead runs on this host; returns how many. */
export async function sweepOrphanedContainers(endpoint: DockerEndpoint): Promise<number> {
  const leftovers = orphans(await listManagedContainers(endpoint), processAlive)
  await Promise.all(leftovers.map((container) => removeContainer(endpoint, container.id)))
  return leftovers.length
}
