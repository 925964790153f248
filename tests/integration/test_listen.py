"""slurmrestd-py in listening mode against the real cluster: IPv4, IPv6,
dual stack, unix and TLS listeners; privilege dropping after binding; one
process and one identity per connection; the connection limit; header, body
and idle timeouts; SIGTERM/SIGINT draining and SIGHUP.

Daemons start as root and drop to alice with -u after binding (as an admin
would run them). TCP clients authenticate with JWT (tokens from `scontrol
token`); unix socket clients with local auth (SO_PEERCRED).
"""
from __future__ import annotations

import grp
import os
import pwd
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from conftest import API, OURS, USER, assert_no_traceback, parse_responses, validate

PING = f"{API}/ping"
UID = pwd.getpwnam(USER).pw_uid


# ---- helpers ----

def token(user: str) -> str:
    out = subprocess.run(["scontrol", "token", f"username={user}", "lifespan=3600"],
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out.startswith("SLURM_JWT="), out
    return out.split("=", 1)[1]


@pytest.fixture(scope="module")
def alice_token() -> str:
    return token(USER)


@pytest.fixture(scope="module")
def bob_token() -> str:
    return token("bob")


def free_port(family=socket.AF_INET, host="127.0.0.1") -> int:
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def request(path=PING, user=None, tok=None, close=False, extra=()) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: localhost"]
    if user:
        lines.append(f"X-SLURM-USER-NAME: {user}")
    if tok:
        lines.append(f"X-SLURM-USER-TOKEN: {tok}")
    lines += list(extra)
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


class Client:
    """One HTTP connection: raw bytes out, whole responses in."""

    def __init__(self, address, tls: ssl.SSLContext | None = None, timeout=15.0,
                 server_hostname="localhost"):
        if isinstance(address, str):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        else:
            family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
            sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(address)
        if tls is not None:
            sock = tls.wrap_socket(sock, server_hostname=server_hostname)
        self.sock = sock
        self.buf = b""

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def response(self, timeout=15.0):
        self.sock.settimeout(timeout)
        while True:
            responses, leftover, _ = parse_responses(self.buf)
            if responses:
                self.buf = self.buf[len(self.buf) - len(leftover):] if leftover else b""
                assert_no_traceback(responses[0].body)
                return responses[0]
            data = self.sock.recv(65536)
            if not data:
                raise EOFError(f"connection closed; got {self.buf[:300]!r}")
            self.buf += data

    def get(self, *args, **kw):
        self.send(request(*args, **kw))
        return self.response()

    def closed_within(self, seconds: float) -> bool:
        """True if the daemon closes (EOF or reset) within `seconds`,
        ignoring bytes it sends first."""
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(65536)
            except (socket.timeout, TimeoutError):
                return False
            except (ConnectionResetError, ssl.SSLError):
                return True
            if not data:
                return True
            self.buf += data

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Daemon:
    """slurmrestd-py in listening mode, started as root with -u alice."""

    def __init__(self, *args, env=None, user=USER, wait=True):
        self.logfile = tempfile.NamedTemporaryFile(prefix="listen-", suffix=".log")
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("SLURMRESTD_")}
        full_env.update({"SLURMRESTD_LOG_STDERR": "1", **(env or {})})
        cmd = [OURS] + (["-u", user] if user else []) + list(args)
        self.proc = subprocess.Popen(cmd, env=full_env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=self.logfile)
        self.pid = self.proc.pid
        if wait:
            self.wait_ready()

    def log(self) -> str:
        if self.logfile.closed:
            return self._log
        return Path(self.logfile.name).read_text(errors="replace")

    def wait_ready(self, timeout=20.0) -> None:
        deadline = time.monotonic() + timeout
        while "listening on" not in self.log():
            if self.proc.poll() is not None:
                raise AssertionError(f"daemon exited {self.proc.returncode}: {self.log()}")
            assert time.monotonic() < deadline, self.log()
            time.sleep(0.02)
        time.sleep(0.05)  # the accept loop starts right after

    def children(self) -> list[int]:
        try:
            text = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text()
        except FileNotFoundError:
            return []
        return [int(p) for p in text.split()]

    def connections(self) -> list[int]:
        return connections_of(self.pid, self.children())

    def spares(self) -> list[int]:
        return sorted(set(self.children()) - set(self.connections()))

    def send_signal(self, signum) -> None:
        os.kill(self.pid, signum)

    def stop(self, signum=signal.SIGTERM, timeout=20.0) -> int:
        if self.proc.poll() is None:
            self.send_signal(signum)
        return self.proc.wait(timeout)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._log = self.log()
        self.logfile.close()
        assert "Traceback" not in self._log, self._log


