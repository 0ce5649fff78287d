import { Agent, request } from 'node:http'
import { FailpointRefusedError } from '../errors.ts'

/**
 * TiDB's failpoint endpoint (`GO_FAILPOINTS_HTTP`, the pingcap/failpoint library's HTTP API): PUT
 * `/<name>` with a term arms a failpoint, DELETE disarms it, GET `/` lists the armed ones. One
 * kept-alive socket, so a disarm is written the moment it is asked for.
 */
export class FailpointClient {
  /** `host:port` of the endpoint. */
  readonly address: string
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 1 })

  constructor(address: string) {
    this.address = address
  }

  /**
   * Arms failpoint `name` with `term` (e.g. `return(true)`, `2*return("fail")`). A term the
   * library cannot parse is refused by the server with 400, and raised as {@link FailpointRefusedError}.
   */
  async arm(name: string, term: string): Promise<void> {
    const { status, body } = await this.#send('PUT', name, term)
    if (status !== 204 && status !== 200) throw new FailpointRefusedError(name, term, status, body)
  }

  /** Disarms failpoint `name`; one not armed is no error. */
  async disarm(name: string): Promise<void> {
    await this.#send('DELETE', name)
  }

  /** The armed failpoints and their terms. */
  async list(): Promise<Map<string, string>> {
    const { body } = await this.#send('GET', '')
    const armed = new Map<string, string>()
    for (const line of body.split('\n')) {
      const at = line.indexOf('=')
      // A failpoint disarmed through the API stays listed with an empty term.
      if (at > 0 && line.slice(at + 1).trim() !== '') armed.set(line.slice(0, at), line.slice(at + 1).trim())
    }
    return armed
  }

  /** Closes the kept-alive socket. */
  close(): void {
    this.#agent.destroy()
  }

  #send(method: 'PUT' | 'DELETE' | 'GET', name: string, body?: string): Promise<{ status: number; body: string }> {
    const [host, port] = splitAddress(this.address)
    return new Promise((resolve, reject) => {
      const req = request({ host, port, method, path: `/${name}`, agent: this.#agent, timeout: 10_000 }, (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => { text += chunk })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
        res.on('error', reject)
      })
      req.on('timeout', () => req.destroy(new Error(`TiDB's failpoint endpoint ${this.address} did not answer ${method} /${name} within 10 s`)))
      req.on('error', reject)
      req.end(body)
    })
  }
}

function splitAddress(address: string): [string, number] {
  const at = address.lastIndexOf(':')
  return [address.slice(0, at), Number(address.slice(at + 1))]
}
