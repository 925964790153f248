#!/bin/bash
# The whole test suite, from a fresh Debian bookworm machine, as root:
# cluster + install (tests/install.sh), the Slurm 24.11 reference cluster
# (tests/cluster24.sh), then unit, integration and differential tests.
# Extra arguments go to pytest (paths relative to tests/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/install.sh
start=$SECONDS
bash tests/cluster24.sh up
echo "run: Slurm 24.11 reference cluster ready in $((SECONDS - start)) s" >&2
# Run from tests/ so the installed package, not the source tree, is imported.
cd tests && exec "${SLURMRESTD_PY_VENV:-/opt/slurmrestd-py}/bin/python" -m pytest -q -p no:cacheprovider "$@"
