#!/usr/bin/env bash
# Builds toxiproxy-server at the version pinned in bench/toxiproxy/go.mod, for the benchmarks only
# (npm run bench toxiproxy compares the rig's proxy with it), and prints the binary's path.
# Cached outside the clone, keyed by go.mod/go.sum:
#   ${TEST_RIG_CACHE:-${XDG_CACHE_HOME:-~/.cache}/test-rig}/toxiproxy/<version>-<key>/toxiproxy-server
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
module="$root/bench/toxiproxy"
say() { printf '[toxiproxy-build] %s\n' "$*" >&2; }

version=$(sed -n 's|^require github.com/Shopify/toxiproxy/v2 \(v[0-9.]*\)$|\1|p; s|^\tgithub.com/Shopify/toxiproxy/v2 \(v[0-9.]*\)$|\1|p' "$module/go.mod" | head -n 1)
key=$(cat "$module/go.mod" "$module/go.sum" | sha256sum | cut -c1-12)
cache="${TEST_RIG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/test-rig}/toxiproxy/$version-$key"
binary="$cache/toxiproxy-server"

if [ -x "$binary" ]; then
  say "toxiproxy-server $version is built ($binary)"
  echo "$binary"
  exit 0
fi
command -v go >/dev/null 2>&1 || { say "Go is needed to build toxiproxy-server (Debian: apt-get install golang)"; exit 1; }
cd "$module"
say "building toxiproxy-server $version (modules cached in $(go env GOMODCACHE))"
mkdir -p "$cache"
started=$(date +%s)
go build -trimpath -o "$binary.partial" github.com/Shopify/toxiproxy/v2/cmd/server
mv "$binary.partial" "$binary"
say "built $binary in $(( $(date +%s) - started )) s"
echo "$binary"
