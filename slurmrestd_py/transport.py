"""I/O at the edge: drive the sans-IO HTTP core over file descriptors.

Inet mode hands us fd 0/1 (a pipe, a tty, or a socket accepted by xinetd or
systemd); the listener hands us an accepted socket. Both go through `serve`.
"""
from __future__ import annotations

import errno
import os
import stat

from .auth import Peer
from .http import CLOSED, NEED_DATA, Connection, ProtocolError, Response

READ_SIZE = 256 * 1024


def peer_of(fd: int) -> Peer:
    """Who is at the other end of `fd`, as far as the kernel can tell."""
    st = os.fstat(fd)
    if not stat.S_ISSOCK(st.st_mode):
        return Peer("file", st.st_uid, st.st_gid, st.st_mode)
    import socket
    import struct
    sock = socket.socket(fileno=os.dup(fd))
    try:
        if sock.family == socket.AF_UNIX:
            creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                    struct.calcsize("3i"))
            _pid, uid, gid = struct.unpack("3i", creds)
            return Peer("unix", uid, gid)
        return Peer("tcp")
    finally:
        sock.close()


def error_response(ev: ProtocolError) -> Response:
    return Response(ev.status, [("Content-Type", "text/plain")], ev.message.encode(), close=True)


def serve(conn: Connection, app, read, write) -> None:
    """Answer requests read with `read()` until the client or the core closes."""
    while True:
        ev = conn.next_event()
        if ev is NEED_DATA:
            out = conn.data_to_send()
            if out:
                write(out)
            conn.receive_data(read())
            continue
        if ev is CLOSED:
            return
        if isinstance(ev, ProtocolError):
            for chunk in conn.send(error_response(ev)):
                write(chunk)
            return
        for chunk in conn.send(app(ev), ev):
            write(chunk)
        if not conn.keep_alive:
            return


def serve_fds(rfd: int, wfd: int, app, timeout: float | None = None) -> None:
    """`serve` over raw descriptors; a vanished client just ends the connection."""
    def read() -> bytes:
        # A silent client gets `timeout` seconds, then is treated as gone.
        if timeout is not None:
            import select
            if not select.select([rfd], [], [], timeout)[0]:
                return b""
        return os.read(rfd, READ_SIZE)

    def write(data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(wfd, view):]

    try:
        serve(Connection(), app, read, write)
    except OSError as e:
        if e.errno not in (errno.EPIPE, errno.ECONNRESET, errno.ENOTCONN):
            raise
