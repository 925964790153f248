"""activation.py: sockets handed over by a super-server, read from a fake
environment and real descriptors.

Each case runs in a forked child that puts real sockets on the descriptors
a super-server would use (3 and up for LISTEN_FDS, 0/1/2 for xinetd
`wait = yes`), calls `activation.listeners`, and reports back as JSON on a
pipe far above them.
"""
from __future__ import annotations

import fcntl
import json
import os
import socket
import stat
import subprocess

import pytest

from slurmrestd_py import activation

REPORT_FD = 250


def in_child(fds: dict[int, object], job):
    """Run `job()` in a child whose descriptor n is fds[n] (a socket or an fd);
    return what it returned (JSON), or {"error": message} for ActivationError."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            os.dup2(w, REPORT_FD)
            high = {n: os.dup2(f if isinstance(f, int) else f.fileno(), 200 + i)
                    for i, (n, f) in enumerate(fds.items())}
            for n, fd in high.items():
                os.dup2(fd, n)
            try:
                out = job()
            except activation.ActivationError as e:
                out = {"error": str(e)}
            os.write(REPORT_FD, json.dumps(out).encode())
        except BaseException as e:  # reported, so the test shows it
            os.write(REPORT_FD, json.dumps({"crash": repr(e)}).encode())
            code = 1
        os._exit(code)
    os.close(w)
    data = b""
    while chunk := os.read(r, 65536):
        data += chunk
    os.close(r)
    os.waitpid(pid, 0)
    out = json.loads(data)
    assert "crash" not in out, out
    return out


def tcp_listener():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    return s


def unix_listener(tmp_path, name="s.sock"):
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(tmp_path / name))
    s.listen()
    return s


def describe(found):
    """What a test checks of the listeners found, in the child."""
    out = []
    for listener in found:
        fd = listener.sock.fileno()
        out.append({"fd": fd, "text": listener.text, "tls": listener.tls is not None,
                    "path": listener.path, "blocking": listener.sock.getblocking(),
                    "cloexec": bool(fcntl.fcntl(fd, fcntl.F_GETFD) & fcntl.FD_CLOEXEC)})
    return out


def activate(env: dict, **kw):
    """listeners() with a fake environment: what it found and what is left of `env`."""
    def job():
        found = activation.listeners(env, pid=os.getpid(), **kw)
        return {"found": describe(found), "env": env}
    return job


def our_pid_env(n, names=None):
    """LISTEN_FDS (and names); with_child_pid adds LISTEN_PID."""
    env = {"LISTEN_FDS": str(n), "OTHER": "kept"}
    if names is not None:
        env["LISTEN_FDNAMES"] = names
    return env


def with_child_pid(env):
    """activate(), LISTEN_PID set to the child's pid."""
    def job():
        env["LISTEN_PID"] = str(os.getpid())
        return activate(env)()
    return job


# ---- LISTEN_FDS ----

def test_two_named_sockets_tcp_and_unix(tmp_path):
    tcp, unix = tcp_listener(), unix_listener(tmp_path)
    port = tcp.getsockname()[1]
    out = in_child({3: tcp, 4: unix}, with_child_pid(our_pid_env(2, "web:local")))
    assert out["env"] == {"OTHER": "kept"}  # the three variables are gone
    first, second = out["found"]
    assert first["fd"] == 3 and second["fd"] == 4
    assert first["text"] == f"127.0.0.1:{port} (web, fd 3 from LISTEN_FDS)"
    assert second["text"] == f"unix:{tmp_path}/s.sock (local, fd 4 from LISTEN_FDS)"
    for found in (first, second):
        assert found["cloexec"] and not found["blocking"] and not found["tls"]
        assert found["path"] is None  # the super-server's file: never unlinked by us


def test_unnamed_sockets_are_unknown(tmp_path):
    out = in_child({3: tcp_listener()}, with_child_pid(our_pid_env(1)))
    assert "(unknown, fd 3 from LISTEN_FDS)" in out["found"][0]["text"]


def test_closing_a_handed_over_unix_socket_keeps_its_file(tmp_path):
    sock = unix_listener(tmp_path)

    def job():
        env = {"LISTEN_PID": str(os.getpid()), "LISTEN_FDS": "1"}
        (listener,) = activation.listeners(env, pid=os.getpid())
        listener.close()
        return {"exists": os.path.exists(tmp_path / "s.sock")}
    assert in_child({3: sock}, job) == {"exists": True}


def test_listen_pid_of_another_process_is_ignored_and_unset():
    env = {"LISTEN_PID": "1", "LISTEN_FDS": "1", "LISTEN_FDNAMES": "x"}
    out = in_child({3: tcp_listener()}, activate(env))
    assert out == {"found": [], "env": {}}


@pytest.mark.parametrize("pid", ["", "abc", "-5", "12x"])
def test_listen_pid_garbage_is_ignored(pid):
    out = in_child({3: tcp_listener()}, activate({"LISTEN_PID": pid, "LISTEN_FDS": "1"}))
    assert out == {"found": [], "env": {}}


