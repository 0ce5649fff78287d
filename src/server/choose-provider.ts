import { settingDefaults } from '../config/setting-defaults.ts'
import type { RigConfig } from '../config/schema.ts'
import { ContainerServer, defaultImage } from './container/container-server.ts'
import { detectContainerRuntime, imagePresent, type RuntimeDetection } from './container/container-runtime.ts'
import { ExternalServer } from './external-server.ts'
import { LocalServer } from './local/local-server.ts'
import type { ServerEndpoint, ServerProvider } from './types.ts'

/** The provider picked for a run and why, printed once at start. */
export interface ProviderChoice {
  /** The provider to start. */
  readonly provider: ServerProvider
  /** One sentence: why this provider. */
  readonly reason: string
}

/** A provider that was asked for cannot be used here; the error says what to use instead. */
export class ProviderUnavailableError extends Error {
  /** Stable error code. */
  readonly code = 'TEST_RIG_PROVIDER_UNAVAILABLE'

  constructor(provider: string, why: string) {
    super(`test-rig: the ${provider} provider cannot be used: ${why}`)
    this.name = 'ProviderUnavailableError'
  }
}

/** How `chooseProvider` looks for a container runtime (tests pass their own). */
export type EngineDetector = (timeoutMs: number) => Promise<RuntimeDetection>

/**
 * Picks the provider: an explicit `server.provider`, or under `auto` the external server when one
 * is configured, else a container when a container runtime answers and the image is there, else a local
 * server process. The reason is one sentence, printed once at start.
 */
export async function chooseProvider(config: RigConfig, origins: ReadonlyMap<string, string>, detect: EngineDetector = (timeoutMs) => detectContainerRuntime({ timeoutMs }), local: LocalExtras = {}): Promise<ProviderChoice> {
  const { provider } = config.server
  const hostOrigin = origins.get('database.host')
  if (provider === 'external' || (provider === 'auto' && config.database.host !== undefined)) {
    if (config.database.host === undefined) {
      throw new ProviderUnavailableError('external', 'no server is configured. Fix: set DATABASE_URL=mysql://user:pass@host:port/ or TIDB_HOST=host:port (and TIDB_USER, TIDB_PASSWORD).')
    }
    const origin = hostOrigin ?? 'defaults'
    const reason = provider === 'external' ? `server.provider is external (${origins.get('server.provider') ?? 'defaults'})` : `database.host is set (from ${origin})`
    const from = (field: string) => origins.get(`database.${field}`) ?? 'defaults'
    const fieldOrigins = { host: origin, port: from('port'), user: from('username'), password: from('password'), database: from('database'), tls: from('tls') }
    return { provider: new ExternalServer({ endpoint: endpointOf(config), origins: fieldOrigins, resilience: config.resilience, ...(config.database.database === undefined ? {} : { database: config.database.database }) }), reason }
  }
  const flavor = containerFlavorOf(config, origins)
  const image = config.server.containerImage ?? defaultImage(flavor)
  if (provider === 'container' || provider === 'auto') {
    const runtime = await detect(config.server.containerRuntimeTimeoutMs)
    if (runtime.available) {
      const container = () => new ContainerServer({ docker: runtime.endpoint, flavor, image, reuse: config.server.containerReuse, startTimeoutMs: config.server.startTimeoutSecs * 1000 })
      if (provider === 'container') return { provider: container(), reason: `server.provider is container (${origins.get('server.provider') ?? 'defaults'}); runtime ${runtime.version} at ${runtime.where}` }
      if (await imagePresent(runtime.endpoint, image)) return { provider: container(), reason: `a container runtime answers at ${runtime.where} and ${image} is present` }
      return { provider: localServer(config, local), reason: `a container runtime answers at ${runtime.where} but ${image} is not present locally (docker pull ${image}, or set server.provider=container to pull at start), so a local server process is started` }
    }
    if (provider === 'container') throw new ProviderUnavailableError('container', `${runtime.reason}. Fix: start Docker (or Podman with DOCKER_HOST), or use server.provider=local.`)
    return { provider: localServer(config, local), reason: `no external server is configured and ${runtime.reason}, so a local server process is started` }
  }
  return { provider: localServer(config, local), reason: `server.provider is local (${origins.get('server.provider') ?? 'defaults'})` }
}

/** The container flavor: as configured, else the pinned engine (`server.engine`), else the default. */
export function containerFlavorOf(config: RigConfig, origins: ReadonlyMap<string, string>): RigConfig['server']['containerFlavor'] {
  const { engine, containerFlavor } = config.server
  return engine !== 'auto' && !origins.has('server.containerFlavor') ? engine : containerFlavor
}

/** What a local server is given beyond the config: the key of a data directory kept across runs (see LocalServerOptions.snapshotKey). */
export interface LocalExtras {
  /** See LocalServerOptions.snapshotKey. */
  readonly snapshotKey?: string
}

function localServer(config: RigConfig, extras: LocalExtras): LocalServer {
  const { engine, binary, tmpfs, startTimeoutSecs } = config.server
  return new LocalServer({ tmpfs, startTimeoutMs: startTimeoutSecs * 1000, ...(binary === undefined ? {} : { binary }), ...(engine === 'auto' ? {} : { engine }), ...extras })
}

function endpointOf(config: RigConfig): ServerEndpoint {
  const { database } = config
  return {
    host: database.host ?? '127.0.0.1',
    port: database.port ?? settingDefaults.externalPort,
    user: database.username,
    ...(database.password === undefined ? {} : { password: database.password }),
    tls: database.tls,
    connectTimeoutMs: database.timeoutSecs * 1000,
  }
}
