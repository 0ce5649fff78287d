import type { RowDataPacket } from 'mysql2'
import { expect, test } from 'test-rig'
import { basicConnection, commonStates, defineMachine, type ConnectionCheckData } from 'test-rig/machines'

// State machines whose handlers live right here in the spec file.

test('the seed’s basic connection test, as a machine', async ({ rig }) => {
  const result = await rig.run(basicConnection, { data: { expectedDatabase: rig.databaseName } })
  expect(result).toHaveEndedIn('completed')
  expect(result).toHaveVisited(['parsing_config', 'connecting', 'testing_connection', 'verifying_database', 'getting_version', 'completed'])
  expect(result.data).toMatchObject({ database: rig.databaseName, engine: rig.server.engine, versionText: rig.server.versionText })
  expect(result.trace.find((entry) => entry.state === 'getting_version')?.statements.map((s) => s.sql)).toEqual(['SELECT VERSION() AS version'])
})

test('a machine of your own: common states plus a state written here', async ({ rig, conn }) => {
  await conn.query('CREATE TABLE inventory (sku VARCHAR(10) PRIMARY KEY, qty INT)')
  await conn.query("INSERT INTO inventory VALUES ('apple', 3)")
  type Data = ConnectionCheckData & { sold: number }
  const checkout = defineMachine<Data>({
    id: 'checkout',
    initial: 'connecting',
    data: () => ({ sold: 0 }),
    states: {
      ...commonStates,
      testing_connection: { ...commonStates.testing_connection, next: ['selling'], async execute(context) {
        await commonStates.testing_connection.execute(context)
        return 'selling'
      } },
      selling: {
        next: ['selling', 'completed'],
        async execute({ conn: c, data }) {
          const [result] = await c.query<import('mysql2').ResultSetHeader>("UPDATE inventory SET qty = qty - 1 WHERE sku = 'apple' AND qty > 0")
          if (result.affectedRows === 0) return 'completed'
          data.sold++
          return 'selling'
        },
      },
    },
  })
  const result = await rig.run(checkout)
  expect(result).toHaveEndedIn('completed')
  expect(result.data.sold).toBe(3)
  expect(result.visited.filter((state) => state === 'selling')).toHaveLength(4)
  expect(result.toMermaid()).toContain('selling --> selling')
})

test('a failing handler ends the machine in its state, with the trace and the diagram in the failure', async ({ rig }) => {
  const broken = basicConnection.withState('verifying_database', {
    next: ['getting_version'],
    async execute({ conn }) {
      await conn.query<RowDataPacket[]>('SELECT * FROM no_such_table')
      return 'getting_version'
    },
  })
  const result = await rig.run(broken)
  expect(result.status).toBe('failed')
  expect(result.error).toMatchObject({ state: 'verifying_database', phase: 'execute', sql: undefined })
  expect(result.error?.message).toMatch(/no_such_table.* doesn't exist/)
  // What a failing expectation prints: the trace with the SQL, and the Mermaid diagram.
  const failure = (() => { try { expect(result).toHaveEndedIn('completed') } catch (error) { return (error as Error).message } })()
  expect(failure).toContain('SELECT * FROM no_such_table ✗ ER_NO_SUCH_TABLE')
  expect(failure).toContain('stateDiagram-v2')
  expect(failure).toContain('note right of verifying_database: failed here')
})

test('a hung query ends in a timeout naming the machine, the state and the SQL', async ({ rig, conn }) => {
  await conn.query('CREATE TABLE t (id INT PRIMARY KEY)')
  await conn.query('INSERT INTO t VALUES (1)')
  await conn.beginTransaction()
  await conn.query('SELECT * FROM t WHERE id = 1 FOR UPDATE') // holds the row lock
  const waiter = defineMachine({ id: 'waiter', initial: 'update', states: {
    update: { timeoutMs: 300, next: ['done'], async execute({ conn: c }) { await c.query('UPDATE t SET id = 2 WHERE id = 1'); return 'done' } },
    done: { final: true },
  } })
  const result = await rig.run(waiter)
  expect(result.status).toBe('timed-out')
  expect(result.error?.message).toMatch(/^machine "waiter", state "update" \(execute\): the state timed out after 300 ms; its statement was killed on the server \(KILL \d+\) and its connection closed\n  while running: UPDATE t SET id = 2 WHERE id = 1$/)
  // Once the lock holder lets go, the timed-out UPDATE must not run after all: it was killed, not only abandoned.
  await conn.rollback()
  await new Promise((resolve) => setTimeout(resolve, 200))
  const [rows] = await conn.query('SELECT id FROM t')
  expect(rows).toEqual([{ id: 1 }])
})
