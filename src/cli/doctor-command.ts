import { settingDefaults } from '../config/setting-defaults.ts'
import { chooseProvider, containerFlavorOf } from '../server/choose-provider.ts'
import { defaultImage } from '../server/container/container-server.ts'
import { detectContainerRuntime, imagePresent } from '../server/container/container-runtime.ts'
import { listServerBinaries } from '../server/discovery.ts'
import { engineLabels } from '../server/engine.ts'
import { nodeFits, supportedNode } from '../config/node-version.ts'
import type { CliOutput } from './cli-output.ts'
import { loadCliConfig } from './cli-config.ts'
import type { ConnectionFlags } from './flags.ts'


/** Prints what is available on this machine and what each provider would need. Exit code 1 when no provider can run. */
export async function doctor(cwd: string, flags: ConnectionFlags, output: CliOutput): Promise<number> {
  const line = (ok: boolean, text: string) => output.out(`${ok ? 'ok  ' : 'no  '} ${text}`)
  const node = process.versions.node
  line(nodeFits(node), `Node ${node}${nodeFits(node) ? '' : ` — vitest 5 and testcontainers 12 need Node ${supportedNode} (scripts/bootstrap.sh installs Node 24)`}`)

  const binaries = await listServerBinaries(flags.binary ? { explicit: flags.binary } : {})
  line(binaries.length > 0, binaries.length > 0
    ? `local provider: ${binaries.map((b) => `${engineLabels[b.engine.name]} ${b.engine.version} (${b.path})`).join(', ')}`
    : 'local provider: no tidb-server, mariadbd or mysqld found — install one (apt-get install -y mariadb-server) or set server.binary')
  try {
    const { config, origins } = await loadCliConfig(cwd, flags, output)
    const runtime = await detectContainerRuntime({ timeoutMs: config.server.containerRuntimeTimeoutMs })
    const image = config.server.containerImage ?? defaultImage(containerFlavorOf(config, origins))
    if (runtime.available) {
      const present = await imagePresent(runtime.endpoint, image)
      line(true, `container provider: runtime ${runtime.version} at ${runtime.where}; image ${image} ${present ? 'present' : 'not present (it is pulled when server.provider=container)'}`)
    } else {
      line(false, `container provider: ${runtime.reason} — start Docker or Podman (DOCKER_HOST) to use it`)
    }
    line(config.database.host !== undefined, config.database.host !== undefined
      ? `external provider: ${config.database.host}:${config.database.port ?? settingDefaults.externalPort} (from ${origins.get('database.host') ?? 'defaults'})`
      : 'external provider: not configured — set DATABASE_URL or TIDB_HOST to use a running server')
    const choice = await chooseProvider(config, origins)
    if (choice.provider.name === 'external') {
      // Settings alone prove nothing: connect as a run would, and say what a run would say.
      try {
        await using server = await choice.provider.start()
        line(true, `external server answers: ${engineLabels[server.info.engine]} ${server.info.version}`)
      } catch (error) {
        line(false, `external server: ${error instanceof Error ? error.message.replace(/^test-rig: /, '') : String(error)}`)
        return 1
      }
    }
    output.out(`\nA run would use the ${choice.provider.name} provider: ${choice.reason}.`)
    return choice.provider.name === 'local' && binaries.length === 0 ? 1 : 0
  } catch (error) {
    output.err(error instanceof Error ? error.message : String(error))
    return 1
  }
}
