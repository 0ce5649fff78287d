import { compareVersions, engineLabels, type EngineCapabilities, type EngineName } from '../../server/engine.ts'

/** The server has no `IMPORT INTO` (MySQL, MariaDB, TiDB before 7.2). */
export class ImportNotSupportedError extends Error {
  /** Stable error code. */
  readonly code = 'TEST_RIG_IMPORT_NOT_SUPPORTED'

  constructor(reason: string) {
    super(`test-rig: ${reason}`)
    this.name = 'ImportNotSupportedError'
  }
}

/** Why the server cannot run import jobs, or undefined when it can. */
export function importUnsupportedReason(server: { readonly engine: EngineName; readonly version: string; readonly capabilities: Pick<EngineCapabilities, 'importInto'>; readonly tidbStorage?: 'cluster' | 'embedded' }): string | undefined {
  if (server.capabilities.importInto) return undefined
  if (server.engine === 'tidb' && server.tidbStorage === 'embedded') {
    return `IMPORT INTO is not supported by this TiDB ${server.version} store: it runs standalone on its embedded storage (unistore), and IMPORT INTO needs a TiKV cluster with PD ` +
      '(on unistore it fails with "URL scheme must be http, https, unix, or unixs"); run import specs against a cluster (tiup playground, TiDB Cloud, tidb-operator) through DATABASE_URL'
  }
  return `IMPORT INTO is not supported by ${engineLabels[server.engine]} ${server.version}; import jobs need TiDB 7.2 or later`
}

/**
 * Why the server has no import jobs to list (`SHOW IMPORT JOBS`), or undefined when it has: TiDB
 * 7.2 and later on any storage, since listing and watching need no PD (starting one does).
 */
export function importJobsUnsupportedReason(server: { readonly engine: EngineName; readonly version: string }): string | undefined {
  if (server.engine === 'tidb' && compareVersions(server.version, '7.2.0') >= 0) return undefined
  return `import jobs are not supported by ${engineLabels[server.engine]} ${server.version}; SHOW IMPORT JOBS needs TiDB 7.2 or later`
}
