#!/usr/bin/env bash
# npm run build:image: build deploy/Dockerfile with podman (daemonless; vfs storage, chroot isolation, so it runs in
# sandboxes without overlayfs or user namespaces) on the base from deploy/image/base.sh, then count the embedded
# sample inside the image and check that its results.csv and detections.csv equal the CLI's on this machine.
#   bash deploy/image/build.sh [TAG]      (default localhost/capuchin:latest; CAPUCHIN_BASE=IMAGE skips base.sh,
#                                          e.g. docker.io/library/node:20-bookworm-slim where Docker Hub is reachable)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
tag="${1:-localhost/capuchin:latest}"
for tool in podman npm; do command -v "$tool" >/dev/null || { echo "build:image: needs $tool (Debian: apt-get install podman)" >&2; exit 2; }; done
storage=(--storage-driver "${CAPUCHIN_STORAGE_DRIVER:-vfs}")
base="${CAPUCHIN_BASE:-$(bash deploy/image/base.sh)}"
start=$(date +%s)
echo "build:image: $tag from $base" >&2
# behind a proxy with its own CA (NODE_EXTRA_CA_CERTS here), the npm steps get that file, read-only, for the build only
ca=()
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$NODE_EXTRA_CA_CERTS" ]; then
  ca=(--volume "$NODE_EXTRA_CA_CERTS:/etc/ssl/capuchin-build-ca.crt:ro" --build-arg NODE_EXTRA_CA_CERTS=/etc/ssl/capuchin-build-ca.crt)
fi
podman "${storage[@]}" build --isolation chroot --build-arg "BASE=$base" "${ca[@]}" -f deploy/Dockerfile -t "$tag" .
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "build:image: counting the sample inside the image" >&2
podman "${storage[@]}" build --isolation chroot --build-arg "IMAGE=$tag" -f deploy/image/check.Containerfile -o "type=local,dest=$work/image" deploy/image
npm run --silent count -- --data data/sample --out "$work/cli" --no-review >/dev/null 2>&1
for f in results.csv detections.csv errors.csv; do
  cmp -s "$work/image/$f" "$work/cli/$f" || { echo "build:image: $f from the image differs from the CLI's:" >&2; diff "$work/image/$f" "$work/cli/$f" >&2 || true; exit 1; }
done
echo "build:image: $tag built in $(( $(date +%s) - start )) s; it counts the sample as the CLI does ($(tail -n +2 "$work/image/results.csv" | tr '\n' ' '))"
