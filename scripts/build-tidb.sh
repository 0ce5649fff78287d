#!/usr/bin/env bash
# Builds tidb-server at the release pinned in tidb/go.mod (a small Go module of the project's own;
# TiDB is its only tool dependency) and prints the binary's path on standard output.
#   bash scripts/build-tidb.sh            # build if needed, print the path
#   bash scripts/build-tidb.sh --path     # print where the binary goes, build nothing
#   bash scripts/build-tidb.sh --failpoints [--path]
#                                         # the same release with TiDB's failpoints compiled in
# The binary is cached outside the clone, keyed by the release and by go.mod/go.sum:
#   ${TEST_RIG_CACHE:-${XDG_CACHE_HOME:-~/.cache}/test-rig}/tidb/<release>-<key>/tidb-server
# Go's own module and build caches are reused, so a second build of the same pin compiles nothing.
# The first build compiles ~1,300 packages: 15 to 30 minutes on 2 cores; progress goes to stderr.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
module="$root/tidb"
say() { printf '[tidb-build] %s\n' "$*" >&2; }

# The release the pin in tidb/go.mod is (checked below against the module's own commit).
release=v8.5.6
commit=ae18096e023780bb56bfce33698abec0d4640d0a
package=github.com/pingcap/tidb/cmd/tidb-server
# TiDB 8.5 refuses to start when built by any Go but 1.25 (pkg/util/hack checks the map ABI at
# init), so the build runs on that toolchain, which the go command fetches from the module proxy.
export GOTOOLCHAIN=go1.25.8

# The failpoint build: failpoint-ctl (pinned at the version TiDB's own go.mod requires) rewrites the
# failpoint markers of a writable copy of TiDB's module source into live code, and the build
# replaces the module with that copy. Everything else is the normal build.
failpoint_version=v0.0.0-20240528011301-b51a646c7c86
variant=""
if [ "${1:-}" = "--failpoints" ]; then
  variant="-failpoints"
  shift
fi

key=$( (cat "$module/go.mod" "$module/go.sum"; echo "$GOTOOLCHAIN"; [ -z "$variant" ] || echo "$failpoint_version") | sha256sum | cut -c1-12)
cache="${TEST_RIG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/test-rig}/tidb/$release-$key$variant"
binary="$cache/tidb-server"

if [ "${1:-}" = "--path" ]; then
  echo "$binary"
  exit 0
fi
if [ -x "$binary" ] && "$binary" -V >/dev/null 2>&1; then
  say "tidb-server $release is built ($binary)"
  echo "$binary"
  exit 0
fi

command -v go >/dev/null 2>&1 || { say "Go is needed to build tidb-server (https://go.dev/doc/install; Debian: apt-get install golang)"; exit 1; }
grep -q "github.com/pingcap/tidb v1.1.0-beta.0.[0-9]*-${commit:0:12}" "$module/go.mod" \
  || { say "tidb/go.mod does not pin commit ${commit:0:12} of $release: update release/commit here with the pin"; exit 1; }

cd "$module"
say "downloading modules (cached in $(go env GOMODCACHE))"
go mod download
mkdir -p "$cache"
if [ -n "$variant" ]; then
  work="$cache/work"
  rm -rf "$work"
  mkdir -p "$work/bin" "$work/build"
  say "installing failpoint-ctl $failpoint_version"
  GOBIN="$work/bin" GOFLAGS=-mod=mod go install "github.com/pingcap/failpoint/failpoint-ctl@$failpoint_version"
  source_dir=$(go list -m -f '{{.Dir}}' github.com/pingcap/tidb)
  say "copying TiDB's module source ($source_dir) and enabling its failpoints"
  cp -R "$source_dir" "$work/tidb"
  chmod -R u+w "$work/tidb"
  (cd "$work/tidb" && "$work/bin/failpoint-ctl" enable pkg >/dev/null)
  say "$(find "$work/tidb/pkg" -name 'binding__failpoint_binding__.go' | wc -l) packages carry failpoints"
  # The build module: the project's go.mod with TiDB replaced by the rewritten copy.
  cp "$module/go.mod" "$module/go.sum" "$work/build/"
  printf '\nreplace github.com/pingcap/tidb => %s\n' "$work/tidb" >> "$work/build/go.mod"
  cd "$work/build"
fi
total=$(go list -deps -tags codes "$package" | wc -l)
say "building tidb-server $release$variant: $total packages, the first time takes 15 to 30 minutes on 2 cores"
started=$(date +%s)
ldflags="-X 'github.com/pingcap/tidb/pkg/parser/mysql.TiDBReleaseVersion=$release' \
-X 'github.com/pingcap/tidb/pkg/util/versioninfo.TiDBGitHash=$commit' \
-X 'github.com/pingcap/tidb/pkg/util/versioninfo.TiDBGitBranch=release-8.5' \
-X 'github.com/pingcap/tidb/pkg/util/versioninfo.TiDBEdition=Community'"
# `go build -v` names each package as it compiles it (cached ones are not named): count them.
progress() {
  local built=0 last=0 now line
  while IFS= read -r line; do
    case "$line" in
      *' '*|*:*) printf '%s\n' "$line" >&2 ;; # a compiler message, not a package name
      *) built=$((built + 1)) ;;
    esac
    now=$(date +%s)
    if [ $((now - last)) -ge 30 ]; then
      last=$now
      say "$built of at most $total packages compiled, $((now - started)) s"
    fi
  done
}
if ! go build -v -trimpath -tags codes -ldflags "$ldflags" -o "$binary.partial" "$package" 2>&1 | progress; then
  rm -f "$binary.partial"
  say "go build failed: the lines above say why"
  exit 1
fi
mv "$binary.partial" "$binary"
# The rewritten source is only needed while building; the binary is what is cached.
[ -z "$variant" ] || rm -rf "$cache/work"
say "built $binary in $(( $(date +%s) - started )) s ($(du -h "$binary" | cut -f1))"
"$binary" -V | head -n 2 >&2
echo "$binary"
