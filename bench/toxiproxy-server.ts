import { execFile, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

/** A running Toxiproxy with one proxy in front of the server; `using` stops it. */
export interface StartedToxiproxy extends Disposable {
  /** Where the proxy listens. */
  readonly port: number
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (typeof address !== 'object' || !address) throw new Error('no free port')
  return address.port
}

/**
 * Toxiproxy itself, for comparison with the rig's proxy: builds toxiproxy-server from the Go module
 * proxy (scripts/build-toxiproxy.sh, cached; bench only), starts it and makes one proxy to
 * `upstream` through its HTTP API. Undefined, with the reason, when it cannot be built here.
 */
export async function startToxiproxy(upstream: { readonly host: string; readonly port: number }): Promise<StartedToxiproxy | string> {
  const script = fileURLToPath(new URL('../scripts/build-toxiproxy.sh', import.meta.url))
  let binary: string
  try {
    binary = (await promisify(execFile)('bash', [script])).stdout.trim()
  } catch (error) {
    return `toxiproxy-server could not be built: ${error instanceof Error ? error.message.split('\n').slice(-3).join(' ') : String(error)}`
  }
  const apiPort = await freePort()
  const child = spawn(binary, ['-host', '127.0.0.1', '-port', String(apiPort)], { stdio: 'ignore' })
  // Stopped with the bench even when it fails or is interrupted before its dispose.
  const stop = () => child.kill()
  process.once('exit', stop)
  const api = `http://127.0.0.1:${apiPort}`
  const deadline = Date.now() + 10_000
  for (;;) {
    try {
      if ((await fetch(`${api}/version`)).ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      stop()
      return 'toxiproxy-server did not answer within 10 s'
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const port = await freePort()
  const created = await fetch(`${api}/proxies`, { method: 'POST', body: JSON.stringify({ name: 'mysql', listen: `127.0.0.1:${port}`, upstream: `${upstream.host}:${upstream.port}`, enabled: true }) })
  if (!created.ok) {
    stop()
    return `toxiproxy refused the proxy: ${created.status} ${await created.text()}`
  }
  return {
    port,
    [Symbol.dispose]: () => {
      process.removeListener('exit', stop)
      stop()
    },
  }
}
