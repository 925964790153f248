"""The deployment files in inetd/ and the man page, exercised for real:

* the xinetd entry, with Debian's xinetd on loopback (only the port changed);
* systemd socket activation (slurmrestd-py.socket + slurmrestd-py@.service,
  Accept=yes) on TCP and on a unix socket, through `systemd-socket-activate
  --inetd`, which hands each accepted connection over on fd 0/1 as systemd
  does; the command, user and socket mode come from the unit files;
* the listening-mode unit (slurmrestd-py.service): its ExecStart, user and
  SLURMRESTD_LISTEN kinds, stopped with its KillSignal within TimeoutStopSec;
* `systemd-analyze verify` on the units, and `man --warnings` on the page.

Services run as the units' user (slurmrestd, a system user tests/cluster.sh
creates); TCP clients authenticate with alice's JWT.
"""
from __future__ import annotations

import os
import pwd
import re
import shlex
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from conftest import API, USER, validate
from test_listen import Client, free_port, token, uid_of, wait_until

ROOT = Path(__file__).resolve().parents[2]
INETD = ROOT / "inetd"
MAN = ROOT / "man" / "slurmrestd-py.8"
PING = f"{API}/ping"


def unit(path: Path) -> dict[str, list[str]]:
    """Key -> values (in order) of a systemd unit file, sections merged."""
    out: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";", "[")):
            continue
        key, _, value = line.partition("=")
        out.setdefault(key.strip(), []).append(value.strip())
    return out


def xinetd_entry(path: Path) -> dict[str, str]:
    attrs = {}
    for line in path.read_text().splitlines():
        m = re.match(r"\s*(\w+)\s*\+?=\s*(.*?)\s*$", line)
        if m and not line.lstrip().startswith("#"):
            attrs[m.group(1)] = m.group(2)
    return attrs


def exec_start(words: str, options: list[str]) -> list[str]:
    """ExecStart as systemd would run it, with $SLURMRESTD_PY_OPTIONS = options."""
    out = []
    for word in shlex.split(words):
        if word == "$SLURMRESTD_PY_OPTIONS":
            out += options
        else:
            assert "$" not in word, word
            out.append(word)
    return out


@pytest.fixture(scope="module")
def alice_token() -> str:
    return token(USER)


def ping_ok(resp, openapi_doc):
    assert resp.status == 200, resp
    validate(openapi_doc, (PING, "get", 200), resp.json())


def children_of(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(p) for p in (task / "children").read_text().split()]
    return out


def service_user(name: str) -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        pytest.fail(f"user {name} (from the unit files) is missing: tests/cluster.sh creates it")


@pytest.fixture
def user_dir():
    """A directory for a service user's sockets (as RuntimeDirectory= would be)."""
    made = []

    def make(owner: pwd.struct_passwd) -> str:
        path = tempfile.mkdtemp(prefix="deploy-")
        os.chown(path, owner.pw_uid, owner.pw_gid)
        os.chmod(path, 0o755)
        made.append(path)
        return path
    yield make
    for path in made:
        shutil.rmtree(path, ignore_errors=True)


