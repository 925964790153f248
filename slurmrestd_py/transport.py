"""I/O at the edge: drive the sans-IO HTTP core over descriptors and sockets.

Two ways in, one HTTP core (`serve`):

* `serve_fds`: inet mode on a pipe or a tty (fd 0 in, fd 1 out). No
  timeouts: the other end is a local process of the daemon's own user.
* `serve_socket`: a connected socket, from the listener (one forked process
  per connection) or handed over on fd 0 by xinetd or systemd `Accept=yes`.
  The socket is watched with three clocks:

  - idle: between requests, a kept-alive connection may stay silent for
    `idle` seconds; then it is closed quietly;
  - request: once the first byte of a request has arrived, the whole header
    block must follow within `read` seconds, and every read of the body
    must make progress within `read` seconds; otherwise the client gets
    408 and the connection is closed (so a client sending half a header,
    or dripping it a byte at a time, cannot hold a connection slot);
  - write: a client that does not read its response for `idle` seconds is
    dropped.

  SIGTERM and SIGINT make the connection stop gracefully: an idle
  connection ends at once; a request in progress is answered (with
  `Connection: close`) and then the connection ends.
  For `https://` listeners the TLS handshake happens here, in the
  connection's own process, bounded by the read timeout.
"""
from __future__ import annotations

import errno
import os
import stat

from .auth import Peer
from .http import CLOSED, NEED_DATA, Connection, ProtocolError, Response

READ_SIZE = 256 * 1024
_GONE = (errno.EPIPE, errno.ECONNRESET, errno.ENOTCONN, errno.ECONNABORTED)


def _path(fd: int) -> str:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return ""


def peer_of(fd: int, out: int = 1) -> Peer:
    """Who is at the other end of `fd` (answers go to `out`), as far as the
    kernel can tell. A pipe or tty's `source` names both ends as the
    reference does: "pipe:[1](fd:0)->pipe:[2](fd:1)"."""
    st = os.fstat(fd)
    if not stat.S_ISSOCK(st.st_mode):
        src, dst = _path(fd), _path(out)
        source = f"{src}(fd:{fd})" if src == dst else f"{src}(fd:{fd})->{dst}(fd:{out})"
        return Peer("file", st.st_uid, st.st_gid, st.st_mode, source)
    import socket
    sock = socket.socket(fileno=os.dup(fd))
    try:
        return peer_of_socket(sock)
    finally:
        sock.close()


def peer_of_socket(sock) -> Peer:
    import socket
    if sock.family == socket.AF_UNIX:
        import struct
        creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        _pid, uid, gid = struct.unpack("3i", creds)
        name = sock.getsockname()
        return Peer("unix", uid, gid, source=f"unix:{name}" if name else "unix")
    try:
        host, port = sock.getpeername()[:2]
    except OSError:
        return Peer("tcp")
    return Peer("tcp", source=f"[{host}]:{port}")


def error_response(ev: ProtocolError) -> Response:
    return Response(ev.status, [("Content-Type", "text/plain")], ev.message.encode(), close=True)


class RequestTimeout(Exception):
    """A request started but did not arrive in time: answer 408 and close."""


class Stop(Exception):
    """Stop serving now (idle connection, SIGTERM): close without answering."""


class _Plain:
    """Hooks for a descriptor pair: nothing to track."""

    stopping = False

    def request_begins(self) -> None:
        pass

    def request_done(self) -> None:
        pass


# The answer of last resort, written without the HTTP core (which may be what failed).
_INTERNAL_ERROR = (b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\n"
                   b"Content-Length: 14\r\nConnection: close\r\n\r\n")
_INTERNAL_ERROR_BODY = b"Internal error"


def serve(conn: Connection, app, read, write, session=_Plain()) -> None:
    """Answer requests read with `read()` until the client or the core closes.

    `read` returns b"" at EOF, may raise RequestTimeout (answered with 408)
    or Stop (the connection just ends). `session.stopping` turns the next
    response into the last one; `session.request_begins()` and
    `session.request_done()` mark the connection busy while a request is
    answered and idle again after it.

    Whatever fails here short of the descriptors themselves (a bug in the
    core or an app), the client gets an answer, the log gets one line, and
    the connection ends: if no byte of the current answer was written yet,
    a 500 (headers only for HEAD); otherwise the answer is cut short, so the
    client sees a truncated body, never a complete-looking one.
    """
    exchange = _Exchange()
    try:
        _serve(conn, app, read, write, session, exchange)
    except (Stop, OSError):
        raise
    except Exception as e:
        from .log import describe, logger
        logger.error(
            "internal error serving %s: %s", exchange.what, describe(e))
        if not exchange.written:
            write(_INTERNAL_ERROR if conn.answering_head else _INTERNAL_ERROR + _INTERNAL_ERROR_BODY)


class _Exchange:
    """What `serve` knows of the exchange in progress, for its last resort."""

    what = "a request"
    written = False


