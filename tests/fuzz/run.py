"""Run one fuzz target with atheris (libFuzzer):

    python tests/fuzz/run.py http|bodies|jwt|router [libFuzzer options]

e.g. `-runs=100000` (executions) or `-max_total_time=600` (seconds). The
target's SEEDS start it; inputs that fail are written to the current
directory (crash-*). Exit status 0: no unexpected exception.
"""
import importlib
import os
import shutil
import sys
import tempfile

import atheris

HERE = os.path.dirname(os.path.abspath(__file__))


def main() -> None:
    name, options = sys.argv[1], sys.argv[2:]
    sys.path.insert(0, HERE)
    target = importlib.import_module(f"fuzz_{name}")
    seeds = tempfile.mkdtemp(prefix=f"fuzz-{name}-")
    paths = []
    for i, seed in enumerate(target.SEEDS):
        paths.append(os.path.join(seeds, f"seed{i}"))
        with open(paths[-1], "wb") as f:
            f.write(seed)
    calls = [0]

    def one_input(data: bytes) -> None:
        # libFuzzer reads each seed as it runs it, and exits without
        # running atexit: the seed files go once every one has run.
        calls[0] += 1
        if calls[0] == len(paths) + 2:
            shutil.rmtree(seeds, True)
        target.test_one_input(data)

    atheris.Setup([sys.argv[0], *options, "-seed_inputs=" + ",".join(paths)], one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