def as_user(user: pwd.struct_passwd) -> dict:
    """Popen arguments that run the command directly as `user` (as systemd's
    User= does: no runuser in between to catch the stop signal)."""
    return {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": [], "cwd": "/"}


def stop(proc: subprocess.Popen, signum=signal.SIGTERM, timeout=20) -> int:
    if proc.poll() is None:
        proc.send_signal(signum)
    try:
        return proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise


def wait_port(port: int, proc: subprocess.Popen, timeout=20) -> None:
    """Wait until something listens on 127.0.0.1:port (connect-probing would
    start a service instance, so look at the kernel's socket table)."""
    def listening():
        assert proc.poll() is None, f"exited {proc.returncode}"
        hexport = f":{port:04X} "
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if fields[1].endswith(hexport[:-1]) and fields[3] == "0A":
                    return True
        return False
    assert wait_until(listening, timeout), f"nothing listens on {port}"


# ---- xinetd ----

def test_xinetd_entry(alice_token, openapi_doc, tmp_path):
    entry = xinetd_entry(INETD / "slurmrestd-py.xinetd")
    assert entry["wait"] == "no" and entry["socket_type"] == "stream"
    assert entry["bind"] == "127.0.0.1"
    assert "jwt" in entry["server_args"]
    user = service_user(entry["user"])
    port = free_port()
    confdir = tmp_path / "xinetd.d"
    confdir.mkdir()
    text = (INETD / "slurmrestd-py.xinetd").read_text()
    text = re.sub(r"(?m)^(\s*port\s*=\s*)\d+", rf"\g<1>{port}", text)
    (confdir / "slurmrestd-py").write_text(text)
    conf = tmp_path / "xinetd.conf"
    conf.write_text(f"defaults\n{{\n}}\nincludedir {confdir}\n")
    xinetd = subprocess.Popen(["xinetd", "-dontfork", "-f", str(conf),
                               "-pidfile", str(tmp_path / "pid")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_port(port, xinetd)
        with Client(("127.0.0.1", port)) as c:
            ping_ok(c.get(user=USER, tok=alice_token), openapi_doc)
            # The server runs as the entry's user, one process per connection.
            (server,) = children_of(xinetd.pid)
            assert uid_of(server) == user.pw_uid
            # Kept alive; only HTTP on the socket (no log lines: fd 2 is the
            # socket too under xinetd).
            ping_ok(c.get(user=USER, tok=alice_token, close=True), openapi_doc)
            assert c.closed_within(10)
            assert c.buf == b""
        with Client(("127.0.0.1", port)) as c:
            resp = c.get(close=True)
            assert resp.status == 401 and resp.body == b"Authentication failure"
            assert c.closed_within(10) and c.buf == b""
        assert wait_until(lambda: children_of(xinetd.pid) == [], 10)
    finally:
        stop(xinetd)


# ---- systemd socket activation ----

def test_socket_activation_units(alice_token, openapi_doc, user_dir):
    sock_unit = unit(INETD / "slurmrestd-py.socket")
    svc_unit = unit(INETD / "slurmrestd-py@.service")
    assert sock_unit["Accept"] == ["yes"]
    assert svc_unit["StandardInput"] == ["socket"]
    assert svc_unit["StandardOutput"] == ["socket"]
    streams = sock_unit["ListenStream"]
    tcp = [s for s in streams if not s.startswith("/")]
    unix = [s for s in streams if s.startswith("/")]
    assert tcp and unix, streams
    mode = int(sock_unit["SocketMode"][0], 8)
    user = service_user(svc_unit["User"][0])
    # The unit's addresses, moved to a free port and a test directory.
    port = free_port()
    host = tcp[0].rpartition(":")[0]
    assert host == "127.0.0.1"
    path = os.path.join(user_dir(user), os.path.basename(unix[0]))
    cmd = exec_start(svc_unit["ExecStart"][0], [])
    activate = subprocess.Popen(
        ["systemd-socket-activate", "--inetd", "-a", "-l", f"{host}:{port}", "-l", path,
         "-E", "SLURMRESTD_IDLE_TIMEOUT=1", *cmd],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **as_user(user))
    try:
        wait_port(port, activate)
        assert wait_until(lambda: os.path.exists(path), 10)
        os.chmod(path, mode)  # what SocketMode= does
        # TCP: JWT only.
        with Client(("127.0.0.1", port)) as c:
            ping_ok(c.get(user=USER, tok=alice_token), openapi_doc)
            ping_ok(c.get(user=USER, tok=alice_token), openapi_doc)  # kept alive
            # The idle timeout applies on a handed-over socket too.
            t0 = time.monotonic()
            assert c.closed_within(6)
            assert time.monotonic() - t0 < 5
            assert c.buf == b""
        with Client(("127.0.0.1", port)) as c:
            assert c.get(close=True).status == 401
        # Unix socket: local auth, by peer credentials.
        with Client(path) as c:  # root: a trusted peer
            ping_ok(c.get(close=True), openapi_doc)
        assert _curl_unix_as(user.pw_name, path) == "200"
        assert _curl_unix_as("bob", path) == "401"
    finally:
        stop(activate)
    err = activate.stderr.read().decode(errors="replace")
    assert "accepted connection from user: alice (jwt)" in err
    assert f"accepted connection from user: {user.pw_name} (local)" in err


def _curl_unix_as(user: str, path: str) -> str:
    out = subprocess.run(["runuser", "-u", user, "--", "curl", "-s", "-o", "/dev/null",
                          "-w", "%{http_code}", "--max-time", "20", "--unix-socket", path,
                          f"http://localhost{PING}"],
                         capture_output=True, text=True, timeout=30)
    return out.stdout


# ---- listening mode unit ----

def test_listening_mode_unit(alice_token, openapi_doc, user_dir):
    svc = unit(INETD / "slurmrestd-py.service")
    env = dict(e.split("=", 1) for e in svc["Environment"])
    addresses = env["SLURMRESTD_LISTEN"].split(",")
    user = service_user(svc["User"][0])
    runtime = user_dir(user)
    # Same kinds of address, on a free port and in a test runtime directory.
    test_addresses, tcp_ports, paths = [], [], []
    for addr in addresses:
        if addr.startswith("unix:"):
            path = os.path.join(runtime, os.path.basename(addr[5:]))
            paths.append(path)
            test_addresses.append(f"unix:{path}")
        else:
            port = free_port()
            tcp_ports.append(port)
            test_addresses.append(f"{addr.rpartition(':')[0]}:{port}")
    assert tcp_ports and paths
    cmd = exec_start(svc["ExecStart"][0], ["--shutdown-timeout", "5"])
    env = {**os.environ, "SLURMRESTD_LISTEN": ",".join(test_addresses),
           "SLURMRESTD_LOG_STDERR": "1"}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            **as_user(user))
    try:
        for port in tcp_ports:
            wait_port(port, proc)
            with Client(("127.0.0.1", port)) as c:
                ping_ok(c.get(user=USER, tok=alice_token), openapi_doc)
        for path in paths:
            with Client(path) as c:
                ping_ok(c.get(), openapi_doc)
        kill = getattr(signal, svc["KillSignal"][0])
        limit = float(svc["TimeoutStopSec"][0])
        t0 = time.monotonic()
        assert stop(proc, kill, timeout=limit) == 0
        assert time.monotonic() - t0 < limit
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    for path in paths:  # the daemon's user could remove its sockets
        assert not os.path.exists(path)


def test_units_verify():
    units = [str(INETD / n) for n in ("slurmrestd-py.socket", "slurmrestd-py@.service",
                                      "slurmrestd-py.service", "slurmrestd-py-activated.socket",
                                      "slurmrestd-py-activated.service")]
    out = subprocess.run(["systemd-analyze", "verify", "--man=no", *units],
                         capture_output=True, text=True)
    assert out.returncode == 0 and out.stderr == "", out.stderr


def test_man_page_renders_without_warnings():
    out = subprocess.run(["man", "--warnings", "-l", str(MAN)], capture_output=True,
                         text=True, env={**os.environ, "MANWIDTH": "80", "MANPAGER": "cat"})
    assert out.returncode == 0
    assert out.stderr == "", out.stderr
    for section in ("LISTENING MODE", "SOCKET ACTIVATION", "TLS", "SIGNALS", "SECURITY", "EXAMPLES"):
        assert re.search(rf"^{section}$", out.stdout, re.M), section