def _serve(conn: Connection, app, read, write, session, exchange: _Exchange) -> None:
    def answer(response, request=None) -> None:
        for chunk in conn.send(response, request):
            exchange.written = True
            write(chunk)

    try:
        while True:
            exchange.what, exchange.written = "a request", False
            ev = conn.next_event()
            if ev is NEED_DATA:
                out = conn.data_to_send()
                if out:
                    write(out)
                try:
                    data = read()
                except RequestTimeout:
                    ev = ProtocolError(408, "Request Timeout: the request did not arrive in time")
                else:
                    conn.receive_data(data)
                    continue
            if ev is CLOSED:
                return
            if isinstance(ev, ProtocolError):
                answer(error_response(ev))
                return
            exchange.what = f"{ev.method} {ev.target}"
            session.request_begins()
            response = app(ev)
            if session.stopping:
                response.close = True
            answer(response, ev)
            session.request_done()
            if not conn.keep_alive or session.stopping:
                return
    except Stop:
        return


def serve_fds(rfd: int, wfd: int, app) -> None:
    """`serve` over raw descriptors (a pipe or tty); a vanished client just
    ends the connection."""
    def read() -> bytes:
        return os.read(rfd, READ_SIZE)

    def write(data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(wfd, view):]

    try:
        serve(Connection(), app, read, write)
    except OSError as e:
        if e.errno not in _GONE:
            raise


# Where a request's header block ends (h11 also accepts bare LF line ends).
_HEAD_ENDS = (b"\r\n\r\n", b"\n\n", b"\n\r\n")

_IDLE, _HEAD, _BODY, _BUSY = 0, 1, 2, 3


class SocketSession:
    """The clocks of one connection and its reaction to SIGTERM/SIGINT."""

    def __init__(self, sock, idle: float, read: float):
        import time
        self._now = time.monotonic
        self.sock = sock
        self.idle = idle
        self.read_timeout = read
        self.state = _IDLE
        self.deadline = 0.0
        self.tail = b""
        self.stopping = False

    # -- signals
    def install_signals(self) -> None:
        import signal
        signal.signal(signal.SIGTERM, self._on_stop)
        signal.signal(signal.SIGINT, self._on_stop)

    def _on_stop(self, signum, frame) -> None:
        self.stopping = True
        if self.state == _IDLE:
            raise Stop()  # interrupts a wait for the next request

    # -- clocks
    def request_begins(self) -> None:
        self.state = _BUSY

    def request_done(self) -> None:
        self.state = _IDLE
        self.tail = b""

    def read(self) -> bytes:
        import socket
        sock = self.sock
        if self.state == _IDLE:
            timeout = self.idle
        elif self.state == _HEAD:
            timeout = self.deadline - self._now()
            if timeout <= 0:
                raise RequestTimeout()
        else:  # the body (or, while busy, nothing the core asks for)
            timeout = self.read_timeout
        sock.settimeout(timeout)
        try:
            data = sock.recv(READ_SIZE)
        except (socket.timeout, TimeoutError):
            if self.state == _IDLE:
                raise Stop() from None
            raise RequestTimeout() from None
        if not data:
            return data
        if self.state == _IDLE:
            if self.stopping:
                raise Stop()
            self.state = _HEAD
            self.deadline = self._now() + self.read_timeout
        if self.state == _HEAD:
            seen = self.tail + data
            if any(end in seen for end in _HEAD_ENDS):
                self.state = _BODY
            else:
                self.tail = seen[-3:]
        return data

    def write(self, data: bytes) -> None:
        self.sock.settimeout(self.idle)
        self.sock.sendall(data)


def serve_socket(sock, app_for_peer, idle: float, read: float, tls=None,
                 on_ready=None) -> None:
    """Serve one connected socket until it closes, times out or is stopped.

    `app_for_peer(peer)` makes the App for this connection; `tls` is an
    ssl.SSLContext for https:// listeners (the handshake happens here).
    `on_ready()` is called once the SIGTERM/SIGINT handlers are in place.
    """
    import socket
    from .log import logger as log
    session = SocketSession(sock, idle, read)
    session.install_signals()
    if on_ready is not None:
        on_ready()
    try:
        if sock.family != socket.AF_UNIX:
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
        peer = peer_of_socket(sock)
        if tls is not None:
            import ssl
            sock.settimeout(read)
            try:
                sock = tls.wrap_socket(sock, server_side=True)
            except (ssl.SSLError, OSError) as e:
                log.info("TLS handshake failed: %s", e)
                return
            session.sock = sock
        app = app_for_peer(peer)
        serve(Connection(), app, session.read, session.write, session)
    except Stop:
        pass
    except OSError as e:
        if tls is not None and type(e).__module__ == "ssl":
            log.info("TLS connection ended: %s", e)  # a client's TLS error, not ours
        elif e.errno not in _GONE and not isinstance(e, TimeoutError):
            raise
    finally:
        import signal
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        try:
            sock.close()
        except OSError:
            pass
