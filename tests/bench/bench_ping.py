"""Wall time per inet-mode connection: slurmrestd-py against the reference.

Not a test (pytest does not collect bench_*.py) and it asserts nothing about
time. Run as root on the test cluster:

    /opt/slurmrestd-py/bin/python tests/bench/bench_ping.py [-n 50] [--path /slurm/v0.0.38/ping]

Each connection is one daemon process started as alice with one
`GET ... Connection: close` request on stdin and its stdout on a pipe; the
time is from spawn to exit. Stdin is a file alice owns with mode 0600, which
local auth accepts in both daemons, so no helper process (runuser, sh, cat)
sits in the measured path. The variants run interleaved, one connection of
each in turn, so drift in the cluster's load affects all alike.
"""
from __future__ import annotations

import argparse
import math
import os
import pwd
import statistics
import subprocess
import sys
import tempfile
import time

OURS = os.environ.get("SLURMRESTD_PY", "/opt/slurmrestd-py/bin/slurmrestd-py")
REFERENCE = os.environ.get("SLURMRESTD_REFERENCE", "/usr/sbin/slurmrestd")
USER = "alice"

VARIANTS = {
    "ours": [OURS],
    "reference (default plugins)": [REFERENCE, "-a", "rest_auth/local"],
    "reference (-s v0.0.38)": [REFERENCE, "-a", "rest_auth/local", "-s", "v0.0.38"],
}


def request_file(path: str) -> str:
    fd, name = tempfile.mkstemp(prefix="bench-ping-")
    os.write(fd, f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
    os.close(fd)
    pw = pwd.getpwnam(USER)
    os.chown(name, pw.pw_uid, pw.pw_gid)
    os.chmod(name, 0o600)
    return name


def one(cmd: list[str], reqfile: str, env: dict) -> float:
    with open(reqfile, "rb") as stdin:
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              user=USER, group=USER, extra_groups=[], env=env)
        elapsed = time.perf_counter() - start
    if proc.returncode != 0 or not proc.stdout.startswith(b"HTTP/1.1 200"):
        sys.exit(f"{cmd[0]}: exit {proc.returncode}, answer {proc.stdout[:120]!r}")
    return elapsed


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[math.ceil(0.9 * len(ordered)) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=int(os.environ.get("BENCH_N", 50)),
                        help="connections per variant (default 50)")
    parser.add_argument("--path", default="/slurm/v0.0.38/ping")
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    if os.getuid() != 0:
        sys.exit("run as root (daemons are started as user alice)")

    env = {k: v for k, v in os.environ.items() if not k.startswith("SLURMRESTD_")}
    reqfile = request_file(args.path)
    times: dict[str, list[float]] = {name: [] for name in VARIANTS}
    try:
        for _ in range(args.warmup):
            for cmd in VARIANTS.values():
                one(cmd, reqfile, env)
        for _ in range(args.n):
            for name, cmd in VARIANTS.items():
                times[name].append(one(cmd, reqfile, env))
    finally:
        os.unlink(reqfile)

    print(f"GET {args.path}, inet mode, one connection per process, n={args.n} each, "
          f"interleaved; {os.cpu_count()} CPUs")
    print(f"{'variant':32} {'median ms':>10} {'p90 ms':>10} {'mean ms':>10}")
    for name, values in times.items():
        print(f"{name:32} {statistics.median(values) * 1e3:10.1f} {p90(values) * 1e3:10.1f} "
              f"{statistics.fmean(values) * 1e3:10.1f}")
    ours = times["ours"]
    for name, values in times.items():
        if name == "ours":
            continue
        print(f"ours / {name}: median {statistics.median(ours) / statistics.median(values):.2f}x, "
              f"p90 {p90(ours) / p90(values):.2f}x")


if __name__ == "__main__":
    main()
