#!/bin/bash
# As root on Debian bookworm: start the local Slurm cluster (installing its
# packages) and install slurmrestd-py into a venv every user can run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/cluster.sh up
VENV=${SLURMRESTD_PY_VENV:-/opt/slurmrestd-py}
[ -x "$VENV/bin/python" ] || /usr/bin/python3 -m venv "$VENV"
# (A pip configuration on some machines warns about missing local indexes.)
"$VENV/bin/pip" install -q --disable-pip-version-check . -r tests/requirements.txt \
    2> >(grep -v "^WARNING: Location" >&2)
# From / so the installed package is checked, not the source tree: fails loudly
# if the compiled binding did not land.
(cd / && "$VENV/bin/python" -c "import slurmrestd_py.slurm")
