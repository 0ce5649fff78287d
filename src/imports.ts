/**
 * test-rig/imports: TiDB import jobs outside the `rig` fixture — parsing `SHOW IMPORT JOB(S)`,
 * starting `IMPORT INTO`, the job monitor and its display, and the scripted TiDB double for testing
 * your own import code (loaded apart from `test-rig`: the row schemas use zod).
 */
export { parseImportJob, parseSize, importJobRowSchema, importStatuses, ImportJobRowError, type ImportJob } from './scenarios/import/import-job.ts'
export { showImportJobs, showImportJob, startImport, importIntoSql, importUnsupportedReason, ImportNotSupportedError, type StartImportOptions } from './scenarios/import/import-queries.ts'
export { monitorImportJobs, importMonitorMachine, type MonitorOptions, type MonitorResult, type MonitorData, type ImportEvent } from './scenarios/import/monitor.ts'
export { progressDisplay, quietDisplay, describeJob, type ProgressDisplay } from './scenarios/import/progress-display.ts'
export { ScriptedTidbServer, type JobFrame } from './scenarios/import/scripted-tidb-server.ts'
