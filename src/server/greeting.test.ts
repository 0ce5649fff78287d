import { createServer, type Server, type Socket } from 'node:net'
import type { RowDataPacket } from 'mysql2/promise'
import { afterAll, describe, expect, test } from 'vitest'
import { openConnection } from './connect.ts'
import { freePort } from './free-port.ts'
import { readGreeting } from './greeting.ts'
import { LocalServer } from './local/local-server.ts'

// The local provider's readiness probe for mariadbd and mysqld: the server's greeting, read
// without a driver. Against a real MariaDB, and against fake servers for every way it must refuse.

/** A loopback server that does `serve` with each connection; closed with the test. */
async function fakeServer(serve: (socket: Socket) => void): Promise<{ port: number; [Symbol.asyncDispose](): Promise<void> }> {
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => {})
    serve(socket)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    async [Symbol.asyncDispose]() {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

/** One protocol packet: 3 bytes of length, the sequence number, the payload. */
function packet(payload: Buffer): Buffer {
  const header = Buffer.alloc(4)
  header.writeUIntLE(payload.length, 0, 3)
  return Buffer.concat([header, payload])
}

describe('reading a server greeting', () => {
  const started = new LocalServer().start()
  afterAll(async () => (await started).stop())

  test('a real MariaDB greets with the version VERSION() answers (its 5.5.5- prefix taken off)', async () => {
    const server = await started
    const version = await readGreeting('127.0.0.1', server.endpoint.port, 2_000)
    const connection = await openConnection(server.endpoint)
    try {
      const [rows] = await connection.query<RowDataPacket[]>('SELECT VERSION() AS version')
      expect(version).toBe(rows[0]?.version)
      expect(version).not.toMatch(/^5\.5\.5-/)
    } finally {
      connection.destroy()
    }
  })

  test('a greeting that arrives in pieces is read whole', async () => {
    const greeting = packet(Buffer.concat([Buffer.from([10]), Buffer.from('8.0.36\0', 'latin1'), Buffer.alloc(20)]))
    await using fake = await fakeServer((socket) => {
      socket.write(greeting.subarray(0, 2))
      setTimeout(() => socket.write(greeting.subarray(2, 9)), 20)
      setTimeout(() => socket.write(greeting.subarray(9)), 40)
    })
    await expect(readGreeting('127.0.0.1', fake.port, 2_000)).resolves.toBe('8.0.36')
  })

  test('an error packet first rejects with the server\'s message and code', async () => {
    const error = Buffer.concat([Buffer.from([0xff, 0x10, 0x04]), Buffer.from('#08004Too many connections', 'utf8')])
    await using fake = await fakeServer((socket) => socket.end(packet(error)))
    await expect(readGreeting('127.0.0.1', fake.port, 2_000)).rejects.toThrow(/refused the connection: Too many connections \(error 1040\)/)
  })

  test('a server that speaks another protocol is named as such', async () => {
    await using fake = await fakeServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'))
    await expect(readGreeting('127.0.0.1', fake.port, 2_000)).rejects.toThrow(/does not speak the MySQL protocol/)
  })

  test('a connection closed before any greeting rejects', async () => {
    await using fake = await fakeServer((socket) => socket.end())
    await expect(readGreeting('127.0.0.1', fake.port, 2_000)).rejects.toThrow(/closed the connection before its greeting/)
  })

  test('a server that says nothing rejects after the timeout', async () => {
    await using fake = await fakeServer(() => {})
    const startedAt = performance.now()
    await expect(readGreeting('127.0.0.1', fake.port, 200)).rejects.toThrow(/no greeting .* in 200 ms/)
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(190)
  })

  test('a closed port rejects at once', async () => {
    await expect(readGreeting('127.0.0.1', await freePort(), 2_000)).rejects.toThrow(/ECONNREFUSED/)
  })
})
