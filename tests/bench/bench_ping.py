"""Wall time per inet-mode connection: slurmrestd-py against the reference.

Not a test (pytest does not collect bench_*.py) and it asserts nothing about
time. Run as root on the test cluster:

    /opt/slurmrestd-py/bin/python tests/bench/bench_ping.py [-n 50] [--path /slurm/v0.0.38/ping]
        [--baseline CMD]

    /opt/slurmrestd-py/bin/python tests/bench/bench_ping.py --phases [-n 30] [--baseline CMD]

Each connection is one daemon process started as alice with one
`GET ... Connection: close` request on stdin and its stdout on a pipe; the
time is from spawn to exit. Stdin is a file alice owns with mode 0600, which
local auth accepts in both daemons, so no helper process (runuser, sh, cat)
sits in the measured path. The variants run interleaved, one connection of
each in turn, so drift in the cluster's load affects all alike.

--phases: where one connection's time goes, for /slurm/v0.0.38/ping and
/slurm/v0.0.42/ping/. Ours runs through inet_phases.py (the console
script's own code and #! flags, with a mark as each phase ends), beside
ours run plainly, the 22.05 reference (default plugins) for v0.0.38 and
24.11's (default plugins, in its root: tests/cluster24.sh) for v0.0.42,
and --baseline (another build of ours) if given, interleaved. Printed: each phase's median, the modules a connection loads,
and the totals side by side.
"""
from __future__ import annotations

import argparse
import math
import os
import pwd
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

OURS = os.environ.get("SLURMRESTD_PY", "/opt/slurmrestd-py/bin/slurmrestd-py")
REFERENCE = os.environ.get("SLURMRESTD_REFERENCE", "/usr/sbin/slurmrestd")
ROOT24 = os.environ.get("ROOT24", "/var/lib/slurmrestd-py/trixie")
USER = "alice"
PHASES_CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "inet_phases.py")

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


def one(cmd: list[str], reqfile: str, env: dict, check=True) -> float:
    with open(reqfile, "rb") as stdin:
        # A command entering the 24.11 root starts as root and drops to USER itself.
        who = {} if cmd[0] == "chroot" else {"user": USER, "group": USER, "extra_groups": []}
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              env=env, **who)
        elapsed = time.perf_counter() - start
    if check and (proc.returncode != 0 or not proc.stdout.startswith(b"HTTP/1.1 200")):
        sys.exit(f"{cmd[0]}: exit {proc.returncode}, answer {proc.stdout[:120]!r}")
    return elapsed


def phased(script: list[str], reqfile: str, env: dict) -> tuple[list[tuple[str, float]], str]:
    """One connection of ours through inet_phases.py: (phase, seconds) in
    order, from spawn to exit, and the modules it had loaded."""
    marks_r, marks_w = os.pipe()
    with open(reqfile, "rb") as stdin:
        start = time.monotonic()
        proc = subprocess.Popen([*script, str(marks_w), OURS],
                                stdin=stdin, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, user=USER, group=USER,
                                extra_groups=[], env=env, pass_fds=(marks_w,))
        os.close(marks_w)
        out = proc.stdout.read()
        with os.fdopen(marks_r, "rb") as f:
            report = f.read().decode()
        proc.wait()
        end = time.monotonic()
    if proc.returncode != 0 or not out.startswith(b"HTTP/1.1 200"):
        sys.exit(f"phased: exit {proc.returncode}, answer {out[:120]!r}")
    lines = report.splitlines()
    modules = lines.pop().split(" ", 1)[1]
    phases, last = [], start
    for line in lines:
        name, when = line.rsplit(" ", 1)
        phases.append((name, float(when) - last))
        last = float(when)
    phases.append(("exit", end - last))
    return phases, modules


def console_interpreter() -> list[str]:
    """The interpreter and flags of the console script's #! line."""
    with open(OURS) as f:
        line = f.readline()
    if not line.startswith("#!"):
        sys.exit(f"{OURS}: no #! line")
    return shlex.split(line[2:])


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[math.ceil(0.9 * len(ordered)) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=int(os.environ.get("BENCH_N", 50)),
                        help="connections per variant (default 50)")
    parser.add_argument("--path", default="/slurm/v0.0.38/ping")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--phases", action="store_true",
                        help="where ours spends a connection's time, v0.0.38 and v0.0.42 /ping")
    parser.add_argument("--baseline", metavar="COMMAND",
                        help="another build of ours (its slurmrestd-py), run interleaved too: "
                             "before and after a change in one run")
    args = parser.parse_args()
    if os.getuid() != 0:
        sys.exit("run as root (daemons are started as user alice)")

    env = {k: v for k, v in os.environ.items() if not k.startswith("SLURMRESTD_")}
    if args.phases:
        phases(args.n, args.warmup, env, args.baseline)
        return
    if args.baseline:
        VARIANTS["ours (baseline)"] = [args.baseline]
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


