"""Listening-mode throughput: slurmrestd-py beside the reference slurmrestd,
both listening on loopback with JWT, in one run; then a soak run.

Not a test (pytest does not collect bench_*.py) and it asserts nothing about
time. Run as root on the test cluster (wrk is in tests/cluster.sh's packages):

    /opt/slurmrestd-py/bin/python tests/bench/bench_listen.py [--api v0.0.42]
        [--duration 5] [--rounds 3] [--jobs 5000] [--jobs-duration 15]
        [--soak 20000] [--skip-keepalive] [--skip-close] [--skip-serial]
        [--skip-jobs] [--skip-soak] [--only ours|reference] [--cleanup]

Both daemons run as the same unprivileged user that is not SlurmUser
(slurmrestd, created by tests/cluster.sh; alice if it is missing):

    reference: SLURM_JWT=daemon slurmrestd -a rest_auth/jwt -s v0.0.38 127.0.0.1:PORT
    ours:      slurmrestd-py -a jwt -s v0.0.38 127.0.0.1:PORT

With --api v0.0.42 the reference is Slurm 24.11's slurmrestd inside its root
(tests/cluster24.sh; it answers from its own cluster, which shares the JWT
key), both with `-s openapi/slurmctld -d data_parser/v0.0.42`.

Clients send alice's token (`scontrol token`) in X-SLURM-USER-NAME and
X-SLURM-USER-TOKEN. Loads, one daemon at a time, alternating:

    GET /ping, 8 keep-alive connections (wrk -t2 -c8)
    GET /ping, 8 clients, a new connection per request (wrk, Connection: close)
    GET /ping, one client, one new connection after another (serial): a
      Python loop on raw sockets connects, sends, reads the whole answer
      (Content-Length) and closes; its own CPU time per request is printed
    GET /jobs, 4 keep-alive connections (wrk -t2 -c4), with --jobs jobs known
      to the controller (topped up with held jobs as bench_jobs.py does)

Each load runs --rounds times per daemon (GET /jobs: --rounds - 2 times),
alternating, so drift in the machine's load affects both alike; each run
follows a 1 s warm-up. Printed: the median run's requests/s, latency
percentiles (50/75/90/99 %), non-2xx answers and socket errors of both,
ours/reference ratios, and every run's requests/s. wrk counts each of the
reference's answers on a closing connection as a read error: it writes a
stray `Connection: Close` line after the body.

The soak (--soak N, at least 20,000 requests) drives each listener from 8
client threads: 4 send half of the requests on keep-alive connections (50
requests each), 4 the other half on new connections (one request each),
and prints the RSS of the listening
parent (the process the daemon was started as, checked to hold the
listening socket) at the start, after the first 1,000 requests and after all
of them, its growth against the 5 MiB target, the number of failed requests
(anything but a complete 200 with "UP"), the connection processes left
and the spare children waiting for one.
The default run takes about 5 minutes.
"""
from __future__ import annotations

import argparse
import os
import pwd
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_jobs  # noqa: E402  (fill, jobs_known, cleanup)

OURS = os.environ.get("SLURMRESTD_PY", "/opt/slurmrestd-py/bin/slurmrestd-py")
REFERENCE = os.environ.get("SLURMRESTD_REFERENCE", "/usr/sbin/slurmrestd")
CLIENT_USER = "alice"
TARGET_GROWTH_KIB = 5 * 1024


class Api:
    """One API version: the daemons' commands and the cluster the reference uses."""

    def __init__(self, version: str):
        self.version = version
        self.modern = version not in ("v0.0.36", "v0.0.37", "v0.0.38")
        self.prefix = f"/slurm/{version}"
        self.ping = self.prefix + ("/ping/" if self.modern else "/ping")
        self.jobs = self.prefix + ("/jobs/" if self.modern else "/jobs")
        # ours always answers from the host's cluster; the 24.11 reference from its own
        self.cluster = bench_jobs.IN24 if self.modern else bench_jobs.HOST

    def command(self, which: str, user: pwd.struct_passwd) -> tuple[list[str], dict, bool]:
        """(command, environment, whether Popen drops to `user` itself)."""
        if self.modern:
            select = ["-s", "openapi/slurmctld", "-d", f"data_parser/{self.version}"]
        else:
            select = ["-s", self.version]
        if which == "ours":
            return [OURS, "-a", "jwt", *select], {}, True
        if not self.modern:
            return [REFERENCE, "-a", "rest_auth/jwt", *select], {"SLURM_JWT": "daemon"}, True
        # chroot and setpriv exec: the daemon keeps the process Popen started
        return ([*bench_jobs.IN24, "setpriv", f"--reuid={user.pw_name}",
                 f"--regid={user.pw_name}", "--init-groups", "/usr/sbin/slurmrestd",
                 "-a", "rest_auth/jwt", *select], {"SLURM_JWT": "daemon"}, False)


