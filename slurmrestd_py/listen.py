"""Listening mode: accept on TCP and unix sockets, one process per connection.

Each connection is served by a forked child running exactly what inet mode
runs, so no identity, token, libslurm state or memory growth crosses from one
client to another, and a crash ends one connection, not the daemon.
"""
from __future__ import annotations

import errno
import logging
import os
import select
import signal
import socket

from .options import parse_listen

log = logging.getLogger("slurmrestd-py")

IDLE_TIMEOUT = 60.0  # seconds a connection may stay silent before it is closed
DRAIN_TIMEOUT = 30.0  # seconds in-flight connections get after SIGTERM


def bind_all(addresses: list[str]) -> list[socket.socket]:
    socks = []
    for text in addresses:
        spec = parse_listen(text)
        if spec.tls:
            raise ValueError(f"{text}: TLS listeners are not supported yet")
        if spec.kind == "unix":
            try:  # a stale socket from an earlier run is replaced
                os.unlink(spec.path)
            except FileNotFoundError:
                pass
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.bind(spec.path)
            os.chmod(spec.path, 0o777)  # authentication decides, not permissions
        else:
            host = spec.host if spec.host is not None else "::"
            infos = socket.getaddrinfo(host, spec.port, type=socket.SOCK_STREAM,
                                       flags=socket.AI_PASSIVE)
            family, _, _, _, addr = infos[0]
            s = socket.socket(family, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6 and spec.host is None:
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)  # dual stack
            s.bind(addr)
        s.listen(128)
        s.setblocking(False)
        log.info("listening on %s", text)
        socks.append(s)
    return socks


def serve_forever(socks: list[socket.socket], opts) -> int:
    from .cli import serve_connection
    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # nothing to re-read: each child reads afresh
    children: set[int] = set()
    while not stopping:
        _reap(children, block=False)
        ready = socks if len(children) < opts.max_connections else []
        try:
            readable, _, _ = select.select(ready, [], [], 0.5)
        except InterruptedError:
            continue
        for s in readable:
            try:
                conn, _ = s.accept()
            except (BlockingIOError, InterruptedError):
                continue
            pid = os.fork()
            if pid == 0:
                code = 0
                try:
                    signal.signal(signal.SIGTERM, signal.SIG_DFL)
                    signal.signal(signal.SIGINT, signal.SIG_DFL)
                    for other in socks:
                        other.close()
                    conn.setblocking(True)
                    if conn.family != socket.AF_UNIX:
                        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    serve_connection(opts, conn.fileno(), conn.fileno(), IDLE_TIMEOUT)
                except BaseException:
                    log.exception("connection failed")
                    code = 1
                finally:
                    os._exit(code)
            children.add(pid)
            conn.close()
    for s in socks:
        s.close()
    log.info("stopping: waiting for %d connection(s)", len(children))
    _drain(children)
    return 0


def _reap(children: set[int], block: bool) -> None:
    while children:
        try:
            pid, _ = os.waitpid(-1, 0 if block else os.WNOHANG)
        except ChildProcessError:
            children.clear()
            return
        except InterruptedError:
            continue
        if pid == 0:
            return
        children.discard(pid)
        if block:
            return


def _drain(children: set[int]) -> None:
    import time
    deadline = time.monotonic() + DRAIN_TIMEOUT
    while children and time.monotonic() < deadline:
        _reap(children, block=False)
        time.sleep(0.05)
    for pid in children:
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError as e:
            if e.errno != errno.ESRCH:
                raise
    while children:
        _reap(children, block=True)
