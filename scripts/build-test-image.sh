#!/usr/bin/env bash
# Builds the local MariaDB image the container-provider tests run against, without any image
# registry: a Debian rootfs made by debootstrap (with mariadb-server) imported into Docker.
#   bash scripts/build-test-image.sh [image-name]      (default test-rig/mariadb:bookworm)
# Cached: does nothing when the image exists. Needs root (debootstrap) and a running engine.
set -euo pipefail
image="${1:-test-rig/mariadb:bookworm}"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
say() { printf '[test-image] %s\n' "$*" >&2; }

if docker image inspect "$image" >/dev/null 2>&1; then
  say "$image is present"
  exit 0
fi
if ! command -v debootstrap >/dev/null; then
  [ "$(id -u)" = 0 ] || { say "debootstrap is missing: sudo apt-get install -y debootstrap"; exit 1; }
  say "installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >&2 || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >&2; }
fi

# The Debian mirror this machine's apt uses.
mirror=$( (grep -hE '^[[:space:]]*(URIs:|deb[[:space:]])' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null || true) \
  | grep -oE 'https?://[^ ]+' | grep -v security | head -n 1 || true)
mirror=${mirror:-http://deb.debian.org/debian}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say "debootstrap bookworm with mariadb-server from $mirror (about a minute)"
debootstrap --variant=minbase --include=mariadb-server bookworm "$work/root" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -n 20 "$work/debootstrap.log" >&2
  exit 1
}
install -m 0755 "$here/test-image/entrypoint.sh" "$work/root/usr/local/bin/test-rig-entrypoint"
rm -rf "$work/root/var/lib/mysql/"* "$work/root/var/cache/apt/archives/"*.deb
say "importing into docker as $image"
tar -C "$work/root" -c . | docker import \
  -c 'CMD ["/usr/local/bin/test-rig-entrypoint"]' \
  -c 'EXPOSE 3306' \
  -c 'LABEL org.opencontainers.image.description="test-rig MariaDB test image (debootstrap)"' \
  - "$image" >/dev/null
say "built $image"