@pytest.mark.parametrize("fds", ["", "two", "-1", "1.5", " 1", "\u0661"])
def test_listen_fds_garbage_is_a_clear_error(fds):
    out = in_child({3: tcp_listener()}, with_child_pid({"LISTEN_FDS": fds}))
    assert out == {"error": f"LISTEN_FDS={fds!r}: expected a number of descriptors"}


def test_listen_fds_zero_is_none():
    out = in_child({}, with_child_pid({"LISTEN_FDS": "0"}))
    assert out == {"found": [], "env": {}}


def test_names_must_match_the_count():
    out = in_child({3: tcp_listener(), 4: tcp_listener()},
                   with_child_pid(our_pid_env(2, "a:b:c")))
    assert out == {"error": "LISTEN_FDNAMES names 3 descriptor(s), LISTEN_FDS=2"}


def test_a_descriptor_that_is_not_open():
    def job():
        try:
            os.close(3)  # whatever the child inherited there
        except OSError:
            pass
        return with_child_pid(our_pid_env(1))()
    out = in_child({}, job)
    assert out == {"error": "LISTEN_FDS=1: fd 3 is not open"}


def test_a_connected_socket_is_refused():
    a, b = socket.socketpair()
    out = in_child({3: a}, with_child_pid(our_pid_env(1, "conn")))
    assert out["error"].startswith("LISTEN_FDS: fd 3 (conn) is not listening")


def test_a_datagram_socket_is_refused():
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    out = in_child({3: udp}, with_child_pid(our_pid_env(1)))
    assert out["error"].startswith("LISTEN_FDS: fd 3 (unknown) is not a stream socket")


def test_a_pipe_is_refused():
    r, w = os.pipe()
    out = in_child({3: r}, with_child_pid(our_pid_env(1)))
    assert out == {"error": "LISTEN_FDS: fd 3 (unknown) is not a socket"}


def test_https_needs_a_certificate():
    out = in_child({3: tcp_listener()}, with_child_pid(our_pid_env(1, "https")))
    assert out["error"].startswith("LISTEN_FDS: fd 3 is named https: https:// listeners "
                                   "need a certificate: --tls-cert FILE")


# ---- fd 0 (xinetd wait = yes) ----

def _stdio_state():
    null = os.stat(os.devnull).st_rdev
    return [stat.S_ISCHR(os.fstat(fd).st_mode) and os.fstat(fd).st_rdev == null
            for fd in (0, 1, 2)]


def test_listening_socket_on_fd_0_1_2_moves_and_leaves_dev_null():
    sock = tcp_listener()
    port = sock.getsockname()[1]

    def job():
        found = activation.listeners({}, pid=os.getpid())
        return {"found": describe(found), "null": _stdio_state()}
    out = in_child({0: sock, 1: sock, 2: sock}, job)
    (found,) = out["found"]
    assert found["fd"] > 2 and found["cloexec"] and not found["blocking"]
    assert found["text"] == f"127.0.0.1:{port} (stdin, fd {found['fd']} from fd 0)"
    assert out["null"] == [True, True, True]


def test_fd_0_listening_leaves_another_stderr_alone():
    sock = tcp_listener()
    r, w = os.pipe()

    def job():
        activation.listeners({}, pid=os.getpid())
        return {"null": _stdio_state()}
    assert in_child({0: sock, 1: sock, 2: w}, job) == {"null": [True, True, False]}


def test_connected_socket_on_fd_0_is_inet_mode():
    a, b = socket.socketpair()

    def job():
        return {"found": describe(activation.listeners({}, pid=os.getpid())),
                "null": _stdio_state()}
    assert in_child({0: a, 1: a, 2: a}, job) == {"found": [], "null": [False] * 3}


def test_listen_fds_win_over_fd_0():
    def job():
        env = {"LISTEN_PID": str(os.getpid()), "LISTEN_FDS": "1"}
        return {"found": describe(activation.listeners(env, pid=os.getpid())),
                "null": _stdio_state()}
    stdin = tcp_listener()
    out = in_child({0: stdin, 3: tcp_listener()}, job)
    assert [f["fd"] for f in out["found"]] == [3]
    assert out["null"] == [True, False, False]  # the listening socket on fd 0: harmless


# ---- off_the_wire ----

def test_off_the_wire_only_where_the_same_socket():
    a, b = socket.socketpair()
    r, w = os.pipe()

    def job():
        activation.off_the_wire(0, (1, 2))
        return {"null": _stdio_state()}
    assert in_child({0: a, 1: w, 2: a}, job) == {"null": [False, False, True]}


def test_https_is_served_with_the_certificate(tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    sock = tcp_listener()
    port = sock.getsockname()[1]

    def job():
        env = {"LISTEN_PID": str(os.getpid()), "LISTEN_FDS": "2", "LISTEN_FDNAMES": "https:web"}
        found = activation.listeners(env, str(cert), str(key), pid=os.getpid())
        return describe(found)
    tls, plain = in_child({3: sock, 4: tcp_listener()}, job)
    assert tls["tls"] and tls["text"].startswith(f"https://127.0.0.1:{port} (https, fd 3")
    assert not plain["tls"]
