import { connect } from 'node:net'

/**
 * Reads the greeting a MySQL-protocol server sends first on a new connection (protocol 10: the
 * server's version, NUL-terminated) and hangs up without logging in. A server sends it only once
 * it accepts connections: mariadbd and mysqld open their port when their start-up is done. This is
 * the local provider's readiness probe for them: no driver loads in the runner's process for it.
 * MariaDB's greeting carries a `5.5.5-` prefix (for old replicas) that `VERSION()` does not; it is
 * taken off. Rejects when nothing answers in `timeoutMs`, or with the server's message when its
 * first packet is an error (too many connections, a blocked host).
 */
export function readGreeting(host: string, port: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port })
    let received = Buffer.alloc(0)
    const done = (error: Error | undefined, version?: string) => {
      socket.destroy()
      if (error) reject(error)
      else resolve(version as string)
    }
    socket.setTimeout(timeoutMs, () => done(new Error(`no greeting from ${host}:${port} in ${timeoutMs} ms`)))
    socket.once('error', (error) => done(error))
    socket.once('close', () => done(new Error(`${host}:${port} closed the connection before its greeting`)))
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
      if (received.length < 5) return
      // A packet: 3 bytes of payload length (little-endian), 1 byte of sequence number, the payload,
      // which starts with 10 (the protocol) in a greeting and 0xff in an error.
      const length = received.readUIntLE(0, 3)
      if ((received[4] !== 10 && received[4] !== 0xff) || length > 0xffff) {
        done(new Error(`${host}:${port} does not speak the MySQL protocol (its first packet is not a protocol 10 greeting)`))
        return
      }
      if (received.length < 4 + length) return
      const payload = received.subarray(4, 4 + length)
      if (payload[0] === 0xff) {
        // An error packet: 2 bytes of code, then (protocol 4.1) '#' and a 5-character SQL state.
        const rest = payload.subarray(3)
        const message = (rest[0] === 0x23 ? rest.subarray(6) : rest).toString('utf8')
        done(new Error(`${host}:${port} refused the connection: ${message} (error ${payload.readUInt16LE(1)})`))
        return
      }
      const end = payload.indexOf(0, 1)
      if (end < 0) {
        done(new Error(`${host}:${port} does not speak the MySQL protocol (its first packet is not a protocol 10 greeting)`))
        return
      }
      done(undefined, payload.subarray(1, end).toString('latin1').replace(/^5\.5\.5-/, ''))
    })
  })
}
