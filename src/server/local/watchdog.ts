import { spawn, type ChildProcess } from 'node:child_process'

/**
 * A tiny shell process that outlives a SIGKILL of the test runner: it reads its standard input,
 * which only the runner holds; when the runner dies the pipe closes, and the watchdog stops the
 * server and removes its folder.
 */
const script = `
cat >/dev/null 2>&1
kill -TERM "$1" 2>/dev/null
i=0
while kill -0 "$1" 2>/dev/null && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i+1)); done
kill -KILL "$1" 2>/dev/null
rm -rf "$2"
`

/** A running watchdog; disarm it when the server is stopped the ordinary way. */
export interface Watchdog {
  /** Process id of the watchdog. */
  readonly pid: number | undefined
  /** Ends the watchdog without touching the server. */
  disarm(): void
}

/** Starts a watchdog for a server process and the folder it uses. */
export function startWatchdog(serverPid: number, folder: string): Watchdog {
  const child: ChildProcess = spawn('/bin/sh', ['-c', script, 'test-rig-watchdog', String(serverPid), folder], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  })
  child.unref()
  const stdin = child.stdin as (NodeJS.WritableStream & { unref?: () => void }) | null
  stdin?.unref?.()
  return {
    pid: child.pid,
    disarm() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    },
  }
}
