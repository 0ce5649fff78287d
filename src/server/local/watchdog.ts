import { spawn, type ChildProcess } from 'node:child_process'

/**
 * A tiny shell process that outlives a SIGKILL of the test runner. It is started for a folder
 * before anything is put in it, and reads its standard input, which only the runner holds: the
 * runner writes there the pid of every process it starts for the folder. When the runner dies the
 * pipe closes, and the watchdog kills those processes and every other process whose command line
 * names the folder (a server spawned in the instant before its pid could be written), then removes
 * the folder. So no window is left between the folder, the template copy, the spawn and the wait.
 */
const script = `
folder=$1
pids=
while IFS= read -r pid; do pids="$pids $pid"; done
if [ -d /proc ]; then
  for dir in /proc/[0-9]*; do
    pid=\${dir#/proc/}
    [ "$pid" = "$$" ] && continue
    if tr '\\0' '\\n' < "$dir/cmdline" 2>/dev/null | grep -qF -- "$folder"; then pids="$pids $pid"; fi
  done
fi
[ -n "$pids" ] && kill -KILL $pids 2>/dev/null
i=0
while [ "$i" -lt 100 ]; do
  alive=
  for pid in $pids; do kill -0 "$pid" 2>/dev/null && alive=1; done
  [ -z "$alive" ] && break
  sleep 0.1; i=$((i+1))
done
rm -rf "$folder"
`

/** A running watchdog; disarm it when everything it guards has been stopped the ordinary way. */
export interface Watchdog {
  /** Process id of the watchdog. */
  readonly pid: number | undefined
  /** Adds a process to kill if the runner dies. */
  watch(pid: number): void
  /** Ends the watchdog without touching anything. */
  disarm(): void
}

/** Starts a watchdog for a folder (and every process started for it). */
export function startWatchdog(folder: string): Watchdog {
  const child: ChildProcess = spawn('/bin/sh', ['-c', script, 'test-rig-watchdog', folder], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  })
  child.unref()
  const stdin = child.stdin as (NodeJS.WritableStream & { unref?: () => void }) | null
  stdin?.on('error', () => {}) // the watchdog may be gone (disarmed) while a pid is written
  stdin?.unref?.()
  return {
    pid: child.pid,
    watch(pid) {
      stdin?.write(`${pid}\n`)
    },
    disarm() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    },
  }
}
