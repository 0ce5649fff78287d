import { describe, expect, test } from 'vitest'
import { ContainerServer, type StartedContainerServer } from './container-server.ts'
import { detectContainerEngine, imagePresent } from './engine-detection.ts'
import { listManagedContainers, removeContainer } from './labels.ts'

const image = 'test-rig/mariadb:bookworm'
const engine = await detectContainerEngine()
const ready = engine.available && (await imagePresent(engine.endpoint, image))
const why = engine.available ? `${image} is not built (bash scripts/build-test-image.sh)` : engine.reason

describe.skipIf(!ready)(`ContainerServer against a real engine${ready ? '' : ` (skipped: ${why})`}`, () => {
  const endpoint = engine.available ? engine.endpoint : { socketPath: '/nonexistent' }

  test('with reuse, a second start gets the same container, which outlives stop()', async () => {
    const start = () => new ContainerServer({ engine: endpoint, flavor: 'mariadb', image, reuse: true }).start() as Promise<StartedContainerServer>
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
