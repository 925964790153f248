"""Socket activation with a listening socket, for real:

* systemd `Accept=no` (slurmrestd-py-activated.socket + .service) through
  `systemd-socket-activate` without `--inetd`, which starts the daemon on
  the first connection with the listening sockets in LISTEN_FDS, as systemd
  does; TCP (alice's JWT) and a unix socket (local auth);
* xinetd `wait = yes` (slurmrestd-py-activated.xinetd): the listening socket
  on fd 0, a new daemon after the previous one's --idle-exit;
* LISTEN_PID of another process, LISTEN_FDS garbage and descriptors that are
  not listening sockets.

In each, one daemon process serves connection after connection (each in a
child of its own, as listening mode does) and exits 0 after --idle-exit.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess

import pytest

from conftest import OURS, USER, one, req, run_ours
from test_deploy import (INETD, _curl_unix_as, as_user, children_of, exec_start, ping_ok,
                         service_user, stop, unit, user_dir, wait_port, xinetd_entry)
from test_listen import Client, connections_of, free_port, token, uid_of, wait_until

assert user_dir  # a fixture: imported for the tests below

IDLE_EXIT = 2


@pytest.fixture(scope="module")
def alice_token() -> str:
    return token(USER)


def served_by_a_child_of(daemon: int, client: Client, tok: str, openapi_doc) -> None:
    """A ping on `client`, kept alive: its process is a child of `daemon`."""
    ping_ok(client.get(user=USER, tok=tok), openapi_doc)
    assert len(serving(daemon)) == 1


def serving(daemon: int) -> list[int]:
    """The daemon's children that serve a connection (not its spares)."""
    return connections_of(daemon, children_of(daemon))


def cmdline(pid: int) -> list[str]:
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        return [w.decode() for w in f.read().split(b"\0") if w]


# ---- systemd Accept=no ----

def test_systemd_accept_no(alice_token, openapi_doc, user_dir):
    sock_unit = unit(INETD / "slurmrestd-py-activated.socket")
    svc_unit = unit(INETD / "slurmrestd-py-activated.service")
    assert sock_unit["Accept"] == ["no"]
    assert "StandardInput" not in svc_unit  # the sockets come in LISTEN_FDS
    env = dict(e.split("=", 1) for e in svc_unit["Environment"])
    assert float(env["SLURMRESTD_IDLE_EXIT"]) > 0
    streams = sock_unit["ListenStream"]
    tcp = [s for s in streams if not s.startswith("/")]
    unix = [s for s in streams if s.startswith("/")]
    assert tcp and unix, streams
    user = service_user(svc_unit["User"][0])
    port = free_port()
    assert tcp[0].rpartition(":")[0] == "127.0.0.1"
    path = os.path.join(user_dir(user), os.path.basename(unix[0]))
    # --idle-exit on the command line: what /etc/default/slurmrestd-py may do.
    # The unit's command, run from the installation under test.
    words = exec_start(svc_unit["ExecStart"][0], ["--idle-exit", str(IDLE_EXIT)])
    assert words[0].endswith("/bin/slurmrestd-py"), words
    cmd = [OURS, *words[1:]]
    activate = subprocess.Popen(
        ["systemd-socket-activate", "-l", f"127.0.0.1:{port}", "-l", path,
         "--fdname=web:local", "-E", "SLURMRESTD_LOG_STDERR=1",
         "-E", f"SLURMRESTD_IDLE_EXIT={env['SLURMRESTD_IDLE_EXIT']}", *cmd],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **as_user(user))
    daemon = activate.pid  # systemd-socket-activate execs the daemon in place
    try:
        wait_port(port, activate)
        assert wait_until(lambda: os.path.exists(path), 10)
        os.chmod(path, int(sock_unit["SocketMode"][0], 8))
        # The first connection starts the daemon...
        with Client(("127.0.0.1", port)) as c:
            served_by_a_child_of(daemon, c, alice_token, openapi_doc)
            assert OURS in cmdline(daemon)
            assert uid_of(daemon) == user.pw_uid
        # ...which serves the next ones, each a new connection: the same pid.
        with Client(("127.0.0.1", port)) as c:
            served_by_a_child_of(daemon, c, alice_token, openapi_doc)
        with Client(path) as c:  # local auth: root is a trusted peer
            ping_ok(c.get(), openapi_doc)
            assert len(serving(daemon)) == 1
        assert _curl_unix_as(user.pw_name, path) == "200"
        assert _curl_unix_as("bob", path) == "401"
        assert activate.poll() is None
        print(f"one daemon, pid {daemon}, served 5 connections")
        # Then, idle: it exits 0 by itself.
        assert activate.wait(IDLE_EXIT + 20) == 0
    finally:
        stop(activate)
    err = activate.stderr.read().decode(errors="replace")
    assert f"listening on 127.0.0.1:{port} (web, fd 3 from LISTEN_FDS)" in err
    assert f"listening on unix:{path} (local, fd 4 from LISTEN_FDS)" in err
    assert err.count("accepted connection from user: alice (jwt)") == 2
    assert f"accepted connection from user: {user.pw_name} (local)" in err
    assert f"no connection for {IDLE_EXIT}s: exiting (--idle-exit)" in err
    assert "Traceback" not in err
    assert os.path.exists(path)  # the super-server's socket file: not ours to remove


