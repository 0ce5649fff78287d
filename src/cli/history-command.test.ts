import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { LocalServer } from '../server/local/local-server.ts'
import type { CliOutput } from './cli-output.ts'
import { runCli } from './main.ts'

let cwd: string
let out: string[]
const output: CliOutput = { out: (text) => out.push(text), err: (text) => out.push(text) }

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'rig-history-'))
  out = []
})
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true })
})

/** Read skew in Jepsen's format: fine for read committed, not for snapshot isolation. */
const readSkew = [
  { type: 'invoke', process: 1, value: [['r', 'x', null], ['r', 'y', null]] },
  { type: 'invoke', process: 2, value: [['append', 'x', 1], ['append', 'y', 1]] },
  { type: 'ok', process: 1, value: [['r', 'x', []], ['r', 'y', [1]]] },
  { type: 'ok', process: 2, value: [['append', 'x', 1], ['append', 'y', 1]] },
  { type: 'invoke', process: 1, value: [['r', 'x', null]] },
  { type: 'ok', process: 1, value: [['r', 'x', [1]]] },
]

describe('test-rig history check', () => {
  test('exit 0 for a model the history keeps, 1 with the smallest counterexample for one it breaks, 2 for a file that is no history', async () => {
    await writeFile(join(cwd, 'history.json'), JSON.stringify(readSkew))
    expect(await runCli(['history', 'check', 'history.json', '--model', 'read-committed'], cwd, output)).toBe(0)
    expect(out.join('\n')).toMatch(/3 transactions checked in \d+ ms; anomalies: G-single\n {2}read-committed {7}valid\n {2}repeatable-read {6}violated \(G-single\)/)
    out = []
    expect(await runCli(['history', 'check', 'history.json', '--model', 'snapshot isolation'], cwd, output)).toBe(1)
    expect(out.join('\n')).toMatch(/the smallest counterexample to snapshot-isolation:\nG-single: a cycle of dependencies no serial order can have\n {2}1\. T0 read key x \(empty\) without T1's write of 1/)
    await writeFile(join(cwd, 'broken.json'), JSON.stringify([{ type: 'begin', process: 1, value: [] }]))
    expect(await runCli(['history', 'check', 'broken.json'], cwd, output)).toBe(2)
    expect(out.join('\n')).toMatch(/broken\.json: history operation 0: type "begin" is not invoke, ok, fail or info/)
  })
})

describe('test-rig history run', () => {
  test('runs a workload against the server a run would use, writes the history, checks it, and leaves no database behind', async () => {
    await using server = await new LocalServer().start()
    const code = await runCli(['history', 'run', '-H', `127.0.0.1:${server.endpoint.port}`, '--isolation-level', 'serializable', '--sessions', '4', '--transactions', '60', '--model', 'serializable', '--out', 'run.json'], cwd, output)
    expect(out.join('\n')).toMatch(/\d+ transactions checked in \d+ ms/)
    expect(code).toBe(0)
    const history = JSON.parse(await readFile(join(cwd, 'run.json'), 'utf8')) as unknown[]
    expect(history).toHaveLength(120)
    const { openConnection } = await import('../server/connect.ts')
    const admin = await openConnection(server.endpoint)
    const [rows] = await admin.query("SHOW DATABASES LIKE 'rig\\_%history'")
    admin.destroy()
    expect(rows).toEqual([])
  }, 60_000)
})
