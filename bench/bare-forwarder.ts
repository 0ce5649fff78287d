import { connect, createServer, type Server } from 'node:net'

/**
 * The least a TCP proxy in this process can do: accept, connect upstream, and write each chunk read
 * on one side to the other, with no toxics and no back-pressure. The faults bench measures it beside
 * the rig's proxy, so the proxy's ratio can be read against what the extra hop costs on this machine.
 */
export async function startBareForwarder(upstream: { readonly host: string; readonly port: number }): Promise<{ readonly port: number; close(): void }> {
  const server: Server = createServer((client) => {
    const target = connect(upstream)
    client.setNoDelay(true)
    target.setNoDelay(true)
    client.on('data', (chunk: Buffer) => target.write(chunk))
    target.on('data', (chunk: Buffer) => client.write(chunk))
    client.on('close', () => target.destroy())
    target.on('close', () => client.destroy())
    client.on('error', () => target.destroy())
    target.on('error', () => client.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (typeof address !== 'object' || !address) throw new Error('the bare forwarder has no address')
  return { port: address.port, close: () => server.close() }
}
