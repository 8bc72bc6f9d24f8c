#!/usr/bin/env bash
# JupyterLab 4 for the notebooks, in a virtual environment (default .venv/ at the repository root,
# ignored by git; reused when it is already there):
#   1. python3 -m venv .venv                    (Debian's /usr/bin/python3; apt-get install python3-venv)
#   2. .venv/bin/pip install 'jupyterlab>=4,<5' (skipped when JupyterLab 4 is installed already)
#   3. the tslab (TypeScript) kernel registered in the venv, pointing at this checkout's tslab;
#      `tslab install` also registers a JavaScript kernel (jslab), which is removed again
#   4. a server config in the venv that offers only the TypeScript kernel and makes it the
#      default, so JupyterLab never preselects JavaScript or Python for a new notebook
# Then: .venv/bin/jupyter lab notebooks/   (add --allow-root when you are root)
#
# Usage: bash notebooks/setup-jupyterlab.sh      (after npm ci; about 20 s the first time)
# Environment: CAPUCHIN_VENV (another folder), CAPUCHIN_PYTHON (another python3),
# PIP_RETRIES (default 0: an unreachable index among several is skipped at once, not retried).
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${CAPUCHIN_VENV:-$PWD/.venv}"
PYTHON="${CAPUCHIN_PYTHON:-/usr/bin/python3}"
TSLAB="$PWD/node_modules/.bin/tslab"

if [ ! -x "$TSLAB" ]; then
  echo "setup-jupyterlab: $TSLAB not found. Fix: npm ci (tslab is a dependency)." >&2
  exit 1
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "setup-jupyterlab: creating the virtual environment $VENV"
  if ! "$PYTHON" -m venv "$VENV"; then
    echo "setup-jupyterlab: $PYTHON -m venv failed. Fix: apt-get install python3-venv" >&2
    exit 1
  fi
fi

if "$VENV/bin/python" -c 'import sys, jupyterlab; sys.exit(jupyterlab.__version__.split(".")[0] != "4")' 2>/dev/null; then
  echo "setup-jupyterlab: JupyterLab $("$VENV/bin/python" -c 'import jupyterlab; print(jupyterlab.__version__)') already in $VENV"
else
  echo "setup-jupyterlab: pip install 'jupyterlab>=4,<5' into $VENV"
  log="$VENV/pip-install.log"
  started=$(date +%s)
  if ! PIP_RETRIES="${PIP_RETRIES:-0}" "$VENV/bin/pip" install --quiet 'jupyterlab>=4,<5' >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "setup-jupyterlab: pip install failed (full log: $log)" >&2
    exit 1
  fi
  echo "setup-jupyterlab: installed JupyterLab $("$VENV/bin/python" -c 'import jupyterlab; print(jupyterlab.__version__)') in $(( $(date +%s) - started )) s"
fi

# 3. Only the TypeScript kernel: tslab install --sys-prefix writes tslab and jslab; drop jslab.
"$TSLAB" install --python="$VENV/bin/python" --binary="$TSLAB" --sys-prefix >/dev/null
rm -rf "$VENV/share/jupyter/kernels/jslab"

# 4. Offer only tslab (kernels registered elsewhere, e.g. a jslab in /usr/local/share/jupyter or
#    the venv's own python3, stay out of this JupyterLab) and make it the default kernel: two
#    settings merged into the venv's jupyter_server_config.json (the .d folder is read only for
#    enabling extensions).
"$VENV/bin/python" - "$VENV/etc/jupyter/jupyter_server_config.json" <<'PY'
import json, os, sys
path = sys.argv[1]
config = json.load(open(path)) if os.path.exists(path) else {}
config.setdefault('KernelSpecManager', {})['allowed_kernelspecs'] = ['tslab']
config.setdefault('MappingKernelManager', {})['default_kernel_name'] = 'tslab'
os.makedirs(os.path.dirname(path), exist_ok=True)
with open(path, 'w') as f:
    json.dump(config, f, indent=2)
    f.write('\n')
PY

kernels=$("$VENV/bin/python" -c 'from jupyter_server.serverapp import ServerApp
from jupyter_client.kernelspec import KernelSpecManager
app = ServerApp(); app.load_config_file()
print(" ".join(sorted(KernelSpecManager(parent=app).find_kernel_specs())))')
if [ "$kernels" != "tslab" ]; then
  echo "setup-jupyterlab: JupyterLab in $VENV offers the kernels '$kernels', expected only tslab" >&2
  exit 1
fi
echo "setup-jupyterlab: kernel tslab (TypeScript) -> $TSLAB; start with: $VENV/bin/jupyter lab notebooks/$( [ "$(id -u)" = 0 ] && echo ' --allow-root')"
