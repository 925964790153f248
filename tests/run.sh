#!/bin/bash
# The whole test suite, from a fresh Debian bookworm machine, as root:
# cluster + install (tests/install.sh), then unit, integration and
# differential tests. Extra arguments go to pytest (paths relative to tests/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/install.sh
# Run from tests/ so the installed package, not the source tree, is imported.
cd tests && exec "${SLURMRESTD_PY_VENV:-/opt/slurmrestd-py}/bin/python" -m pytest -q -p no:cacheprovider "$@"
