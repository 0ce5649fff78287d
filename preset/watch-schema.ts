import type { TestProject } from 'vitest/node'
import type { Logger } from '../src/config/logger.ts'
import { openConnection } from '../src/server/connect.ts'
import type { RigRun } from '../src/server/rig-run.ts'
import { buildTemplate, templateKey, type SchemaDeclaration, type TemplateWaiting } from '../src/server/schema-template.ts'
import { TestDatabases } from '../src/server/test-databases.ts'
import { runContextKey, type RunContext } from '../src/vitest/run-context.ts'

/**
 * Watch mode: before each rerun, when a file of the schema (or the setup's version) changed, the
 * run's databases made from the old template are dropped, the template is built for the new key,
 * and the workers of the rerun are given it — so the rerun's tests see the new schema. A build
 * that fails is reported and the rerun goes on with the template it had.
 */
export function rebuildTemplateOnRerun(project: TestProject, run: RigRun, declaration: SchemaDeclaration, fixturesDir: string, context: RunContext, logger: Logger, waiting: TemplateWaiting): void {
  let current = context
  project.onTestsRerun(async () => {
    if (!current.clone) return
    try {
      const key = await templateKey(declaration, fixturesDir, run.server.info)
      if (key === current.clone.key) return
      const startedAt = performance.now()
      // No worker of the last run is left: every database of the run (copies of the old
      // template, the spares list) can go.
      const admin = await openConnection(run.server.endpoint)
      try {
        await new TestDatabases(admin, run.naming).dropAll()
      } finally {
        admin.destroy()
      }
      const template = await buildTemplate(run.server.endpoint, run.server.info, run.naming, declaration, fixturesDir, waiting)
      current = { ...current, clone: template.clone }
      project.provide(runContextKey, current)
      logger.info(`the schema changed: template ${template.clone.template} ${template.built ? 'built' : 'found'} in ${Math.round(performance.now() - startedAt)} ms for the rerun`)
    } catch (error) {
      logger.error(`the schema changed, but its template could not be built; the rerun keeps the last one: ${error instanceof Error ? error.message : String(error)}`)
    }
  })
}
