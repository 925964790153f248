"""A fresh connection's GET /slurm/v0.0.38/ping to an already started daemon:
slurmrestd-py under socket activation (systemd Accept=no, through
`systemd-socket-activate` without --inetd, after its first connection)
beside the reference slurmrestd listening.

Not a test (pytest does not collect bench_*.py) and it asserts nothing about
time. Run as root on the test cluster, under the cluster lock:

    flock /work/cluster.lock /opt/slurmrestd-py/bin/python tests/bench/bench_activation.py
        [--connections 300] [--rounds 3]

Both daemons run as the same unprivileged user (see bench_listen.py):

    ours:      systemd-socket-activate -l 127.0.0.1:PORT slurmrestd-py -a jwt -s v0.0.38
    reference: SLURM_JWT=daemon slurmrestd -a rest_auth/jwt -s v0.0.38 127.0.0.1:PORT

One client, one connection after another: connect, send the request with
alice's token and `Connection: close`, read to the end. The time of each is
taken from connect to the last byte. Each round starts both daemons afresh
(ours is started by one connection that is not timed), alternating which
goes first; ours listening (bench_listen.py's way) is measured alike, to
show what activation adds to listening mode; printed: the median, 90th percentile and mean of all the timed
connections of each, and ours/reference.
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_listen  # noqa: E402  (Api, Listener, daemon_user, free_port, token)

API = bench_listen.Api("v0.0.38")


class Activated:
    """slurmrestd-py under systemd-socket-activate (Accept=no): it execs
    the daemon in place on the first connection, with LISTEN_FDS."""

    name = "ours (activated)"

    def __init__(self, user):
        self.port = bench_listen.free_port()
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("SLURMRESTD_", "SLURM_JWT"))}
        self.proc = subprocess.Popen(
            ["systemd-socket-activate", "-l", f"127.0.0.1:{self.port}",
             bench_listen.OURS, "-a", "jwt", "-s", "v0.0.38"],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, cwd="/", user=user.pw_uid, group=user.pw_gid,
            extra_groups=[])
        deadline = time.monotonic() + 30
        while not _listening(self.port):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                sys.exit("systemd-socket-activate: not listening")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _listening(port: int) -> bool:
    hexport = f":{port:04X}"
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1].endswith(hexport) and fields[3] == "0A":
            return True
    return False


def fresh_ping(port: int, request: bytes) -> float:
    """Seconds for one new connection's ping, connect to the end of the answer."""
    t0 = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    elapsed = time.perf_counter() - t0
    if not data.startswith(b"HTTP/1.1 200") or b'"UP"' not in data:
        sys.exit(f"not a ping answer: {data[:200]!r}")
    return elapsed


def measure(which: str, user, request: bytes, connections: int) -> list[float]:
    daemon = (Activated(user) if which == "activated"
              else bench_listen.Listener(which, API, user))
    try:
        fresh_ping(daemon.port, request)  # ours: starts the daemon; both: warm-up
        time.sleep(0.3)
        return [fresh_ping(daemon.port, request) for _ in range(connections)]
    finally:
        daemon.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--connections", type=int, default=300,
                        help="timed connections per daemon and round (default 300)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (default 3)")
    args = parser.parse_args()
    if os.getuid() != 0:
        sys.exit("run as root (daemons run as an unprivileged user)")
    user = bench_listen.daemon_user()
    tok = bench_listen.token(bench_listen.CLIENT_USER, API.cluster)
    request = (f"GET {API.ping} HTTP/1.1\r\nHost: localhost\r\n"
               f"X-SLURM-USER-NAME: {bench_listen.CLIENT_USER}\r\n"
               f"X-SLURM-USER-TOKEN: {tok}\r\nConnection: close\r\n\r\n").encode()
    order = ("activated", "reference", "ours")
    times: dict[str, list[float]] = {which: [] for which in order}
    for r in range(args.rounds):
        for which in (order if r % 2 == 0 else tuple(reversed(order))):
            times[which] += measure(which, user, request, args.connections)
    print(f"GET {API.ping}, a new connection each, one client, to a started daemon; "
          f"{args.rounds} x {args.connections} connections each; daemons as {user.pw_name}, "
          f"JWT; {os.cpu_count()} CPUs")
    print(f"  {'':42} {'median ms':>10} {'p90 ms':>8} {'mean ms':>8}")
    rows = {"ours (systemd-socket-activate, Accept=no)": times["activated"],
            "reference (listening)": times["reference"],
            "ours (listening, for comparison)": times["ours"]}
    stats = {}
    for name, ts in rows.items():
        ts = sorted(ts)
        stats[name] = (statistics.median(ts) * 1e3, ts[int(len(ts) * 0.9)] * 1e3,
                       statistics.fmean(ts) * 1e3)
        print(f"  {name:42} {stats[name][0]:10.2f} {stats[name][1]:8.2f} {stats[name][2]:8.2f}")
    ours, ref, _ = stats.values()
    print(f"  activated/reference: median {ours[0] / ref[0]:.2f}x, p90 {ours[1] / ref[1]:.2f}x, "
          f"mean {ours[2] / ref[2]:.2f}x")


if __name__ == "__main__":
    main()
