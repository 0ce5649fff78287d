import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { NestedProject } from './test-support/nested-project.ts'

// The faults fixture as a user meets it across tests: what one test arms never reaches another,
// and an armed fault that never fired is reported.

const unfiredSpec = `
  import { test } from 'test-rig'
  test('arms a fault it never triggers', async ({ conn, faults }) => {
    faults.failNext('commit', 'never reached')
    await conn.query('SELECT 1')
  })
`

describe('faults hygiene', () => {
  test('an armed fault that never fired is a warning by default', async () => {
    await using project = await NestedProject.create({ 'specs/unfired.spec.ts': unfiredSpec })
    const { code, output } = await project.run()
    expect(code).toBe(0)
    expect(output).toContain('in "arms a fault it never triggers", armed fault(s) never fired: commit (once)')
  })

  test('an armed toxic that no connection ever went through is reported too', async () => {
    await using project = await NestedProject.create({ 'specs/toxic.spec.ts': `
      import { test } from 'test-rig'
      test('arms a toxic and never connects through the proxy', async ({ conn, faults }) => {
        faults.network.latency(100)
        await conn.query('SELECT 1') // straight to the server, not through the proxy
      })
    ` })
    const { code, output } = await project.run()
    expect(code).toBe(0)
    expect(output).toContain('in "arms a toxic and never connects through the proxy", armed fault(s) never fired: network latency (downstream; no connection went through the proxy while it was armed)')
  })

  test('and a failure with faults.unfired = "fail"', async () => {
    await using project = await NestedProject.create({ 'specs/unfired.spec.ts': unfiredSpec }, { faults: { unfired: 'fail' } })
    const { code, output } = await project.run()
    expect(code).toBe(1)
    expect(output).toMatch(/UnfiredFaultsError: test-rig: 1 armed fault\(s\) never fired/)
  })

  // Each generated test first checks that it starts clean, then arms a random mix of driver faults
  // and toxics and fires some of them. Two files run in parallel workers.
  const step = fc.constantFrom(
    "faults.failNext('query', 'leak?', { times: 'always' })",
    "faults.failNextConnect('leak?', { times: 3 })",
    "faults.onCall(() => 'leak?')",
    "faults.failNext('ping', 'leak?')",
    'faults.network.latency(300)',
    'faults.network.blackhole()',
    'await faults.network.down()',
    "await conn.query('SELECT 1').catch(() => {})",
    'await rig.connect().catch(() => {})',
  )
  const testBody = fc.array(step, { minLength: 1, maxLength: 5 })
  const specOf = (bodies: string[][]) => `
    import { expect, test } from 'test-rig'
    ${bodies.map((body, i) => `
    test('generated ${i}', async ({ rig, conn, faults }) => {
      expect(faults.driver.idle).toBe(true)
      expect(faults.fired).toEqual([])
      await conn.query('SELECT 1')
      await (await rig.connect()).ping()
      const through = await faults.network.connect()
      const startedAt = performance.now()
      await through.query('SELECT 1')
      expect(performance.now() - startedAt).toBeLessThan(250)
      ${body.join('\n      ')}
    })`).join('\n')}
  `

  test('nothing armed in one test reaches the next test or another worker (random sequences)', { timeout: 120_000 }, async () => {
    const runs = fc.sample(fc.tuple(fc.array(testBody, { minLength: 6, maxLength: 10 }), fc.array(testBody, { minLength: 6, maxLength: 10 })), { numRuns: 2, seed: Date.now() })
    for (const [first, second] of runs) {
      await using project = await NestedProject.create({ 'specs/a.spec.ts': specOf(first), 'specs/b.spec.ts': specOf(second) }, { faults: { unfired: 'ignore' } })
      const { code, output } = await project.run(['--maxWorkers=2', '--fileParallelism'])
      expect(output, output).toMatch(new RegExp(`${first.length + second.length} passed`))
      expect(code).toBe(0)
    }
  })
})