def sockets_of(pid: int) -> set[str]:
    """The sockets a process holds ("socket:[inode]")."""
    found = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith("socket:"):
                found.add(target)
    except OSError:
        pass
    return found


def connections_of(daemon: int, children: list[int]) -> list[int]:
    """The children of `daemon` serving a connection. The others are spares,
    waiting on the daemon's listening sockets; one that took a connection
    has closed them."""
    listening = sockets_of(daemon)
    return [pid for pid in children if not sockets_of(pid) & listening]


def uid_of(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Uid:"):
            return int(line.split()[1])
    raise AssertionError("no Uid line")


def wait_until(predicate, timeout=10.0, step=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


def ping_ok(resp, openapi_doc) -> None:
    assert resp.status == 200, resp
    data = resp.json()
    assert data["pings"] and data["pings"][0]["ping"] == "UP"
    validate(openapi_doc, (PING, "get", 200), data)


@pytest.fixture
def tmpdir_alice():
    """A directory alice owns (for unix sockets the daemon may remove)."""
    path = tempfile.mkdtemp(prefix="listen-")
    os.chown(path, UID, -1)
    os.chmod(path, 0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


# ---- TCP listeners ----

def test_ipv4_listener_with_jwt(alice_token, openapi_doc):
    port = free_port()
    with Daemon("-a", "jwt", f"127.0.0.1:{port}") as d:
        with Client(("127.0.0.1", port)) as c:
            ping_ok(c.get(user=USER, tok=alice_token), openapi_doc)
            # Kept alive: a second request on the same connection.
            resp = c.get(user=USER, tok=alice_token)
            ping_ok(resp, openapi_doc)
            assert "connection" not in resp.headers
        with Client(("127.0.0.1", port)) as c:
            resp = c.get()
            assert resp.status == 401 and resp.body == b"Authentication failure"
            assert resp.headers["connection"] == "close"
            assert c.closed_within(5)
        assert d.stop() == 0
    assert "accepted connection from user: alice (jwt)" in d.log()


def test_ipv6_loopback_listener(alice_token, openapi_doc):
    port = free_port(socket.AF_INET6, "::1")
    with Daemon("-a", "jwt", f"[::1]:{port}") as d:
        with Client(("::1", port)) as c:
            ping_ok(c.get(user=USER, tok=alice_token), openapi_doc)
        with pytest.raises(OSError):  # not on IPv4
            Client(("127.0.0.1", port), timeout=2)
        assert d.stop() == 0
    assert f"listening on [::1]:{port}" in d.log()


def test_all_addresses_is_dual_stack(alice_token, openapi_doc):
    port = free_port(socket.AF_INET6, "::")
    with Daemon("-a", "jwt", f":{port}") as d:
        for host in ("127.0.0.1", "::1"):
            with Client((host, port)) as c:
                ping_ok(c.get(user=USER, tok=alice_token), openapi_doc)
        assert d.stop() == 0


def test_host_name_and_environment_listen(alice_token, openapi_doc):
    """SLURMRESTD_LISTEN (comma separated); a name binds what it resolves to."""
    port1, port2 = free_port(), free_port()
    env = {"SLURMRESTD_LISTEN": f"localhost:{port1},127.0.0.1:{port2}"}
    with Daemon("-a", "jwt", env=env) as d:
        for port in (port1, port2):
            with Client(("127.0.0.1", port)) as c:
                ping_ok(c.get(user=USER, tok=alice_token), openapi_doc)
        assert d.stop() == 0


@pytest.mark.parametrize("group", [None, "bob"])
def test_privileges_dropped_after_binding_a_privileged_port(group, alice_token, openapi_doc):
    port = next(p for p in range(900, 1000) if _bindable(p))
    gid = grp.getgrnam(group).gr_gid if group else pwd.getpwnam(USER).pw_gid
    args = ["-g", group] if group else []
    with Daemon(*args, "-a", "jwt", f"127.0.0.1:{port}") as d:
        assert ids_of(d.pid) == (UID, gid, [])
        with Client(("127.0.0.1", port)) as c:
            ping_ok(c.get(user=USER, tok=alice_token), openapi_doc)
            (child,) = d.connections()
            assert ids_of(child) == (UID, gid, [])
            assert all(ids_of(spare) == (UID, gid, []) for spare in d.spares())
        assert d.stop() == 0


def ids_of(pid: int) -> tuple[int, int, list[int]]:
    """(real uid, real gid, supplementary groups) of a process."""
    fields = dict(line.split(":", 1) for line in
                  Path(f"/proc/{pid}/status").read_text().splitlines())
    return (int(fields["Uid"].split()[0]), int(fields["Gid"].split()[0]),
            [int(g) for g in fields["Groups"].split()])


def _bindable(port: int) -> bool:
    try:
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False


def test_root_without_u_is_refused_and_releases_the_port():
    port = free_port()
    d = Daemon(f"127.0.0.1:{port}", user=None, wait=False)
    with d:
        assert d.proc.wait(20) == 1
        assert "refusing to run as root" in d.log()
    assert _bindable(port)


def test_address_in_use_fails_at_start():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        d = Daemon(f"127.0.0.1:{port}", wait=False)
        with d:
            assert d.proc.wait(20) == 1
            assert "Address already in use" in d.log()


# ---- unix sockets ----

def test_unix_listener_local_auth(tmpdir_alice, openapi_doc):
    path = os.path.join(tmpdir_alice, "rest.sock")
    # A stale socket file from a daemon that is gone is replaced.
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(path)
    stale.close()
    with Daemon("-a", "local", f"unix:{path}") as d:
        assert os.stat(path).st_mode & 0o777 == 0o777  # authentication decides
        # root is a trusted peer (served as the daemon's user, or as named)
        with Client(path) as c:
            ping_ok(c.get(), openapi_doc)
        # alice (the daemon's user) and bob, each from their own process
        assert _curl_unix_as(USER, path) == "200"
        assert _curl_unix_as("bob", path) == "401"
        assert d.stop() == 0
    assert not os.path.exists(path)  # removed at shutdown
    assert "accepted connection from user: alice (local)" in d.log()


def _curl_unix_as(user: str, path: str) -> str:
    out = subprocess.run(["runuser", "-u", user, "--", "curl", "-s", "-o", "/dev/null",
                          "-w", "%{http_code}", "--max-time", "20",
                          "--unix-socket", path, f"http://localhost{PING}"],
                         capture_output=True, text=True, timeout=30)
    return out.stdout


def test_unix_socket_of_a_live_daemon_is_not_stolen(tmpdir_alice, openapi_doc):
    path = os.path.join(tmpdir_alice, "rest.sock")
    with Daemon("-a", "local", f"unix:{path}") as first:
        second = Daemon("-a", "local", f"unix:{path}", wait=False)
        with second:
            assert second.proc.wait(20) == 1
            assert "another daemon is listening" in second.log()
        with Client(path) as c:
            ping_ok(c.get(), openapi_doc)
        assert first.stop() == 0


def test_unix_path_that_is_not_a_socket_is_kept(tmpdir_alice):
    path = os.path.join(tmpdir_alice, "file")
    Path(path).write_text("keep me")
    d = Daemon(f"unix:{path}", wait=False)
    with d:
        assert d.proc.wait(20) == 1
    assert Path(path).read_text() == "keep me"


# ---- one process and one identity per connection ----

def test_each_connection_has_its_own_process_and_identity(alice_token, bob_token):
    port = free_port()
    with Daemon("-a", "jwt", f"127.0.0.1:{port}") as d:
        a, b = Client(("127.0.0.1", port)), Client(("127.0.0.1", port))
        with a, b:
            assert a.get(user=USER, tok=alice_token).status == 200
            assert b.get(user="bob", tok=bob_token).status == 200
            children = d.connections()
            assert len(children) == 2 and len(set(children)) == 2
            assert all(uid_of(pid) == UID for pid in children)
            # A connection that spoke as alice cannot switch to bob.
            resp = a.get(user="bob", tok=bob_token)
            assert resp.status == 401
            assert a.closed_within(5)
            # bob's connection is unaffected.
            assert b.get(user="bob", tok=bob_token).status == 200
        # Finished connections' processes are reaped: no zombies pile up.
        assert wait_until(lambda: d.connections() == [], 10)
        assert d.stop() == 0
    log = d.log()
    assert "accepted connection from user: alice (jwt)" in log
    assert "accepted connection from user: bob (jwt)" in log


def test_many_connections_leave_no_processes(alice_token):
    port = free_port()
    with Daemon("-a", "jwt", f"127.0.0.1:{port}") as d:
        for _ in range(30):
            with Client(("127.0.0.1", port)) as c:
                assert c.get(user=USER, tok=alice_token, close=True).status == 200
        assert wait_until(lambda: d.connections() == [], 10)
        assert wait_until(lambda: len(d.children()) == 2, 10)  # the spares
        assert d.stop() == 0


# ---- the connection limit ----

def test_max_connections_makes_clients_wait_not_fail(alice_token, openapi_doc):
    port = free_port()
    with Daemon("-a", "jwt", "--max-connections", "2", f"127.0.0.1:{port}") as d:
        a, b = Client(("127.0.0.1", port)), Client(("127.0.0.1", port))
        assert a.get(user=USER, tok=alice_token).status == 200
        assert b.get(user=USER, tok=alice_token).status == 200
        # A third client connects (the kernel's backlog) but is not served...
        c = Client(("127.0.0.1", port))
        c.send(request(user=USER, tok=alice_token))
        with pytest.raises((socket.timeout, TimeoutError)):
            c.response(timeout=1.5)
        assert len(d.children()) == 2
        # ...while the daemon stays responsive (SIGHUP handled, not fatal)...
        d.send_signal(signal.SIGHUP)
        time.sleep(0.2)
        assert d.proc.poll() is None
        # ...until a slot frees: then it is served.
        a.close()
        t0 = time.monotonic()
        ping_ok(c.response(timeout=10), openapi_doc)
        assert time.monotonic() - t0 < 5
        assert len(d.children()) <= 2
        b.close()
        c.close()
        assert d.stop() == 0


# ---- timeouts ----

def test_half_a_header_is_dropped_after_the_read_timeout_while_others_are_served(
        alice_token, openapi_doc):
    port = free_port()
    with Daemon("-a", "jwt", "--read-timeout", "3", f"127.0.0.1:{port}") as d:
        slow = Client(("127.0.0.1", port))
        t0 = time.monotonic()
        slow.send(b"GET " + PING.encode() + b" HTTP/1.1\r\nHost: localhost\r\nX-SLURM")
        # Others are served meanwhile, on new and kept-alive connections.
        with Client(("127.0.0.1", port)) as other:
            for _ in range(5):
                ping_ok(other.get(user=USER, tok=alice_token), openapi_doc)
        assert time.monotonic() - t0 < 2.5
        resp = slow.response(timeout=10)
        waited = time.monotonic() - t0
        assert resp.status == 408
        assert resp.headers["connection"] == "close"
        assert 2.8 <= waited < 8, waited
        assert slow.closed_within(5)
        slow.close()
        assert d.stop() == 0


def test_a_dripping_header_gets_a_total_deadline(alice_token):
    port = free_port()
    with Daemon("-a", "jwt", "--read-timeout", "1.5", f"127.0.0.1:{port}") as d:
        with Client(("127.0.0.1", port)) as slow:
            t0 = time.monotonic()
            wire = request(user=USER, tok=alice_token)
            got = None
            for i in range(len(wire) - 1):  # one byte every 0.2 s, never the end
                try:
                    slow.send(wire[i:i + 1])
                except OSError:
                    break
                time.sleep(0.2)
                if time.monotonic() - t0 > 6:
                    break
            got = slow.response(timeout=5)
            assert got.status == 408
            assert time.monotonic() - t0 < 6
        assert d.stop() == 0


def test_a_stalled_body_gets_408(alice_token):
    port = free_port()
    with Daemon("-a", "jwt", "--read-timeout", "1", f"127.0.0.1:{port}") as d:
        with Client(("127.0.0.1", port)) as c:
            head = (f"POST {API}/job/submit HTTP/1.1\r\nHost: localhost\r\n"
                    f"X-SLURM-USER-NAME: {USER}\r\nX-SLURM-USER-TOKEN: {alice_token}\r\n"
                    "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\"")
            t0 = time.monotonic()
            c.send(head.encode())
            resp = c.response(timeout=10)
            assert resp.status == 408
            assert 0.9 <= time.monotonic() - t0 < 6
        assert d.stop() == 0


def test_idle_keep_alive_timeout(alice_token):
    port = free_port()
    with Daemon("-a", "jwt", "--idle-timeout", "1", f"127.0.0.1:{port}") as d:
        idle, busy = Client(("127.0.0.1", port)), Client(("127.0.0.1", port))
        with idle, busy:
            assert idle.get(user=USER, tok=alice_token).status == 200
            t0 = time.monotonic()
            # A connection with a request every 0.4 s stays open past the timeout.
            while time.monotonic() - t0 < 2.5:
                assert busy.get(user=USER, tok=alice_token).status == 200
                time.sleep(0.4)
            assert idle.closed_within(1)
            assert busy.get(user=USER, tok=alice_token).status == 200
        # A client that connects and says nothing is closed too.
        with Client(("127.0.0.1", port)) as silent:
            t0 = time.monotonic()
            assert silent.closed_within(5)
            assert 0.9 <= time.monotonic() - t0 < 4
        assert wait_until(lambda: d.connections() == [], 5)
        assert d.stop() == 0


def test_timeouts_from_the_environment():
    port = free_port()
    env = {"SLURMRESTD_IDLE_TIMEOUT": "0.5"}
    with Daemon("-a", "jwt", f"127.0.0.1:{port}", env=env) as d:
        with Client(("127.0.0.1", port)) as silent:
            t0 = time.monotonic()
            assert silent.closed_within(5)
            assert time.monotonic() - t0 < 3
        assert d.stop() == 0


# ---- signals ----

@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_stop_signal_drains_and_exits_0(signum, tmpdir_alice, openapi_doc):
    path = os.path.join(tmpdir_alice, "rest.sock")
    port = free_port()
    with Daemon("-a", "local,jwt", f"unix:{path}", f"127.0.0.1:{port}") as d:
        idle = Client(path)
        ping_ok(idle.get(), openapi_doc)
        # A request in progress: half its header has arrived.
        inflight = Client(path)
        inflight.send(f"GET {PING} HTTP/1.1\r\nHost: localhost\r\n".encode())
        time.sleep(0.3)
        d.send_signal(signum)
        # Idle connections end at once; new ones are refused.
        assert idle.closed_within(3)
        assert wait_until(lambda: not _connects(("127.0.0.1", port)), 3)
        assert wait_until(lambda: not os.path.exists(path), 3)
        assert d.proc.poll() is None  # still waiting for the request in progress
        # The request in progress is answered, as the connection's last one.
        inflight.send(b"\r\n")
        resp = inflight.response(timeout=10)
        ping_ok(resp, openapi_doc)
        assert resp.headers["connection"] == "close"
        assert inflight.closed_within(5)
        inflight.close()
        idle.close()
        assert d.proc.wait(10) == 0
    assert "stopping" in d.log()


def _connects(address) -> bool:
    try:
        with socket.create_connection(address, timeout=2):
            return True
    except OSError:
        return False


def test_shutdown_timeout_bounds_the_drain():
    port = free_port()
    with Daemon("-a", "jwt", "--shutdown-timeout", "1", "--read-timeout", "60",
                f"127.0.0.1:{port}") as d:
        stuck = Client(("127.0.0.1", port))
        stuck.send(f"GET {PING} HTTP/1.1\r\nHost: localhost\r\n".encode())
        time.sleep(0.3)
        t0 = time.monotonic()
        d.send_signal(signal.SIGTERM)
        assert d.proc.wait(10) == 0
        assert 0.9 <= time.monotonic() - t0 < 5
        assert stuck.closed_within(3)
        stuck.close()
    assert "killing 1 connection(s)" in d.log()


def test_sighup_rereads_slurm_conf(alice_token, openapi_doc, tmpdir_alice):
    """The parent read slurm.conf before forking; after SIGHUP the next
    connections see its new content, the connection in progress is not
    disturbed, and the spares forked before it are replaced."""
    conf = Path(tmpdir_alice) / "slurm.conf"
    original = Path("/etc/slurm/slurm.conf").read_text()
    conf.write_text(original)
    ping40 = "/slurm/v0.0.40/ping/"

    def cluster(client) -> str:
        resp = client.get(ping40, user=USER, tok=alice_token)
        assert resp.status == 200, resp
        return resp.json()["meta"]["slurm"]["cluster"]

    port = free_port()
    with Daemon("-a", "jwt", "-f", str(conf), f"127.0.0.1:{port}") as d:
        with Client(("127.0.0.1", port)) as kept:
            assert cluster(kept) == "restcluster"
            spares = wait_until(lambda: len(d.spares()) == 2 and d.spares(), 10)
            conf.write_text(re.sub(r"(?m)^ClusterName=.*$", "ClusterName=renamed", original))
            d.send_signal(signal.SIGHUP)
            assert wait_until(lambda: "reading the configuration again" in d.log(), 5)
            assert wait_until(lambda: len(d.spares()) == 2
                              and not set(d.spares()) & set(spares), 10)
            with Client(("127.0.0.1", port)) as fresh:
                assert cluster(fresh) == "renamed"
            # The connection in progress keeps what it started with.
            assert cluster(kept) == "restcluster"
        assert d.stop() == 0


# ---- spares: children forked before their connection arrives ----

def test_spares_wait_and_each_connection_gets_a_new_process(alice_token, openapi_doc):
    port = free_port()
    with Daemon("-a", "jwt", f"127.0.0.1:{port}") as d:
        first = wait_until(lambda: len(d.spares()) == 2 and d.spares(), 10)
        assert first and d.connections() == []
        seen = set()
        for _ in range(3):
            with Client(("127.0.0.1", port)) as c:
                ping_ok(c.get(user=USER, tok=alice_token), openapi_doc)
                (serving,) = d.connections()
                assert serving not in seen  # never a process that served before
                seen.add(serving)
                # The taken spare is replaced while its connection is served.
                assert wait_until(lambda: len(d.spares()) == 2, 10)
        assert d.stop() == 0


def test_spares_end_with_their_parent_even_if_it_is_killed(alice_token):
    port = free_port()
    with Daemon("-a", "jwt", f"127.0.0.1:{port}") as d:
        spares = wait_until(lambda: len(d.spares()) == 2 and d.spares(), 10)
        d.proc.kill()
        d.proc.wait()
        # Nothing keeps serving, or holds the port, without the parent.
        assert wait_until(lambda: not any(Path(f"/proc/{p}").exists() for p in spares), 5)
        assert not _connects(("127.0.0.1", port))


# ---- TLS ----

@pytest.fixture(scope="module")
def certificate():
    """A self-signed certificate for localhost/127.0.0.1/::1; the key is
    readable by root only (the daemon reads it before dropping to alice)."""
    path = Path(tempfile.mkdtemp(prefix="listen-tls-"))
    cert, key = path / "cert.pem", path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext",
                    "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    os.chmod(key, 0o600)
    yield cert, key
    shutil.rmtree(path, ignore_errors=True)


def client_context(cert) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=str(cert))
    return ctx


def test_tls_listener(certificate, alice_token, openapi_doc):
    cert, key = certificate
    port, plain = free_port(), free_port()
    with Daemon("-a", "jwt", "--tls-cert", str(cert), "--tls-key", str(key),
                f"https://127.0.0.1:{port}", f"127.0.0.1:{plain}") as d:
        ctx = client_context(cert)
        with Client(("127.0.0.1", port), tls=ctx) as c:
            assert c.sock.version() in ("TLSv1.2", "TLSv1.3")
            ping_ok(c.get(user=USER, tok=alice_token), openapi_doc)
            ping_ok(c.get(user=USER, tok=alice_token), openapi_doc)  # kept alive
            resp = c.get(close=True)
            assert resp.status == 401
        # The plain listener beside it is plain.
        with Client(("127.0.0.1", plain)) as c:
            ping_ok(c.get(user=USER, tok=alice_token), openapi_doc)
        # Plain HTTP on the TLS port gets no HTTP answer.
        with Client(("127.0.0.1", port)) as c:
            c.send(request(user=USER, tok=alice_token))
            assert c.closed_within(10)
            assert b"HTTP/1.1 200" not in c.buf
        assert d.stop() == 0
    assert f"listening on https://127.0.0.1:{port}" in d.log()


def test_tls_handshake_does_not_block_others(certificate, alice_token, openapi_doc):
    cert, key = certificate
    port = free_port(socket.AF_INET6, "::1")
    env = {"SLURMRESTD_TLS_CERT": str(cert), "SLURMRESTD_TLS_KEY": str(key)}
    with Daemon("-a", "jwt", "--read-timeout", "2", f"https://[::1]:{port}", env=env) as d:
        mute = Client(("::1", port))  # connects, never says hello
        t0 = time.monotonic()
        with Client(("::1", port), tls=client_context(cert)) as c:
            ping_ok(c.get(user=USER, tok=alice_token), openapi_doc)
        assert time.monotonic() - t0 < 1.8
        # The mute client is dropped after the read timeout.
        assert mute.closed_within(6)
        mute.close()
        assert d.stop() == 0


def test_tls_without_certificate_fails_at_start():
    d = Daemon(f"https://127.0.0.1:{free_port()}", wait=False)
    with d:
        assert d.proc.wait(20) == 1
        assert "--tls-cert" in d.log()


def test_tls_with_the_wrong_key_fails_at_start(certificate, tmp_path):
    cert, _ = certificate
    other = tmp_path / "other.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-out", str(other)],
                   check=True, capture_output=True)
    d = Daemon("--tls-cert", str(cert), "--tls-key", str(other),
               f"https://127.0.0.1:{free_port()}", wait=False)
    with d:
        assert d.proc.wait(20) == 1
        assert "unable to load TLS certificate" in d.log()
