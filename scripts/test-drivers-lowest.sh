#!/usr/bin/env bash
# Runs the example and ORM specs with the lowest mysql2 of the peer range (package.json
# peerDependencies.mysql2), then puts the locked mysql2 back. `npm test` runs them with the newest
# (the devDependency); CI runs both.
#   bash scripts/test-mysql2-lowest.sh [extra vitest args]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
lowest=$(node -p "require('./package.json').peerDependencies.mysql2.match(/>=\\s*([0-9.]+)/)[1]")
locked=$(node -p "require('./package.json').devDependencies.mysql2")
restore() { npm install --no-save --no-audit --no-fund "mysql2@$locked" >/dev/null 2>&1 || echo "[mysql2-lowest] could not put mysql2 $locked back: run npm ci" >&2; }
trap restore EXIT
echo "[mysql2-lowest] the specs with mysql2 $lowest (the lowest of $(node -p "require('./package.json').peerDependencies.mysql2"))" >&2
npm install --no-save --no-audit --no-fund "mysql2@$lowest" >/dev/null
[ "$(node -p "require('mysql2/package.json').version")" = "$lowest" ] || { echo "[mysql2-lowest] mysql2 $lowest did not install" >&2; exit 1; }
# The TiDB projects exist where tidb-server is built (vitest.config.ts leaves them out otherwise).
npx vitest run --project specs --project orm --project tidb --project orm-tidb "$@"
