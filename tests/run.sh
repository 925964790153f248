#!/bin/bash
# The whole test suite, from a fresh Debian bookworm machine, as root:
# brings up the local Slurm cluster, installs slurmrestd-py into a venv
# every user can run, then runs unit, integration and differential tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/cluster.sh up
VENV=${SLURMRESTD_PY_VENV:-/opt/slurmrestd-py}
[ -x "$VENV/bin/python" ] || /usr/bin/python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check . -r tests/requirements.txt
# Run from tests/ so the installed package, not the source tree, is imported.
cd tests && exec "$VENV/bin/python" -m pytest -q -p no:cacheprovider "$@"
