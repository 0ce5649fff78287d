import { connect, createServer, type Server, type Socket } from 'node:net'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { NetworkProxy } from './network-proxy.ts'
import { latency } from './toxics/latency.ts'
import { limitData } from './toxics/limit-data.ts'
import { resetPeer } from './toxics/reset-peer.ts'
import { slicer } from './toxics/slicer.ts'

// A real TCP echo server behind the proxy: what goes up comes back down.
let echo: Server
let echoPort: number
beforeEach(async () => {
  echo = createServer((socket) => {
    socket.on('error', () => {}) // the reset test resets it on purpose
    socket.pipe(socket)
  })
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve))
  echoPort = (echo.address() as { port: number }).port
})
afterEach(async () => {
  await new Promise((resolve) => echo.close(resolve))
})

function client(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket))
    socket.once('error', reject)
  })
}

function roundTrip(socket: Socket, payload: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let length = 0
    const onData = (chunk: Buffer) => {
      chunks.push(chunk)
      length += chunk.length
      if (length >= payload.length) {
        socket.off('data', onData)
        resolve(Buffer.concat(chunks))
      }
    }
    socket.on('data', onData)
    socket.once('error', reject)
    socket.write(payload)
  })
}

describe('NetworkProxy', () => {
  test('passes bytes both ways unchanged, in order, also in large amounts', async () => {
    await using proxy = await NetworkProxy.start({ host: '127.0.0.1', port: echoPort })
    const socket = await client(proxy.port)
    const payload = Buffer.alloc(4 * 1024 * 1024)
    for (let i = 0; i < payload.length; i++) payload[i] = i % 251
    expect((await roundTrip(socket, payload)).equals(payload)).toBe(true)
    socket.destroy()
  })

  test('a sliced and delayed stream still arrives whole and in order', async () => {
    await using proxy = await NetworkProxy.start({ host: '127.0.0.1', port: echoPort })
    proxy.add(slicer({ averageSize: 5, sizeVariation: 4 }), 'both')
    proxy.add(latency(1), 'upstream')
    const socket = await client(proxy.port)
    const payload = Buffer.from('the quick brown fox jumps over the lazy dog '.repeat(50))
    expect((await roundTrip(socket, payload)).toString()).toBe(payload.toString())
    socket.destroy()
  })

  test('resetting gives the client ECONNRESET', async () => {
    await using proxy = await NetworkProxy.start({ host: '127.0.0.1', port: echoPort })
    const socket = await client(proxy.port)
    await roundTrip(socket, Buffer.from('hi'))
    const failed = new Promise<NodeJS.ErrnoException>((resolve) => socket.once('error', resolve))
    proxy.add(resetPeer(), 'both')
    expect((await failed).code).toBe('ECONNRESET')
  })

  test('limit data closes after the given bytes', async () => {
    await using proxy = await NetworkProxy.start({ host: '127.0.0.1', port: echoPort })
    proxy.add(limitData(10), 'downstream')
    const socket = await client(proxy.port)
    const received: Buffer[] = []
    socket.on('data', (chunk: Buffer) => received.push(chunk))
    const ended = new Promise((resolve) => socket.once('end', resolve))
    socket.write(Buffer.alloc(100, 1))
    await ended
    expect(Buffer.concat(received).length).toBe(10)
    socket.destroy()
  })

  test('down refuses connections and keeps the port for up', async () => {
    await using proxy = await NetworkProxy.start({ host: '127.0.0.1', port: echoPort })
    const port = proxy.port
    await proxy.down()
    await expect(client(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' })
    await proxy.up()
    expect(proxy.port).toBe(port)
    const socket = await client(port)
    expect((await roundTrip(socket, Buffer.from('back'))).toString()).toBe('back')
    socket.destroy()
  })

  test('close drops every connection', async () => {
    const proxy = await NetworkProxy.start({ host: '127.0.0.1', port: echoPort })
    const socket = await client(proxy.port)
    await roundTrip(socket, Buffer.from('x'))
    const closed = new Promise((resolve) => socket.once('close', resolve))
    await proxy.close()
    await closed
    expect(proxy.connectionCount).toBe(0)
  })
})