# ---- xinetd wait = yes ----

def test_xinetd_wait_yes(alice_token, openapi_doc, tmp_path):
    name = "slurmrestd-py-activated.xinetd"
    entry = xinetd_entry(INETD / name)
    assert entry["wait"] == "yes" and entry["socket_type"] == "stream"
    assert entry["bind"] == "127.0.0.1"
    assert "jwt" in entry["server_args"] and "--idle-exit" in entry["server_args"]
    user = service_user(entry["user"])
    port = free_port()
    confdir = tmp_path / "xinetd.d"
    confdir.mkdir()
    text = (INETD / name).read_text()
    text = re.sub(r"(?m)^(\s*port\s*=\s*)\d+", rf"\g<1>{port}", text)
    text = re.sub(r"--idle-exit \d+", f"--idle-exit {IDLE_EXIT}", text)
    text = re.sub(r"(?m)^(\s*server\s*=\s*)\S+", rf"\g<1>{OURS}", text)
    (confdir / "slurmrestd-py").write_text(text)
    log = tmp_path / "xinetd.log"
    conf = tmp_path / "xinetd.conf"
    conf.write_text(f"defaults\n{{\n\tlog_type = FILE {log}\n\tlog_on_success = PID EXIT\n}}\n"
                    f"includedir {confdir}\n")
    xinetd = subprocess.Popen(["xinetd", "-dontfork", "-f", str(conf),
                               "-pidfile", str(tmp_path / "pid")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_port(port, xinetd)
        with Client(("127.0.0.1", port)) as c:
            ping_ok(c.get(user=USER, tok=alice_token), openapi_doc)
            (server,) = children_of(xinetd.pid)
            assert uid_of(server) == user.pw_uid
            assert len(serving(server)) == 1  # the connection's own process
        with Client(("127.0.0.1", port)) as c:
            ping_ok(c.get(user=USER, tok=alice_token, close=True), openapi_doc)
            assert children_of(xinetd.pid) == [server]  # the same daemon
            assert c.closed_within(10) and c.buf == b""
        print(f"one daemon, pid {server}, served 2 connections")
        # Idle: the daemon exits 0, xinetd listens again.
        assert wait_until(lambda: children_of(xinetd.pid) == [], IDLE_EXIT + 20)
        assert wait_until(lambda: f"status=0 pid={server}" in _read(log), 10), _read(log)
        # A third connection starts a new daemon.
        with Client(("127.0.0.1", port)) as c:
            ping_ok(c.get(user=USER, tok=alice_token, close=True), openapi_doc)
            (second,) = children_of(xinetd.pid)
            assert second != server
        print(f"after the idle exit, a new daemon: pid {second}")
        assert wait_until(lambda: children_of(xinetd.pid) == [], IDLE_EXIT + 20)
    finally:
        stop(xinetd)


def _read(path) -> str:
    try:
        return path.read_text(errors="replace")
    except FileNotFoundError:
        return ""


# ---- what is not ours, or not a listening socket ----

def test_listen_pid_of_another_process_is_ignored():
    # Inherited variables (our pid is not 1): inet mode on stdin, as without them.
    result = run_ours(req(), env={"LISTEN_PID": "1", "LISTEN_FDS": "1",
                                  "LISTEN_FDNAMES": "web"})
    assert one(result).status == 200
    assert b"LISTEN" not in result.stderr and b"Traceback" not in result.stderr


def _activated(fds: str, pass_fds=()) -> subprocess.CompletedProcess:
    """The daemon with LISTEN_PID = its own pid (set by the shell it execs from)."""
    user = service_user("slurmrestd")
    env = {"PATH": os.environ["PATH"], "LISTEN_FDS": fds, "SLURMRESTD_LOG_STDERR": "1"}
    return subprocess.run(["sh", "-c", 'export LISTEN_PID=$$; exec "$@"', "sh", OURS,
                           "--idle-exit", "1"],
                          env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=60, pass_fds=pass_fds, **as_user(user))


@pytest.mark.parametrize("fds", ["x", "-1", ""])
def test_listen_fds_garbage_is_a_clear_error(fds):
    out = _activated(fds)
    assert out.returncode == 1
    assert out.stderr == (f"slurmrestd-py: error: LISTEN_FDS={fds!r}: "
                          "expected a number of descriptors\n")


def test_listen_fds_of_a_closed_descriptor():
    out = _activated("1")
    assert out.returncode == 1
    assert out.stderr == "slurmrestd-py: error: LISTEN_FDS=1: fd 3 is not open\n"


def test_a_connected_socket_in_listen_fds_is_refused():
    a, b = socket.socketpair()
    with a, b:
        fd = os.dup2(a.fileno(), 3, inheritable=True)
        try:
            out = _activated("1", pass_fds=(3,))
        finally:
            os.close(fd)
    assert out.returncode == 1
    assert out.stderr.startswith("slurmrestd-py: error: LISTEN_FDS: fd 3 (unknown) "
                                 "is not listening"), out.stderr
    assert "Traceback" not in out.stderr