# What ends at each mark of inet_phases.py (and at the parent's "exit").
PHASE_NAMES = {
    "interpreter": "interpreter start (exec, site)",
    "driver": "(inet_phases.py itself)",
    "imports": "imports: console script, cli, options",
    "options": "option parsing",
    "logging": "logging: import, set-up",
    "checks": "security checks, libslurm load",
    "app": "imports: app, http/h11, auth; router",
    "serve": "imports: transport",
    "request": "request read and parsed, log line",
    "auth": "authentication",
    "log lines": "log line",
    "libslurm init": "libslurm init, auth plugin, credential",
    "route": "route, handler imports",
    "RPC": "ping RPC",
    "answer": "answer: envelope, JSON, write",
    "flush": "logging shutdown, flush",
    "exit": "exit (kernel, parent wakes)",
}


def phases(n: int, warmup: int, env: dict, baseline: str | None) -> None:
    script = [*console_interpreter(), PHASES_CHILD]
    apis = {"v0.0.38": ("/slurm/v0.0.38/ping", [REFERENCE, "-a", "rest_auth/local"],
                        "reference 22.05"),
            "v0.0.42": ("/slurm/v0.0.42/ping/",
                        ["chroot", ROOT24, "setpriv", f"--reuid={USER}", f"--regid={USER}",
                         "--init-groups", "/usr/sbin/slurmrestd", "-a", "rest_auth/local"],
                        "reference 24.11")}
    # The interpreter alone (it imports os, as site does), with the #! line's
    # flags and with more: what flags could save.
    bare = {" ".join(flags) or "(the #! line's)": [*script[:-1], *flags, "-c", "import os"]
            for flags in ([], ["-I"], ["-I", "-S"])}
    reqfiles = {api: request_file(path) for api, (path, _, _) in apis.items()}
    alone = {name: [] for name in bare}
    steps = {api: {} for api in apis}
    others = {"ours": [OURS], "reference": None, **({"ours (baseline)": [baseline]}
                                                    if baseline else {})}
    totals = {api: {"ours, phased": [], **{name: [] for name in others}} for api in apis}
    modules = {}
    try:
        for i in range(warmup + n):
            for api, (_, reference, _) in apis.items():
                took = {name: one(cmd or reference, reqfiles[api], env)
                        for name, cmd in others.items()}
                marks, modules[api] = phased(script, reqfiles[api], env)
                if i < warmup:
                    continue
                for name, t in took.items():
                    totals[api][name].append(t)
                if api == "v0.0.38":
                    for name, cmd in bare.items():
                        alone[name].append(one(cmd, reqfiles[api], env, check=False))
                totals[api]["ours, phased"].append(sum(t for _, t in marks))
                for name, t in marks:
                    steps[api].setdefault(name, []).append(t)
    finally:
        for name in reqfiles.values():
            os.unlink(name)

    print(f"GET /ping, inet mode, one connection per process: where ours spends it "
          f"(median of {n}, ms; {shlex.join(script[:-1])}); {os.cpu_count()} CPUs")
    print(f"{'phase':42} " + " ".join(f"{api:>9}" for api in apis))
    for name in PHASE_NAMES:
        if any(name in steps[api] for api in apis):
            print(f"{PHASE_NAMES[name]:42} " + " ".join(
                f"{statistics.median(steps[api][name]) * 1e3:9.2f}" if name in steps[api]
                else f"{'':9}" for api in apis))
    print()
    for label in totals["v0.0.38"]:
        print(f"{'total: ' + label:42} " + " ".join(
            f"{statistics.median(totals[api][label]) * 1e3:9.1f}" for api in apis))
    for api, (_, _, reference) in apis.items():
        ref = statistics.median(totals[api]["reference"])
        print(f"{api}: {reference} {ref * 1e3:.1f} ms; " + ", ".join(
            f"{name} {statistics.median(totals[api][name]) * 1e3:.1f} ms: "
            f"{statistics.median(totals[api][name]) / ref:.2f}x"
            for name in others if name != "reference"))
    print("interpreter alone, spawn to exit, flags: " + ", ".join(
        f"{name} {statistics.median(t) * 1e3:.1f} ms" for name, t in alone.items()))
    for api, names in modules.items():
        loaded = names.split()
        own = [m for m in loaded if m.startswith("slurmrestd_py")]
        print(f"{api}: {len(loaded)} modules loaded, {len(own)} of ours: "
              + " ".join(m.removeprefix("slurmrestd_py.") for m in own))


if __name__ == "__main__":
    main()
