"""listen.serve_forever's --idle-exit, on real sockets in a forked child:
it exits 0 when idle, and a client that connects as it decides to exit is
left in the listening socket's backlog, for the super-server's next daemon,
never accepted and dropped."""
from __future__ import annotations

import os
import socket
import types

from slurmrestd_py import listen
from slurmrestd_py.http import Response
from test_handed_sockets import in_child, tcp_listener

OPTS = types.SimpleNamespace(auth=["local"], max_connections=4, idle_timeout=5.0,
                             read_timeout=5.0, shutdown_timeout=1.0, idle_exit=0.2)


def never_called(peer):
    """No connection is served here: only the rehearsals of the parent and
    its spares (a request no plugin accepts) reach an app."""
    if peer.source != "rehearsal":
        raise AssertionError("no connection is served here")
    return lambda request: Response(401)


def serve(sock: socket.socket, opts=OPTS):
    """serve_forever on a copy of `sock` (the super-server keeps the original)."""
    def job():
        mine = socket.socket(fileno=os.dup(sock.fileno()))
        mine.setblocking(False)
        code = listen.serve_forever([listen.Listener(mine, "test")], opts, never_called)
        return {"code": code, "ours_closed": mine.fileno() == -1}
    return job


def test_exits_0_when_idle():
    assert in_child({}, serve(tcp_listener())) == {"code": 0, "ours_closed": True}


def test_a_client_arriving_at_the_exit_waits_for_the_next_daemon():
    sock = tcp_listener()
    client = socket.create_connection(sock.getsockname())
    client.sendall(b"GET / HTTP/1.1\r\n\r\n")

    def at_the_deadline():
        # The deadline has passed when the client is already in the backlog:
        # the moment a client connecting "right at the exit" meets.
        listen._IdleExit.left = lambda self: 0.0
        return serve(sock)()
    assert in_child({}, at_the_deadline) == {"code": 0, "ours_closed": True}
    # Still queued on the super-server's socket, untouched: the next daemon
    # accepts it and reads its request.
    sock.settimeout(5)
    conn, _ = sock.accept()
    with conn, client:
        conn.settimeout(5)
        assert conn.recv(100) == b"GET / HTTP/1.1\r\n\r\n"
        conn.sendall(b"answered")
        client.settimeout(5)
        assert client.recv(100) == b"answered"
