#!/usr/bin/env bash
# Runs the example and ORM specs with the lowest mysql2 and mariadb of their peer ranges
# (package.json peerDependencies), then puts the locked versions back. `npm test` runs them with
# the newest (the devDependencies); CI runs both.
#   bash scripts/test-drivers-lowest.sh [extra vitest args]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
drivers=(mysql2 mariadb)
lowest() { node -p "require('./package.json').peerDependencies['$1'].match(/>=\\s*([0-9.]+)/)[1]"; }
locked() { node -p "require('./package.json').devDependencies['$1']"; }
installed() { node -p "JSON.parse(require('fs').readFileSync('node_modules/$1/package.json', 'utf8')).version"; }
restore() {
  local wanted=()
  for driver in "${drivers[@]}"; do wanted+=("$driver@$(locked "$driver")"); done
  npm install --no-save --no-audit --no-fund "${wanted[@]}" >/dev/null 2>&1 || echo "[drivers-lowest] could not put ${wanted[*]} back: run npm ci" >&2
}
trap restore EXIT
wanted=()
for driver in "${drivers[@]}"; do wanted+=("$driver@$(lowest "$driver")"); done
echo "[drivers-lowest] the specs with ${wanted[*]} (the lowest of their peer ranges)" >&2
npm install --no-save --no-audit --no-fund "${wanted[@]}" >/dev/null
for driver in "${drivers[@]}"; do
  [ "$(installed "$driver")" = "$(lowest "$driver")" ] || { echo "[drivers-lowest] $driver $(lowest "$driver") did not install" >&2; exit 1; }
done
# The TiDB projects exist where tidb-server is built (vitest.config.ts leaves them out otherwise).
npx vitest run --project specs --project orm --project tidb --project orm-tidb "$@"
