import { inject } from 'vitest'

// The setup file of a rig project with faults.intercept = true (the global setup adds it, see
// intercept-file.ts): the project's own mysql2 is patched in this worker before the test file (and
// the app it imports) loads, so the app's connections get the running test's driver faults.
const run = inject('test-rig')
if (run?.config.faults.intercept) (await import('../src/faults/driver/intercept.ts')).interceptMysql2(run.projectRoot)