# ---- daemons ----

def daemon_user() -> pwd.struct_passwd:
    for name in ("slurmrestd", "alice"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    sys.exit("no unprivileged user to run the daemons as")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Listener:
    def __init__(self, name: str, api: Api, user: pwd.struct_passwd):
        self.name = name
        self.port = free_port()
        cmd, env, drop = api.command(name, user)
        full_env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("SLURMRESTD_", "SLURM_JWT"))}
        full_env.update(env)
        who = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []} if drop else {}
        self.proc = subprocess.Popen(
            [*cmd, f"127.0.0.1:{self.port}"], env=full_env, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd="/", **who)
        deadline = time.monotonic() + 30
        while self._socket_inode() is None:
            if self.proc.poll() is not None:
                sys.exit(f"{name}: exited with status {self.proc.returncode}")
            if time.monotonic() > deadline:
                sys.exit(f"{name}: not listening after 30 s")
            time.sleep(0.05)
        time.sleep(0.3)

    def _socket_inode(self) -> str | None:
        hexport = f":{self.port:04X}"
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[1].endswith(hexport) and fields[3] == "0A":
                return fields[9]
        return None

    def holds_listening_socket(self, pid: int | None = None) -> bool:
        """Whether process `pid` (default: the one started, then no wrapper
        sits between) holds the listening socket."""
        target = f"socket:[{self._socket_inode()}]"
        try:
            return any(os.readlink(fd) == target
                       for fd in Path(f"/proc/{pid or self.proc.pid}/fd").iterdir())
        except OSError:  # gone meanwhile
            return False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def rss_kib(self) -> int:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def children(self) -> tuple[int, int]:
        """(children serving a connection, spares): a spare still waits on
        the listening socket; one that took a connection has closed it."""
        pids = [int(pid) for task in Path(f"/proc/{self.proc.pid}/task").iterdir()
                for pid in (task / "children").read_text().split()]
        spares = sum(self.holds_listening_socket(pid) for pid in pids)
        return len(pids) - spares, spares

    def stop(self) -> int | None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # both stop cleanly on SIGINT
            try:
                return self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def token(user: str, cluster: list[str], lifespan: int = 7200) -> str:
    out = subprocess.run([*cluster, "scontrol", "token", f"username={user}",
                          f"lifespan={lifespan}"],
                         capture_output=True, text=True, check=True).stdout.strip()
    return out.split("=", 1)[1]


# ---- clients ----

_UNIT = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def _ms(text: str) -> float:
    m = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text)
    return float(m.group(1)) * _UNIT[m.group(2)] if m else float("nan")


def wrk(url: str, connections: int, seconds: float, tok: str, close=False) -> dict:
    cmd = ["wrk", "-t", str(min(2, connections)), "-c", str(connections),
           "-d", f"{seconds:g}s", "--timeout", "120s", "--latency",
           "-H", f"X-SLURM-USER-NAME: {CLIENT_USER}", "-H", f"X-SLURM-USER-TOKEN: {tok}"]
    if close:
        cmd += ["-H", "Connection: close"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1)),
              "requests": int(re.search(r"(\d+) requests in", out).group(1)),
              "non2xx": 0, "errors": 0}
    for pct in ("50", "75", "90", "99"):
        m = re.search(rf"^\s+{pct}%\s+(\S+)", out, re.M)
        result[f"p{pct}"] = _ms(m.group(1)) if m else float("nan")
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        result["non2xx"] = int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        result["errors"] = sum(int(g) for g in m.groups())
    return result


