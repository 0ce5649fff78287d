import { describe, expect, test } from 'vitest'
import { ContainerServer, type StartedContainerServer } from './container-server.ts'
import { detectContainerRuntime, imagePresent } from './container-runtime.ts'
import { listManagedContainers, removeContainer } from './labels.ts'

const image = 'test-rig/mariadb:bookworm'
const runtime = await detectContainerRuntime()
const ready = runtime.available && (await imagePresent(runtime.endpoint, image))
const why = runtime.available ? `${image} is not built (bash scripts/build-test-image.sh)` : runtime.reason

describe.skipIf(!ready)(`ContainerServer against a real engine${ready ? '' : ` (skipped: ${why})`}`, () => {
  const endpoint = runtime.available ? runtime.endpoint : { socketPath: '/nonexistent' }

  test('with reuse, a second start gets the same container, which outlives stop()', async () => {
    const start = () => new ContainerServer({ docker: endpoint, flavor: 'mariadb', image, reuse: true }).start() as Promise<StartedContainerServer>
    const first = await start()
    try {
      await first.stop()
      const second = await start()
      await second.stop()
      expect(second.containerId).toBe(first.containerId)
      expect((await listManagedContainers(endpoint)).map((c) => c.id)).toContain(first.containerId)
    } finally {
      await removeContainer(endpoint, first.containerId)
    }
  }, 120_000)
})
