"""GET /jobs (and /ping, /nodes, /partitions) with N jobs queued: slurmrestd-py
against the reference, wall time, peak RSS and body size.

Not a test (pytest does not collect bench_*.py) and it asserts nothing about
time. Run as root on the test cluster:

    /opt/slurmrestd-py/bin/python tests/bench/bench_jobs.py [--jobs 5000] [--rounds 5] [--cleanup]
    /opt/slurmrestd-py/bin/python tests/bench/bench_jobs.py --cleanup-only
    /opt/slurmrestd-py/bin/python tests/bench/bench_jobs.py --api v0.0.42 [--endpoints jobs]

The machine's Slurm (`scontrol --version`) says which cluster ours answers
from and which reference stands beside it. On 22.05, with `--api v0.0.42`
(or v0.0.40, v0.0.41) the reference is Slurm 24.11's slurmrestd on its own
cluster (tests/cluster24.sh), which gets N jobs too. On 24.11 (run inside
the trixie root, with ours built there against 24.11; `--api` defaults to
v0.0.42) both daemons answer from that one cluster, side by side:

    R=/var/lib/slurmrestd-py/trixie  # a copy of this tree in $R/src
    bash tests/root.sh exec $R /opt/slurmrestd-py/bin/python /src/tests/bench/bench_jobs.py --cleanup

First it tops the controller up to N jobs (all the jobs it knows, in any
state, which is what GET /jobs lists) with held jobs of user alice named
`bench_hold` (separate `sbatch --hold` submissions, a few in parallel).
Then, in inet mode as alice, each variant answers one `GET ... Connection:
close` per process; the variants run interleaved, one connection of each in
turn, for several rounds, so drift in the cluster's load affects all alike.
Wall time is from spawn to exit. Peak RSS is the daemon's own ru_maxrss as
GNU time (/usr/bin/time -f %M, Debian's `time`, installed if missing)
reports it: time runs as alice and forks the daemon, whose high-water mark
then starts from time's small size, not from this script's. The request is
a 0600 file alice owns, which local auth accepts. `--cleanup` cancels the
pending bench_hold jobs of alice at the end (cancelled jobs stay listed by
the controller until MinJobAge passes).

An endpoint ours does not answer with 200 yet is reported and skipped.
"""
from __future__ import annotations

import argparse
import json
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
ROOT24 = os.environ.get("ROOT24", "/var/lib/slurmrestd-py/trixie")
TIME = "/usr/bin/time"
USER = "alice"
JOB_NAME = "bench_hold"
HOST = []  # how a command reaches a cluster: the host's as it is ...
IN24 = ["chroot", ROOT24]  # ... the 24.11 one's inside its root


OLD_APIS = ("v0.0.36", "v0.0.37", "v0.0.38")  # served by 22.05's slurmrestd, not 24.11's


def local_release() -> str:
    """The machine's Slurm release ("22.05", "24.11"): ours' libslurm and cluster."""
    out = subprocess.run(["scontrol", "--version"], capture_output=True, text=True,
                         check=True).stdout  # "slurm 24.11.5"
    return ".".join(out.split()[1].split(".")[:2])


def variants(api: str, release: str) -> dict[str, tuple[list[str], list[str]]]:
    """name -> (daemon command, as USER; the cluster it answers from)."""
    if release != "22.05":
        if api in OLD_APIS:
            sys.exit(f"Slurm {release}'s slurmrestd does not serve {api}")
        return {"ours": ([OURS], HOST),
                f"reference {release}": ([REFERENCE, "-a", "rest_auth/local"], HOST)}
    if api in OLD_APIS:
        return {"ours": ([OURS], HOST),
                "reference": ([REFERENCE, "-a", "rest_auth/local"], HOST),
                f"reference -s {api}": ([REFERENCE, "-a", "rest_auth/local", "-s", api], HOST)}
    # The 24.11 reference runs as USER inside its root: setpriv execs it
    # (no process left between GNU time and the daemon, whose RSS it reports).
    return {"ours": ([OURS], HOST),
            "reference 24.11": ([*IN24, "setpriv", f"--reuid={USER}", f"--regid={USER}",
                                 "--init-groups", "/usr/sbin/slurmrestd", "-a",
                                 "rest_auth/local"], IN24)}


def endpoints(api: str) -> dict[str, tuple[str, str, int]]:
    """endpoint -> (path, payload key, rounds multiplier)."""
    slash = "" if api in OLD_APIS else "/"
    return {name: (f"/slurm/{api}/{name}{slash}", key, mult) for name, key, mult in (
        ("jobs", "jobs", 1), ("ping", "pings", 4), ("nodes", "nodes", 2),
        ("partitions", "partitions", 2))}


# ---- the queue ----