def request(path: str, tok: str, close: bool) -> bytes:
    return (f"GET {path} HTTP/1.1\r\nHost: localhost\r\n"
            f"X-SLURM-USER-NAME: {CLIENT_USER}\r\nX-SLURM-USER-TOKEN: {tok}\r\n"
            + ("Connection: close\r\n" if close else "") + "\r\n").encode()


def read_response(sock: socket.socket, buf: bytearray) -> tuple[bool, str]:
    """One whole answer (Content-Length) from `sock`; (ok, why not): ok is
    a 200 whose body says "UP". What follows the body stays in `buf`."""
    while b"\r\n\r\n" not in buf:
        data = sock.recv(65536)
        if not data:
            return False, "closed before the response"
        buf += data
    head, _, rest = bytes(buf).partition(b"\r\n\r\n")
    status = head.split(b" ", 2)[1]
    m = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
    if not m:
        return False, f"no Content-Length ({status!r})"
    length = int(m.group(1))
    while len(rest) < length:
        data = sock.recv(65536)
        if not data:
            return False, "closed in the body"
        rest += data
    del buf[:]
    buf += rest[length:]
    if status != b"200":
        return False, f"status {status.decode()}"
    if b'"UP"' not in rest[:length]:
        return False, 'no "UP" in the body'
    return True, ""


def serial(port: int, path: str, seconds: float, tok: str) -> dict:
    """One client, one new connection per request, each after the last answer:
    connect, send, read the whole answer, close."""
    req = request(path, tok, close=True)
    latencies: list[float] = []
    non2xx = errors = 0
    cpu0 = time.process_time()
    end = time.perf_counter() + seconds
    while (t0 := time.perf_counter()) < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sock.sendall(req)
                ok, why = read_response(sock, bytearray())
        except OSError:
            ok, why = False, "socket"
        latencies.append(time.perf_counter() - t0)
        if not ok:
            if why.startswith("status"):
                non2xx += 1
            else:
                errors += 1
    elapsed = time.perf_counter() - (end - seconds)
    ms = sorted(x * 1e3 for x in latencies)
    q = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else ms * 99
    return {"rps": len(ms) / elapsed, "requests": len(ms), "non2xx": non2xx, "errors": errors,
            "p50": statistics.median(ms), "p75": q[74], "p90": q[89], "p99": q[98],
            "client_ms": (time.process_time() - cpu0) * 1e3 / max(1, len(ms))}


def show(title: str, results: dict[str, dict]) -> None:
    print(f"\n{title}")
    print(f"  {'':10} {'req/s':>9} {'p50 ms':>9} {'p75 ms':>9} {'p90 ms':>9} "
          f"{'p99 ms':>9} {'requests':>9} {'non-2xx':>8} {'errors':>7}")
    for name, r in results.items():
        print(f"  {name:10} {r['rps']:9.1f} {r['p50']:9.2f} {r['p75']:9.2f} {r['p90']:9.2f} "
              f"{r['p99']:9.2f} {r['requests']:9d} {r['non2xx']:8d} {r['errors']:7d}"
              + (f"   client CPU {r['client_ms']:.3f} ms/request" if "client_ms" in r else ""))
    if {"ours", "reference"} <= results.keys():
        o, ref = results["ours"], results["reference"]
        ratio = o["rps"] / ref["rps"] if ref["rps"] else float("inf")
        print(f"  ours/reference: {ratio:.2f}x requests/s, "
              f"p50 latency {o['p50'] / ref['p50']:.2f}x, p99 {o['p99'] / ref['p99']:.2f}x")
    sys.stdout.flush()


