#!/usr/bin/env bash
# Build build/native/capuchin_native.node, the optional native kernels of the wasm backend
# (lib/model/backend/native/*.cc: oneDNN convolutions plus pooling, reduction and elementwise loops).
# Needs g++, Node's headers (/usr/include/node, Debian's nodejs or libnode-dev) and oneDNN
# (Debian: apt-get install g++ libdnnl-dev). -march=native: it is built on the machine that runs it, unless
# CAPUCHIN_MARCH names another target (deploy/Dockerfile: x86-64-v2, for an image that runs on other machines).
#
#   bash tools/native/build.sh            build; fail with the reason when something is missing
#   bash tools/native/build.sh --optional (npm postinstall) build when the tools are there, else say why and exit 0
#
# Without the addon every kernel stays on wasm, same results up to float rounding (CAPUCHIN_NATIVE=0 forces that).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
src="$root/lib/model/backend/native"
out="$root/build/native/capuchin_native.node"
optional=0
[ "${1:-}" = "--optional" ] && optional=1

skip() {
  if [ "$optional" = 1 ]; then
    echo "capuchin: native kernels not built ($1); training stays on wasm. To build them: $2, then npm run build:native" >&2
    exit 0
  fi
  echo "build:native: $1; $2" >&2
  exit 1
}

[ "${CAPUCHIN_NATIVE:-}" = "0" ] && [ "$optional" = 1 ] && { echo "capuchin: CAPUCHIN_NATIVE=0, native kernels not built" >&2; exit 0; }
[ "$(uname -s)" = "Linux" ] || skip "only Linux builds are set up" "build on Linux"
command -v g++ >/dev/null || skip "no g++" "apt-get install g++"
node_include="$(dirname "$(dirname "$(command -v node)")")/include/node"
[ -f "$node_include/node_api.h" ] || node_include=/usr/include/node
[ -f "$node_include/node_api.h" ] || skip "no node_api.h (looked in $node_include)" "apt-get install libnode-dev"
echo '#include <oneapi/dnnl/dnnl.hpp>' | g++ -std=c++17 -x c++ -fsyntax-only - 2>/dev/null || skip "no oneDNN headers" "apt-get install libdnnl-dev"

mkdir -p "$(dirname "$out")"
tmp="$(dirname "$out")/.tmp-$$-capuchin_native.node"
trap 'rm -f "$tmp"' EXIT
march="${CAPUCHIN_MARCH:-native}"
if ! g++ -O3 -march="$march" -std=c++17 -shared -fPIC -fopenmp -Wall -I"$node_include" "$src"/*.cc -ldnnl -o "$tmp"; then
  skip "g++ failed on $src/*.cc" "see the compiler output above"
fi
# Load it once before it replaces a working build: a module that does not load must not land.
node -e "const m = require(process.argv[1]); console.log('built ' + process.argv[2] + ': ' + m.version())" "$tmp" "${out#"$root"/}" \
  || skip "the built addon does not load" "see the error above"
# -march=native: record the CPU it was built for; addon.ts refuses it on a CPU with other features
# (copied to another machine) instead of dying on an illegal instruction.
# Another -march is portable by choice: no CPU flags are recorded, so it loads anywhere that target runs.
if [ "$march" = native ]; then
  cpu_flags="$(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2 | xargs)"
  printf '{"march":"native","cpuFlags":"%s","built":"%s"}\n' "$cpu_flags" "$(date -u +%FT%TZ)" > "$out.json.tmp"
else
  printf '{"march":"%s","built":"%s"}\n' "$march" "$(date -u +%FT%TZ)" > "$out.json.tmp"
fi
mv "$tmp" "$out"
mv "$out.json.tmp" "$out.json"
