import { inject } from 'vitest'

// The setup file of a rig project with faults.intercept = true (the global setup adds it, see
// intercept-file.ts): the project's own mysql2 is patched, and its own mariadb replaced by a
// facade, in this worker before the test file (and the app it imports) loads, so the app's
// connections get the running test's driver faults.
const run = inject('test-rig')
if (run?.config.faults.intercept) {
  const intercept = await import('../src/faults/driver/intercept.ts')
  intercept.interceptMysql2(run.projectRoot)
  // The `mariadb` connector, wherever it is loaded from (Prisma's MariaDB adapter runs on it).
  const { interceptMariadb } = await import('../src/faults/driver/intercept-mariadb.ts')
  interceptMariadb(intercept.runningTestFaultSource, intercept.runningTestRecorder)
}
