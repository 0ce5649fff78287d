import { describe, expect, test } from 'vitest'
import { dockerRequest } from '../src/server/container/docker-api.ts'
import { detectContainerRuntime, imagePresent } from '../src/server/container/container-runtime.ts'
import { labelsForThisProcess, listManagedContainers, rigLabels } from '../src/server/container/labels.ts'
import { eventually, NestedProject } from './test-support/nested-project.ts'

// The container provider as a user runs it, checked against the engine itself: no container of
// the rig may outlive a run, whatever way the run ends.

const image = 'test-rig/mariadb:bookworm'
const runtime = await detectContainerRuntime()
const ready = runtime.available && (await imagePresent(runtime.endpoint, image))
const why = !runtime.available ? runtime.reason : `${image} is not built (bash scripts/build-test-image.sh)`
const endpoint = runtime.available ? runtime.endpoint : { socketPath: '/nonexistent' }
const containerOptions = { server: { provider: 'container', containerFlavor: 'mariadb', containerImage: image, startTimeoutSecs: 60 } }

/** Containers of the rig owned by a given process. */
async function containersOf(pid: number): Promise<number> {
  return (await listManagedContainers(endpoint)).filter((c) => c.labels[rigLabels.ownerPid] === String(pid)).length
}

const passing = "import { expect, test } from 'test-rig'\ntest('passes', async ({ conn }) => { await conn.query('SELECT 1') })\n"

describe.skipIf(!ready)(`the container provider leaves no container behind${ready ? '' : ` (skipped: ${why})`}`, () => {
  test.each([
    ['a passing run', passing, 0],
    ['a failing run', "import { expect, test } from 'test-rig'\ntest('fails', async ({ conn }) => { await conn.query('SELECT 1'); expect(1).toBe(2) })\n", 1],
  ])('after %s', async (_name, spec, exitCode) => {
    await using project = await NestedProject.create({ 'specs/x.spec.ts': spec }, containerOptions)
    const runner = project.start()
    const code = await new Promise<number | null>((resolve) => runner.once('close', resolve))
    expect(code).toBe(exitCode)
    expect(await containersOf(runner.pid as number)).toBe(0)
  }, 120_000)

  test('after a start whose readiness check fails', async () => {
    // A TiDB container on an image that is not TiDB: the status endpoint never answers.
    await using project = await NestedProject.create({ 'specs/x.spec.ts': passing }, { server: { provider: 'container', containerFlavor: 'tidb', containerImage: image, startTimeoutSecs: 5 } })
    const runner = project.start()
    let output = ''
    runner.stderr?.on('data', (chunk) => (output += chunk))
    runner.stdout?.on('data', (chunk) => (output += chunk))
    expect(await new Promise((resolve) => runner.once('close', resolve))).toBe(1)
    expect(output).toMatch(/the tidb container \(test-rig\/mariadb:bookworm\) did not start/)
    expect(await containersOf(runner.pid as number)).toBe(0)
  }, 120_000)

  test.each(['SIGINT', 'SIGKILL'] as const)('after %s of the runner', async (signal) => {
    await using project = await NestedProject.create({
      'specs/hang.spec.ts': "import { writeFile } from 'node:fs/promises'\nimport { join } from 'node:path'\nimport { test } from 'test-rig'\ntest('hangs', { timeout: 120_000 }, async ({ conn }) => {\n  await conn.query('SELECT 1')\n  await writeFile(join(process.env.REPORT_DIR, 'ready'), '')\n  await new Promise((resolve) => setTimeout(resolve, 100_000))\n})\n",
    }, containerOptions)
    const runner = project.start()
    expect(await eventually(() => project.read('ready').then(() => true, () => false), 90_000)).toBe(true)
    expect(await containersOf(runner.pid as number)).toBe(1)
    runner.kill(signal)
    expect(await eventually(async () => (await containersOf(runner.pid as number)) === 0, 30_000)).toBe(true)
  }, 150_000)

  test('the next start sweeps a container a killed run left behind', async () => {
    // A container labelled as the rig's, owned by a process that no longer exists.
    const labels = { ...labelsForThisProcess(false), [rigLabels.ownerPid]: '2147483646' }
    const created = await dockerRequest(endpoint, 'POST', '/containers/create', 30_000, { Image: image, Labels: labels })
    expect(created.status).toBe(201)
    const { Id: orphan } = JSON.parse(created.body) as { Id: string }
    await using project = await NestedProject.create({ 'specs/x.spec.ts': passing }, containerOptions)
    const { code } = await project.run()
    expect(code).toBe(0)
    expect((await listManagedContainers(endpoint)).map((c) => c.id)).not.toContain(orphan)
  }, 120_000)
})
