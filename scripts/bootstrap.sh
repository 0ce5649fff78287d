#!/usr/bin/env bash
# Sets up everything test-rig needs on this machine, then runs the given command with it.
#   bash scripts/bootstrap.sh npm test
# - Node: uses the machine's when it is new enough (22.22+ on 22.x, 24.x, 26+: what vitest 5 and
#   testcontainers 12 accept); else installs Node 24 from the npm registry into .tools/node.
# - Database server: when no tidb-server, mariadbd or mysqld is found and this runs as root,
#   installs Debian's mariadb-server.
# - TiDB: with TEST_RIG_SERVER_ENGINE=tidb, builds the pinned tidb-server (scripts/build-tidb.sh).
# - npm ci, when node_modules is missing or older than package-lock.json.
# Idempotent: a second run does nothing but checks (well under a second).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools="$root/.tools"
say() { printf '[bootstrap] %s\n' "$*" >&2; }

node_fits() {
  "$1" -e '
    const [major, minor] = process.versions.node.split(".").map(Number)
    const ok = (major === 22 && minor >= 22) || major === 24 || major >= 26
    process.exit(ok ? 0 : 1)' 2>/dev/null
}

if command -v node >/dev/null 2>&1 && node_fits node; then
  :
elif [ -x "$tools/node/node_modules/.bin/node" ] && node_fits "$tools/node/node_modules/.bin/node"; then
  export PATH="$tools/node/node_modules/.bin:$PATH"
else
  command -v npm >/dev/null 2>&1 || { say "npm is needed to install Node 24; install Node.js and npm first"; exit 1; }
  say "Node $(node --version 2>/dev/null || echo none) is too old for vitest 5 / testcontainers 12; installing Node 24 into .tools/node"
  npm install --silent --no-audit --no-fund --prefix "$tools/node" node@24 >&2
  node_fits "$tools/node/node_modules/.bin/node" || { say "installing Node 24 failed: $tools/node/node_modules/.bin/node does not run"; exit 1; }
  export PATH="$tools/node/node_modules/.bin:$PATH"
fi

has_server() {
  local name dir
  for name in tidb-server mariadbd mysqld; do
    command -v "$name" >/dev/null 2>&1 && return 0
    for dir in /usr/sbin /usr/local/sbin /usr/local/mysql/bin; do
      [ -x "$dir/$name" ] && return 0
    done
  done
  # tiup keeps each TiDB it installed under components/tidb/<version>/.
  for binary in "${TIUP_HOME:-$HOME/.tiup}"/components/tidb/*/tidb-server; do
    [ -x "$binary" ] && return 0
  done
  return 1
}

if [ -n "${TEST_RIG_SERVER_BINARY:-}" ] || [ -n "${DATABASE_URL:-}" ] || [ -n "${TIDB_HOST:-}" ] || has_server; then
  :
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  say "no database server found; installing Debian's mariadb-server"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >&2
else
  say "no tidb-server, mariadbd or mysqld found, and not root: install one (sudo apt-get install -y mariadb-server, brew install mariadb) or set DATABASE_URL"
fi

# A project that pins TiDB (TEST_RIG_SERVER_ENGINE=tidb) gets tidb-server built from its Go module.
if [ "${TEST_RIG_SERVER_ENGINE:-}" = tidb ] && [ -z "${TEST_RIG_SERVER_BINARY:-}" ]; then
  bash "$root/scripts/build-tidb.sh" >/dev/null
fi

cd "$root"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing dependencies (npm ci)"
  npm ci --no-audit --no-fund >&2
fi

[ "$#" -gt 0 ] || exit 0
exec "$@"
