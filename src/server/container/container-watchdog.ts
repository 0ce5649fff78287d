import { spawn } from 'node:child_process'
import type { DockerEndpoint } from './docker-api.ts'

// Runs in a separate Node process: waits for its standard input (held only by the test runner) to
// close, then removes the container through the Engine API.
const script = `
const http = require('node:http')
const [id, endpointJson] = process.argv.slice(1)
const endpoint = JSON.parse(endpointJson)
process.stdin.resume()
process.stdin.on('end', () => {
  const req = http.request({ ...endpoint, method: 'DELETE', path: '/containers/' + encodeURIComponent(id) + '?force=1&v=1', headers: { host: 'docker' }, timeout: 30000 }, (res) => { res.resume(); res.on('end', () => process.exit(0)) })
  req.on('error', () => process.exit(1))
  req.on('timeout', () => process.exit(1))
  req.end()
})
`

/** A running container watchdog. */
export interface ContainerWatchdog {
  /** Ends the watchdog without touching the container. */
  disarm(): void
}

/**
 * Starts a process that removes the container if the test runner dies without doing so (SIGKILL,
 * a crash): Ryuk's job, for runtimes where Ryuk's image cannot be pulled.
 */
export function startContainerWatchdog(endpoint: DockerEndpoint, containerId: string): ContainerWatchdog {
  const child = spawn(process.execPath, ['-e', script, containerId, JSON.stringify(endpoint)], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] })
  child.unref()
  ;(child.stdin as unknown as { unref?: () => void } | null)?.unref?.()
  return {
    disarm() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    },
  }
}
