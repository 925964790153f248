#!/bin/bash
# The whole test suite, from a fresh Debian bookworm machine, as root:
# cluster + install (tests/install.sh), the Slurm 24.11 reference cluster
# (tests/cluster24.sh), then unit, integration and differential tests.
# SLURMRESTD_PY_RELEASE=24.11: the same suite against the 24.11 cluster, run
# inside its trixie root with slurmrestd-py built there against libslurm 24.11.
# Extra arguments go to pytest (paths relative to tests/).
set -euo pipefail
cd "$(dirname "$0")/.."
RELEASE=${SLURMRESTD_PY_RELEASE:-22.05}
bash tests/install.sh
start=$SECONDS
bash tests/cluster24.sh up
echo "run: Slurm 24.11 reference cluster ready in $((SECONDS - start)) s" >&2
PYTEST=(-m pytest -q -p no:cacheprovider "$@")
case $RELEASE in
    22.05)
        # From tests/ so the installed package, not the source tree, is imported.
        cd tests && exec "${SLURMRESTD_PY_VENV:-/opt/slurmrestd-py}/bin/python" "${PYTEST[@]}" ;;
    24.11)
        start=$SECONDS
        bash tests/cluster24.sh ours
        echo "run: slurmrestd-py built in the 24.11 root in $((SECONDS - start)) s" >&2
        exec bash tests/root.sh exec "${ROOT24:-/var/lib/slurmrestd-py/trixie}" \
            env SLURMRESTD_PY_RELEASE=24.11 ROOT22=/host ROOT24=/ \
            sh -c 'cd /src/tests && exec /opt/slurmrestd-py/bin/python "$@"' sh "${PYTEST[@]}" ;;
    *) echo "run: SLURMRESTD_PY_RELEASE is 22.05 or 24.11, not $RELEASE" >&2; exit 2 ;;
esac
