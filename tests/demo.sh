#!/bin/bash
# Bring everything up and serve a real request: the README's first command.
# SLURMRESTD_PY_RELEASE=24.11: slurmrestd-py built against Slurm 24.11 in the
# trixie root of tests/cluster24.sh, serving that cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
RELEASE=${SLURMRESTD_PY_RELEASE:-22.05}
bash tests/install.sh
PING="printf 'GET /slurm/v0.0.38/ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' | "
case $RELEASE in
    22.05)
        echo "--- GET /slurm/v0.0.38/ping through slurmrestd-py, inet mode, as alice:" >&2
        runuser -u alice -- sh -c "$PING ${SLURMRESTD_PY_VENV:-/opt/slurmrestd-py}/bin/slurmrestd-py" ;;
    24.11)
        bash tests/cluster24.sh up
        bash tests/cluster24.sh ours
        echo "--- GET /slurm/v0.0.38/ping through slurmrestd-py on Slurm 24.11, inet mode, as alice:" >&2
        bash tests/root.sh exec "${ROOT24:-/var/lib/slurmrestd-py/trixie}" \
            runuser -u alice -- sh -c "$PING /opt/slurmrestd-py/bin/slurmrestd-py" ;;
    *) echo "demo: SLURMRESTD_PY_RELEASE is 22.05 or 24.11, not $RELEASE" >&2; exit 2 ;;
esac
echo
