import type { databaseEngines } from '../config/schema.ts'

/** The server products the rig knows apart. */
export type EngineName = (typeof databaseEngines)[number]

/** Which product a server is and its version. */
export interface EngineIdentity {
  /** The product. */
  readonly name: EngineName
  /** Its own version as `major.minor.patch`, e.g. `10.11.19` or, for TiDB, `8.5.1`. */
  readonly version: string
  /** The text it was read from, e.g. `10.11.19-MariaDB-0+deb12u1` or `8.0.11-TiDB-v8.5.1`. */
  readonly versionText: string
  /**
   * TiDB only: `cluster` when it stores data in TiKV under PD, `embedded` when it runs standalone
   * on its embedded storage (`-store=unistore`, as the local provider and the TiDB image run it);
   * unset when the server would not say.
   */
  readonly tidbStorage?: 'cluster' | 'embedded'
}

/** What a server can do, where products or versions differ. */
export interface EngineCapabilities {
  /** The session variable that holds the isolation level: MariaDB before 11.1 has only `tx_isolation`. */
  readonly isolationVariable: 'tx_isolation' | 'transaction_isolation'
  /** `IMPORT INTO` and `SHOW IMPORT JOBS` (TiDB 7.2 and later, on a TiKV cluster: IMPORT INTO needs PD). */
  readonly importInto: boolean
  /** Optimistic and pessimistic transaction modes (TiDB). */
  readonly transactionModes: boolean
}

/** Human name of an engine, for messages. */
export const engineLabels: Readonly<Record<EngineName, string>> = { tidb: 'TiDB', mysql: 'MySQL', mariadb: 'MariaDB' }

/** Reads the identity from `SELECT VERSION()`. */
export function identifyVersionText(versionText: string): EngineIdentity {
  const tidb = /-TiDB-v?(\d+\.\d+\.\d+)/i.exec(versionText)
  if (tidb?.[1]) return { name: 'tidb', version: tidb[1], versionText }
  const mariadb = /(?:^|-)(\d+\.\d+\.\d+)-MariaDB/i.exec(versionText)
  if (mariadb?.[1]) return { name: 'mariadb', version: mariadb[1], versionText }
  const plain = /^(\d+\.\d+\.\d+)/.exec(versionText)
  if (plain?.[1]) return { name: 'mysql', version: plain[1], versionText }
  throw new Error(`cannot tell the engine from version "${versionText}"; expected e.g. 8.0.36, 10.11.6-MariaDB or 8.0.11-TiDB-v8.5.1`)
}

/** Reads the identity from what a server binary prints for `--version` (`-V` for tidb-server); undefined when unrecognised. */
export function identifyBinaryOutput(output: string): EngineIdentity | undefined {
  const tidb = /Release Version:\s*v?(\d+\.\d+\.\d+)/i.exec(output)
  if (tidb?.[1]) return { name: 'tidb', version: tidb[1], versionText: `TiDB-v${tidb[1]}` }
  const ver = /\bVer\s+(\S+)/.exec(output)
  if (!ver?.[1]) return undefined
  try {
    return identifyVersionText(ver[1])
  } catch {
    return undefined
  }
}

/** Compares `a.b.c` versions: negative when `left` is older. */
export function compareVersions(left: string, right: string): number {
  const l = left.split('.').map(Number)
  const r = right.split('.').map(Number)
  for (let i = 0; i < Math.max(l.length, r.length); i++) {
    const diff = (l[i] ?? 0) - (r[i] ?? 0)
    if (diff !== 0) return diff
  }
  return 0
}

/** What the identified server can do. */
export function capabilitiesOf(identity: EngineIdentity): EngineCapabilities {
  const atLeast = (version: string) => compareVersions(identity.version, version) >= 0
  switch (identity.name) {
    case 'tidb':
      return { isolationVariable: 'transaction_isolation', importInto: atLeast('7.2.0') && identity.tidbStorage !== 'embedded', transactionModes: true }
    case 'mariadb':
      return { isolationVariable: atLeast('11.1.1') ? 'transaction_isolation' : 'tx_isolation', importInto: false, transactionModes: false }
    case 'mysql':
      return { isolationVariable: atLeast('5.7.20') ? 'transaction_isolation' : 'tx_isolation', importInto: false, transactionModes: false }
  }
}