def jobs_known(cluster: list[str]) -> int:
    """Jobs the controller lists (any state): what GET /jobs returns."""
    out = subprocess.run([*cluster, "squeue", "-h", "--states=all", "-o", "%i"],
                         capture_output=True, text=True, check=True).stdout
    return len(out.split())


def fill(target: int, workers: int, cluster: list[str]) -> int:
    """Submit held jobs as alice until the controller knows `target` jobs."""
    missing = target - jobs_known(cluster)
    if missing <= 0:
        return 0
    print(f"submitting {missing} held jobs as {USER} ({workers} in parallel) ...", flush=True)
    start = time.perf_counter()
    loop = ('i=0; while [ "$i" -lt "$1" ]; do '
            f'sbatch -Q --hold -J {JOB_NAME} -o /dev/null --wrap true >/dev/null || exit 1; '
            'i=$((i+1)); done')
    shares = [missing // workers + (1 if w < missing % workers else 0) for w in range(workers)]
    procs = [subprocess.Popen([*cluster, "runuser", "-u", USER, "--", "sh", "-c", loop, "sh",
                               str(n)])
             for n in shares if n]
    failed = [p for p in procs if p.wait() != 0]
    elapsed = time.perf_counter() - start
    print(f"submitted in {elapsed:.1f} s; the controller now knows {jobs_known(cluster)} jobs",
          flush=True)
    if failed:
        sys.exit("sbatch failed (MaxJobCount reached?)")
    return missing


def cleanup(cluster: list[str]) -> None:
    subprocess.run([*cluster, "scancel", "-u", USER, "--state=PENDING", f"--name={JOB_NAME}"],
                   check=False)
    print(f"cancelled the pending {JOB_NAME} jobs of {USER}")


# ---- one connection ----

def ensure_time() -> None:
    """GNU time (Debian's `time` package) measures the daemon's peak RSS."""
    if os.access(TIME, os.X_OK):
        return
    print("installing Debian's time package ...", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "time"], check=True, env=env)


def owned_temp(prefix: str, content: bytes = b"") -> str:
    """A file alice owns, mode 0600."""
    fd, name = tempfile.mkstemp(prefix=prefix)
    os.write(fd, content)
    os.close(fd)
    pw = pwd.getpwnam(USER)
    os.chown(name, pw.pw_uid, pw.pw_gid)
    os.chmod(name, 0o600)
    return name


def one(cmd: list[str], reqfile: str, rssfile: str, env: dict,
        keep: bool = False) -> tuple[float, int, bytes | int]:
    """(wall seconds, peak RSS in KiB, raw answer or its size) of one daemon.

    GNU time runs as alice and forks the daemon, so the daemon's ru_maxrss
    is its own: a process forked straight from this (large) benchmark would
    inherit our resident size as its high-water mark. The answer is read in
    fixed-size pieces unless `keep`, so this process stays small too.
    """
    # A command entering the 24.11 root starts as root and drops to USER itself.
    who = {} if cmd[0] == "chroot" else {"user": USER, "group": USER, "extra_groups": []}
    with open(reqfile, "rb") as stdin:
        start = time.perf_counter()
        proc = subprocess.Popen([TIME, "-f", "%M", "-o", rssfile, *cmd], stdin=stdin,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                env=env, **who)
        if keep:
            answer = proc.stdout.read()
        else:
            answer, buf = 0, bytearray(1 << 20)
            while n := proc.stdout.readinto(buf):
                answer += n
        proc.wait()
        elapsed = time.perf_counter() - start
    proc.stdout.close()
    if proc.returncode != 0:
        sys.exit(f"{cmd[0]}: exit status {proc.returncode}")
    with open(rssfile) as f:
        rss = int(f.read().split()[-1])
    return elapsed, rss, answer


def body_of(raw: bytes) -> tuple[int, bytes]:
    """(status, decoded body) of one HTTP/1.1 answer."""
    head, _, rest = raw.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip()
    if b"chunked" in headers.get(b"transfer-encoding", b"").lower():
        body, pos = [], 0
        while True:
            end = rest.index(b"\r\n", pos)
            size = int(rest[pos:end].split(b";")[0], 16)
            if size == 0:
                break
            body.append(rest[end + 2:end + 2 + size])
            pos = end + 2 + size + 2
        return status, b"".join(body)
    if b"content-length" in headers:
        return status, rest[:int(headers[b"content-length"])]
    return status, rest


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[math.ceil(0.9 * len(ordered)) - 1]


