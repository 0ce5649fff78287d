#!/usr/bin/env bash
# Builds a local TiDB image without any image registry: a minimal root filesystem holding the
# tidb-server that scripts/build-tidb.sh built (and the shared libraries it links), imported into
# Docker with the same entrypoint and ports as pingcap/tidb, so that TiDBContainer starts it exactly
# as it starts the official image.
#   bash scripts/build-tidb-image.sh [image-name]     (default test-rig/tidb:<release>)
# Cached: does nothing when the image exists. Needs a running engine.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
say() { printf '[tidb-image] %s\n' "$*" >&2; }

binary=$(bash "$here/build-tidb.sh")
release=$("$binary" -V | sed -n 's/^Release Version: *//p')
image="${1:-test-rig/tidb:$release}"

if docker image inspect "$image" >/dev/null 2>&1; then
  say "$image is present"
  echo "$image"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/root"
mkdir -p "$root/tmp" "$root/etc"
chmod 1777 "$root/tmp"
install -m 0755 "$binary" "$root/tidb-server"
# The dynamic loader and every library the binary links, at the same paths.
for lib in $(ldd "$binary" | grep -oE '/[^ ]+'); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
echo 'root:x:0:0:root:/root:/bin/false' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
# TiDB reads the system time zone from /etc/localtime (UTC, as in the official image).
mkdir -p "$root/usr/share/zoneinfo"
cp -L /usr/share/zoneinfo/UTC "$root/usr/share/zoneinfo/UTC"
ln -s /usr/share/zoneinfo/UTC "$root/etc/localtime"

say "importing into docker as $image ($(du -sh "$root" | cut -f1))"
tar -C "$root" -c . | docker import \
  -c 'ENTRYPOINT ["/tidb-server"]' \
  -c 'EXPOSE 4000 10080' \
  -c "LABEL org.opencontainers.image.description=\"test-rig TiDB $release (tidb-server built from the Go module, unistore)\"" \
  - "$image" >/dev/null
say "built $image"
echo "$image"
