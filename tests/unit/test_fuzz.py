"""Each fuzz target (tests/fuzz/) for a short, fixed number of executions:
no unexpected exception, no input slower than 10 s. Longer runs:
`python tests/fuzz/run.py NAME -max_total_time=SECONDS` (see the README)."""
import os
import subprocess
import sys

import pytest

RUN = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fuzz", "run.py")
RUNS = {"http": 20000, "bodies": 100000, "jwt": 100000, "router": 100000}


@pytest.mark.parametrize("name", list(RUNS))
def test_fuzz_target_runs_clean(name, tmp_path):
    proc = subprocess.run(
        [sys.executable, RUN, name, f"-runs={RUNS[name]}", "-timeout=10",
         f"-artifact_prefix={tmp_path}/"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert f"Done {RUNS[name]} runs" in proc.stderr