# ---- main ----

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=5000,
                        help="jobs the controller should know (default 5000)")
    parser.add_argument("--rounds", type=int, default=5,
                        help="rounds of GET /jobs per variant (other endpoints: more)")
    parser.add_argument("--workers", type=int, default=4, help="parallel sbatch loops")
    parser.add_argument("--api", help="API version (default: v0.0.38 on Slurm 22.05, "
                        "v0.0.42 on 24.11; v0.0.40 on: against Slurm 24.11's)")
    parser.add_argument("--endpoints", default="jobs,ping,nodes,partitions",
                        help="comma-separated subset of jobs,ping,nodes,partitions")
    parser.add_argument("--cleanup", action="store_true",
                        help="cancel the bench_hold jobs at the end")
    parser.add_argument("--cleanup-only", action="store_true",
                        help="cancel the bench_hold jobs and exit")
    args = parser.parse_args()
    if os.getuid() != 0:
        sys.exit("run as root (jobs are submitted and daemons started as user alice)")
    release = local_release()
    args.api = args.api or ("v0.0.38" if release == "22.05" else "v0.0.42")
    chosen = variants(args.api, release)
    clusters = {tuple(c) for _, c in chosen.values()}
    if args.cleanup_only:
        for c in clusters:
            cleanup(list(c))
        return
    every = endpoints(args.api)
    wanted = {n: every[n] for n in args.endpoints.split(",")}

    env = {k: v for k, v in os.environ.items() if not k.startswith("SLURMRESTD_")}
    try:
        for c in clusters:
            fill(args.jobs, args.workers, list(c))
        ensure_time()
        reqfiles = {n: owned_temp("bench-jobs-req-", f"GET {p} HTTP/1.1\r\nHost: localhost\r\n"
                                  "Connection: close\r\n\r\n".encode())
                    for n, (p, _, _) in wanted.items()}
        rssfile = owned_temp("bench-jobs-rss-")
        try:
            run(args, chosen, wanted, reqfiles, rssfile, env)
        finally:
            for f in (*reqfiles.values(), rssfile):
                os.unlink(f)
    finally:
        if args.cleanup:
            for c in clusters:
                cleanup(list(c))


def run(args, chosen, endpoints, reqfiles, rssfile, env) -> None:
    commands = {name: cmd for name, (cmd, _) in chosen.items()}
    # One checked answer per variant and endpoint (also the warm-up): status,
    # body size, how many records it lists.
    info: dict[tuple[str, str], tuple[int, int]] = {}
    skip = set()
    for name, (path, key, _) in endpoints.items():
        for variant, cmd in commands.items():
            _, _, raw = one(cmd, reqfiles[name], rssfile, env, keep=True)
            status, body = body_of(raw)
            if status != 200:
                print(f"{variant}: GET {path} answered {status}: {body[:200]!r}; skipped")
                skip.add(name)
                continue
            info[variant, name] = (len(body), len(json.loads(body.decode("utf-8", "replace"))[key]))
            del raw, body
    endpoints = {n: e for n, e in endpoints.items() if n not in skip}

    wall: dict[tuple[str, str], list[float]] = {}
    rss: dict[tuple[str, str], list[int]] = {}
    for name, (path, _, mult) in endpoints.items():
        for _ in range(args.rounds * mult):
            for variant, cmd in commands.items():
                t, m, _ = one(cmd, reqfiles[name], rssfile, env)
                wall.setdefault((variant, name), []).append(t)
                rss.setdefault((variant, name), []).append(m)

    sharing = {}  # cluster -> the variants answering from it
    for name, (_, c) in chosen.items():
        sharing.setdefault(tuple(c), []).append(name)
    known = ", ".join(f"{' and '.join(names)}'s slurmctld {jobs_known(list(c))}"
                      for c, names in sharing.items())
    print(f"\njobs known: {known}; inet mode, one connection per process, "
          f"as {USER}, variants interleaved; {os.cpu_count()} CPUs")
    print(f"{'endpoint':11} {'variant':22} {'n':>3} {'wall median':>12} {'p90':>9} "
          f"{'RSS median':>11} {'p90':>9} {'body':>11} {'records':>8}")
    for name in endpoints:
        for variant in commands:
            w, m = wall[variant, name], rss[variant, name]
            size, count = info[variant, name]
            print(f"{name:11} {variant:22} {len(w):3} {statistics.median(w) * 1e3:9.1f} ms "
                  f"{p90(w) * 1e3:6.1f} ms {statistics.median(m) / 1024:8.1f} MB "
                  f"{p90(m) / 1024:6.1f} MB {size / 1e6:8.2f} MB {count:8}")
    print("\nratios ours / reference (median, p90):")
    for name in endpoints:
        o_w, o_m = wall["ours", name], rss["ours", name]
        for variant in commands:
            if variant == "ours":
                continue
            r_w, r_m = wall[variant, name], rss[variant, name]
            print(f"{name:11} vs {variant:22} wall {statistics.median(o_w) / statistics.median(r_w):5.2f}x"
                  f" / {p90(o_w) / p90(r_w):5.2f}x   RSS "
                  f"{statistics.median(o_m) / statistics.median(r_m):5.2f}x"
                  f" / {p90(o_m) / p90(r_m):5.2f}x   body "
                  f"{info['ours', name][0] / info[variant, name][0]:5.2f}x")


if __name__ == "__main__":
    main()
