#!/usr/bin/env bash
# Makes sure a Docker engine answers on /var/run/docker.sock, for the container-provider tests.
# When none does and this runs as root: installs Debian's docker.io if needed and starts dockerd
# the way this sandbox allows (no iptables, vfs storage). Prints the pid of a dockerd it started
# (nothing when one was already running); the caller stops it. Exit 1 when no engine can run.
set -euo pipefail
say() { printf '[engine] %s\n' "$*" >&2; }
ping() { curl -fsS --max-time 2 --unix-socket /var/run/docker.sock http://docker/_ping >/dev/null 2>&1; }

if ping; then
  say "a container runtime already answers"
  exit 0
fi
[ "$(id -u)" = 0 ] || { say "no engine answers and not root: the container tests will be left out"; exit 1; }
if ! command -v dockerd >/dev/null 2>&1; then
  say "installing docker.io"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >&2
fi
log=$(mktemp -t dockerd.XXXXXX.log)
dockerd --iptables=false --storage-driver=vfs >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 60); do
  if ping; then
    say "dockerd $pid answers (log: $log)"
    echo "$pid"
    exit 0
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.5
done
say "dockerd did not come up:"; tail -n 20 "$log" >&2
kill "$pid" 2>/dev/null || true
exit 1