def load(title: str, measure, api: Api, user, which=("ours", "reference"),
         rounds: int = 3) -> dict:
    """`rounds` runs of `measure(listener, seconds)` on each daemon,
    alternating (and alternating which goes first), so drift in the
    machine's load affects both alike; each after a 1 s warm-up. The run
    with the median requests/s of each is shown, and every run's requests/s."""
    runs: dict[str, list[dict]] = {name: [] for name in which}
    for r in range(rounds):
        for name in (which if r % 2 == 0 else tuple(reversed(which))):
            listener = Listener(name, api, user)
            try:
                measure(listener, 1.0)
                runs[name].append(measure(listener, None))
            finally:
                listener.stop()
    results = {name: sorted(rs, key=lambda x: x["rps"])[len(rs) // 2]
               for name, rs in runs.items()}
    show(f"{title}, median of {rounds} run(s)", results)
    for name, rs in runs.items():
        print(f"  {name} runs: " + ", ".join(f"{x['rps']:.1f}" for x in rs) + " req/s")
    sys.stdout.flush()
    return results


def by_wrk(path: str, connections: int, seconds: float, tok: str, close=False):
    return lambda listener, warm: wrk(listener.url + path, connections, warm or seconds,
                                      tok, close)


def by_serial(path: str, seconds: float, tok: str):
    return lambda listener, warm: serial(listener.port, path, warm or seconds, tok)


# ---- soak ----

class Soak:
    """`total` GET /ping requests from `threads` clients: half of the
    clients send half of the requests on connections kept alive for
    `per_conn` requests, half send the other half on a new connection each."""

    def __init__(self, port: int, path: str, tok: str, total: int, threads=8, per_conn=50):
        self.port = port
        self.threads = threads
        self.per_conn = per_conn
        self.request = request(path, tok, close=False)
        self.closing = request(path, tok, close=True)
        self.lock = threading.Lock()
        self.left = {True: total - total // 2, False: total // 2}  # keep-alive? -> requests
        self.done = 0
        self.failed = 0
        self.failures: list[str] = []
        self.new_connections = 0
        self.milestones: dict[int, threading.Event] = {}

    def _take(self, keep_alive: bool) -> bool:
        with self.lock:
            if not self.left[keep_alive]:
                return False
            self.left[keep_alive] -= 1
            return True

    def _finish(self, ok: bool, why: str = "") -> None:
        with self.lock:
            self.done += 1
            if not ok:
                self.failed += 1
                if len(self.failures) < 5:
                    self.failures.append(why)
            for mark, event in self.milestones.items():
                if self.done >= mark:
                    event.set()

    def _worker(self, keep_alive: bool) -> None:
        while True:
            sock = None
            try:
                n = self.per_conn if keep_alive else 1
                for i in range(n):
                    if not self._take(keep_alive):
                        return
                    if sock is None:
                        sock = socket.create_connection(("127.0.0.1", self.port), timeout=60)
                        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                        buf = bytearray()
                        with self.lock:
                            self.new_connections += 1
                    last = i == n - 1
                    sock.sendall(self.closing if last else self.request)
                    ok, why = read_response(sock, buf)
                    self._finish(ok, why)
                    if not ok:
                        break
            except OSError as e:
                self._finish(False, f"{type(e).__name__}: {e}")
            finally:
                if sock is not None:
                    sock.close()

    def run(self, listener: Listener, first: int = 1000) -> dict:
        self.milestones[first] = threading.Event()
        workers = [threading.Thread(target=self._worker, args=(i % 2 == 0,), daemon=True)
                   for i in range(self.threads)]
        rss_start = listener.rss_kib()
        t0 = time.perf_counter()
        for w in workers:
            w.start()
        self.milestones[first].wait()
        rss_first = listener.rss_kib()
        for w in workers:
            w.join()
        elapsed = time.perf_counter() - t0
        time.sleep(1.0)  # let the last connections' processes end
        return {"start": rss_start, "first": rss_first, "end": listener.rss_kib(),
                "elapsed": elapsed, "done": self.done, "failed": self.failed,
                "failures": self.failures, "connections": self.new_connections,
                "left": listener.children()}


def soak(total: int, api: Api, tok: str, user, which=("ours", "reference")) -> None:
    print(f"\nsoak: {total} GET {api.ping}, 8 clients: {total - total // 2} on keep-alive "
          f"connections (4 clients, 50 requests each), {total // 2} on new connections "
          "(4 clients); RSS of the listening parent")
    print(f"  {'':10} {'pid':>7} {'start':>9} {'@1000':>9} {'@' + str(total):>9} "
          f"{'growth':>9} {'from @1000':>10} {'req/s':>7} {'conns':>6} {'failed':>7} "
          f"{'left':>5} {'spares':>6}")
    for name in which:
        listener = Listener(name, api, user)
        try:
            if not listener.holds_listening_socket():
                sys.exit(f"{name}: process {listener.proc.pid} does not hold the listening "
                         "socket: its RSS would not be the listener's")
            r = Soak(listener.port, api.ping, tok, total).run(listener)
        finally:
            code = listener.stop()
        growth = r["end"] - r["start"]
        verdict = "within" if max(growth, r["end"] - r["first"]) <= TARGET_GROWTH_KIB \
            else "OVER"
        print(f"  {name:10} {listener.proc.pid:7d} {r['start']:5d} KiB {r['first']:5d} KiB "
              f"{r['end']:5d} KiB {growth:+5d} KiB {r['end'] - r['first']:+6d} KiB "
              f"{r['done'] / r['elapsed']:7.1f} {r['connections']:6d} {r['failed']:7d} "
              f"{r['left'][0]:5d} {r['left'][1]:6d}   exit {code}; {verdict} the 5 MiB target")
        for why in r["failures"]:
            print(f"    failure: {why}")
    sys.stdout.flush()


# ---- main ----

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--api", default="v0.0.38",
                        help="v0.0.38 (default; reference 22.05) or v0.0.40-42 "
                             "(reference 24.11, tests/cluster24.sh)")
    parser.add_argument("--duration", type=float, default=5,
                        help="seconds per /ping run (default 5)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="runs of each daemon per load, alternating (median shown)")
    parser.add_argument("--jobs", type=int, default=5000,
                        help="jobs the controller should know for GET /jobs (default 5000)")
    parser.add_argument("--jobs-duration", type=float, default=15,
                        help="seconds per /jobs run (default 15)")
    parser.add_argument("--soak", type=int, default=20000,
                        help="soak requests (default 20000; at least 1000)")
    for part, what in (("keepalive", "8 keep-alive connections"),
                       ("close", "8 clients, a new connection per request"),
                       ("serial", "one client, a new connection per request"),
                       ("jobs", "the GET /jobs load"), ("soak", "the soak")):
        parser.add_argument(f"--skip-{part}", action="store_true", help=f"no {what}")
    parser.add_argument("--only", choices=("ours", "reference"),
                        help="load one daemon only")
    parser.add_argument("--cleanup", action="store_true",
                        help="cancel the bench_hold jobs at the end")
    args = parser.parse_args()
    if os.getuid() != 0:
        sys.exit("run as root (daemons run as an unprivileged user)")
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk (tests/cluster.sh installs it)")
    api = Api(args.api)
    user = daemon_user()
    which = (args.only,) if args.only else ("ours", "reference")
    tok = token(CLIENT_USER, api.cluster)  # the clusters share the JWT key
    print(f"{api.prefix}: daemons run as {user.pw_name}; clients authenticate as "
          f"{CLIENT_USER} (JWT); reference {'24.11' if api.modern else '22.05'}; "
          f"{os.cpu_count()} CPUs")

    d = args.duration
    if not args.skip_keepalive:
        load(f"GET {api.ping}, 8 keep-alive connections, {d:g} s",
             by_wrk(api.ping, 8, d, tok), api, user, which, args.rounds)
    if not args.skip_close:
        load(f"GET {api.ping}, 8 clients, a new connection per request, {d:g} s",
             by_wrk(api.ping, 8, d, tok, close=True), api, user, which, args.rounds)
    if not args.skip_serial:
        load(f"GET {api.ping}, one client, one new connection after another, {d:g} s",
             by_serial(api.ping, d, tok), api, user, which, args.rounds)
    if not args.skip_jobs:
        bench_jobs.fill(args.jobs, 4, bench_jobs.HOST)
        known = bench_jobs.jobs_known(bench_jobs.HOST)
        if api.modern:
            bench_jobs.fill(args.jobs, 4, api.cluster)
            known = f"{known} / {bench_jobs.jobs_known(api.cluster)}"
        load(f"GET {api.jobs} ({known} jobs known), 4 keep-alive connections, "
             f"{args.jobs_duration:g} s", by_wrk(api.jobs, 4, args.jobs_duration, tok),
             api, user, which, max(1, args.rounds - 2))
    if not args.skip_soak and args.soak:
        soak(max(args.soak, 1000), api, tok, user, which)
    if args.cleanup:
        bench_jobs.cleanup(bench_jobs.HOST)
        if api.modern:
            bench_jobs.cleanup(api.cluster)


if __name__ == "__main__":
    main()
