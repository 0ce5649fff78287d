import { GenericContainer } from 'testcontainers'
import { pollUntil } from '../src/resilience/poll.ts'
import { readServerIdentity } from '../src/server/connect.ts'
import { ContainerServer } from '../src/server/container/container-server.ts'
import { detectContainerRuntime, imagePresent } from '../src/server/container/container-runtime.ts'
import type { ServerEndpoint } from '../src/server/types.ts'
import { compareStarts } from './stats.ts'

const image = 'test-rig/mariadb:bookworm'

/** The container provider's start against a raw GenericContainer start of the same image, each until SELECT VERSION() answers. */
export async function benchContainers(): Promise<Record<string, unknown>> {
  const runtime = await detectContainerRuntime()
  if (!runtime.available || !(await imagePresent(runtime.endpoint, image))) {
    return { skipped: runtime.available ? `${image} is not built (bash scripts/build-test-image.sh)` : runtime.reason }
  }
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true'
  const baseline = async () => {
    const started = await new GenericContainer(image).withExposedPorts(3306).withEnvironment({ MYSQL_ROOT_PASSWORD: 'bench' }).start()
    const endpoint: ServerEndpoint = { host: started.getHost(), port: started.getMappedPort(3306), user: 'root', password: 'bench', tls: false, connectTimeoutMs: 5_000 }
    await pollUntil(() => readServerIdentity(endpoint), { what: 'raw container', timeoutMs: 120_000, intervalMs: 100 })
    return () => started.stop({ remove: true })
  }
  const candidate = async () => {
    const started = await new ContainerServer({ docker: runtime.endpoint, flavor: 'mariadb', image }).start()
    return () => started.stop()
  }
  // Only the starts are timed; each container is removed before the next round, outside the clock.
  const rounds = 5
  const { baselineMs, candidateMs, ratio } = await compareStarts(rounds, baseline, candidate)
  return { containerProviderVsGenericContainerStart: { image, rounds, baselineMs, candidateMs, ratio, target: 'ratio <= 1.1' } }
}
