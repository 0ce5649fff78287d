import { createServer, type Server } from 'node:http'
import { createServer as createNetServer } from 'node:net'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { detectContainerRuntime } from './container-runtime.ts'
import { orphans, rigLabels, type ManagedContainer } from './labels.ts'

let folder: string
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rig-engine-'))
})
afterEach(async () => {
  await rm(folder, { recursive: true, force: true })
})

function listen(server: Server | ReturnType<typeof createNetServer>, path: string): Promise<void> {
  return new Promise((resolve) => server.listen(path, resolve))
}

describe('detectContainerRuntime', () => {
  test('finds an engine that answers /_ping on DOCKER_HOST', async () => {
    const socket = join(folder, 'engine.sock')
    const engine = createServer((req, res) => res.end(req.url === '/version' ? JSON.stringify({ Version: '99.0' }) : 'OK'))
    await listen(engine, socket)
    try {
      expect(await detectContainerRuntime({ env: { DOCKER_HOST: `unix://${socket}` } })).toMatchObject({ available: true, version: '99.0', where: socket })
    } finally {
      engine.close()
    }
  })

  test('says why when nothing listens', async () => {
    const result = await detectContainerRuntime({ env: { DOCKER_HOST: `unix://${join(folder, 'none.sock')}` } })
    expect(result).toMatchObject({ available: false, reason: expect.stringMatching(/none\.sock \(ENOENT\)/) })
  })

  test('without DOCKER_HOST and with none of the usual sockets, says so in few words', async () => {
    const result = await detectContainerRuntime({ env: { HOME: folder, XDG_RUNTIME_DIR: folder } })
    if (result.available) return // this machine runs an engine on a usual socket: nothing to check
    expect(result.reason).toBe('no container runtime (no Docker or Podman socket)')
  })

  test('does not hang on an engine that accepts and never answers', async () => {
    const socket = join(folder, 'silent.sock')
    const silent = createNetServer(() => {})
    await listen(silent, socket)
    const startedAt = Date.now()
    try {
      const result = await detectContainerRuntime({ timeoutMs: 200, env: { DOCKER_HOST: `unix://${socket}` } })
      expect(result.available).toBe(false)
      expect(Date.now() - startedAt).toBeLessThan(2_000)
    } finally {
      silent.close()
    }
  })
})

describe('orphans', () => {
  const container = (pid: string, extra: Record<string, string> = {}): ManagedContainer => ({ id: pid, state: 'running', labels: { [rigLabels.managed]: 'true', [rigLabels.ownerPid]: pid, [rigLabels.ownerHost]: 'me', [rigLabels.reuse]: 'false', ...extra } })
  test('are the containers of dead runs on this host, never reused ones or other hosts’', () => {
    const alive = (pid: number) => pid === 1
    const found = orphans([container('1'), container('2'), container('3', { [rigLabels.reuse]: 'true' }), container('4', { [rigLabels.ownerHost]: 'other' }), container('x')], alive, 'me')
    expect(found.map((c) => c.id)).toEqual(['2', 'x'])
  })
})

describe('labelsForThisProcess', () => {
  test('a reused container’s labels do not change from run to run (Testcontainers hashes them)', async () => {
    const { labelsForThisProcess } = await import('./labels.ts')
    expect(labelsForThisProcess(true)).toEqual({ [rigLabels.managed]: 'true', [rigLabels.reuse]: 'true' })
    expect(labelsForThisProcess(false)[rigLabels.ownerPid]).toBe(String(process.pid))
  })
})
