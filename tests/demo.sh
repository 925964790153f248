#!/bin/bash
# Bring everything up and serve a real request: the README's first command.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/install.sh
echo "--- GET /slurm/v0.0.38/ping through slurmrestd-py, inet mode, as alice:" >&2
runuser -u alice -- sh -c "printf 'GET /slurm/v0.0.38/ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' \
    | ${SLURMRESTD_PY_VENV:-/opt/slurmrestd-py}/bin/slurmrestd-py"
echo
