/**
 * Defaults that code outside the config schema needs too: servers and the engine started through
 * their own API (`new LocalServer()`, `coordinate()`) rather than from a config. The schema takes
 * its defaults from here, so each is written once; no zod is loaded for them.
 */
export const settingDefaults = {
  /** `server.tmpfs`: the local server's data directory on /dev/shm when there is one. */
  tmpfs: true,
  /** `server.startTimeoutSecs`: how long a started server (local or container) may take to answer. */
  startTimeoutSecs: 60,
  /** The port of an external server given without one (`TIDB_HOST=host`, `database.host`): TiDB's. */
  externalPort: 4000,
  /** `test.timeoutSecs`: a scenario's timeout. */
  timeoutSecs: 60,
  /** `test.blockedAfterMs`: a coordinated step running longer is recorded as blocked. */
  blockedAfterMs: 200,
} as const
