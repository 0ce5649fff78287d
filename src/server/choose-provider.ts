import type { RigConfig } from '../config/schema.ts'
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

/** The container provider is not part of this build; the error says what to use instead. */
export class ProviderUnavailableError extends Error {
  /** Stable error code. */
  readonly code = 'TEST_RIG_PROVIDER_UNAVAILABLE'

  constructor(provider: string, why: string) {
    super(`test-rig: the ${provider} provider cannot be used: ${why}`)
    this.name = 'ProviderUnavailableError'
  }
}

/**
 * Picks the provider: an explicit `server.provider`, or under `auto` the external server when one
 * is configured, else a local server process.
 */
export function chooseProvider(config: RigConfig, origins: ReadonlyMap<string, string>): ProviderChoice {
  const { provider } = config.server
  const hostOrigin = origins.get('database.host')
  if (provider === 'external' || (provider === 'auto' && config.database.host !== undefined)) {
    if (config.database.host === undefined) {
      throw new ProviderUnavailableError('external', 'no server is configured. Fix: set DATABASE_URL=mysql://user:pass@host:port/ or TIDB_HOST=host:port (and TIDB_USER, TIDB_PASSWORD).')
    }
    const origin = hostOrigin ?? 'defaults'
    const reason = provider === 'external' ? `server.provider is external (${origins.get('server.provider') ?? 'defaults'})` : `database.host is set (from ${origin})`
    return { provider: new ExternalServer({ endpoint: endpointOf(config), origin, resilience: config.resilience, ...(config.database.database === undefined ? {} : { database: config.database.database }) }), reason }
  }
  if (provider === 'container') {
    throw new ProviderUnavailableError('container', 'this version of test-rig does not include it yet. Fix: use server.provider=local (a tidb-server, mysqld or mariadbd on this machine) or external (DATABASE_URL).')
  }
  const reason = provider === 'local' ? `server.provider is local (${origins.get('server.provider') ?? 'defaults'})` : 'no external server is configured, so a local server process is started'
  const options = { tmpfs: config.server.tmpfs, startTimeoutMs: config.server.startTimeoutSecs * 1000, ...(config.server.binary === undefined ? {} : { binary: config.server.binary }) }
  return { provider: new LocalServer(options), reason }
}

function endpointOf(config: RigConfig): ServerEndpoint {
  const { database } = config
  return {
    host: database.host ?? '127.0.0.1',
    port: database.port ?? 4000,
    user: database.username,
    ...(database.password === undefined ? {} : { password: database.password }),
    tls: database.tls,
    connectTimeoutMs: database.timeoutSecs * 1000,
  }
}
