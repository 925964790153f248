"""Listening sockets handed over by a super-server (socket activation).

Two ways, both served by `listen.serve_forever` like sockets we bind:

* systemd `Accept=no` (and `systemd-socket-activate` without `--inetd`):
  `LISTEN_PID` is our pid and `LISTEN_FDS` = n hands over fds 3..3+n-1,
  named by `LISTEN_FDNAMES` (colon-separated), read as
  `sd_listen_fds(unset_environment=1)` reads them, without libsystemd. The
  three variables are removed in any case, so neither the connections'
  processes nor libslurm see them; a `LISTEN_PID` of another process means
  the variables were inherited, not meant for us: ignored.
* xinetd `wait = yes`, or systemd `Accept=no` with `StandardInput=socket`:
  fd 0 is a listening socket (xinetd puts it on fd 1 and 2 as well). It
  moves to a descriptor above 2 and fd 0, 1 and 2, wherever they are that
  socket, are pointed at /dev/null, so nothing is ever written to it (also
  when LISTEN_FDS hands the sockets over and fd 0 is one of them too).

A socket named "https" (systemd's FileDescriptorName=https) is served with
TLS, with the certificate of --tls-cert as for https:// addresses; every
other one is plain HTTP. The super-server owns the sockets (and a unix
socket's file): at exit we close our descriptors and remove nothing, so the
sockets keep listening and connections arriving meanwhile wait in their
backlog until the super-server starts us again.
"""
from __future__ import annotations

import fcntl
import os
import stat

LISTEN_FDS_START = 3  # SD_LISTEN_FDS_START
_VARIABLES = ("LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES")


class ActivationError(ValueError):
    """A handed-over descriptor we cannot serve; the message says which."""


def listeners(environ, tls_cert=None, tls_key=None, pid=None) -> list:
    """The listening sockets handed over to this process (`listen.Listener`s),
    from `environ` (os.environ: the variables are removed from it) or
    else fd 0; [] if there are none. Raise ActivationError for a
    descriptor that is not a listening stream socket."""
    handed = systemd_fds(environ, os.getpid() if pid is None else pid)
    if handed:
        found = [(fd, name, "LISTEN_FDS") for fd, name in handed]
        if _is_listening(0):  # StandardInput=socket as well: not to be touched
            off_the_wire(0, (0, 1, 2))
    elif _is_listening(0):
        found = [(_move_off_stdio(0), "stdin", "fd 0")]
    else:
        return []
    out, ctx = [], None
    for fd, name, origin in found:
        sock = _listening_socket(fd, name, origin)
        tls = None
        if name == "https":
            from .listen import tls_context
            try:
                ctx = ctx or tls_context(tls_cert, tls_key)
            except ValueError as e:
                raise ActivationError(f"{origin}: fd {fd} is named https: {e}") from None
            tls = ctx
        out.append(_listener(sock, fd, name, origin, tls))
    return out


def systemd_fds(environ, pid: int) -> list[tuple[int, str]]:
    """(fd, name) of every descriptor in LISTEN_FDS, as sd_listen_fds_with_names
    with unset_environment=1 finds them (FD_CLOEXEC set); the variables are
    removed from `environ` whatever they hold."""
    values = {name: environ.pop(name, None) for name in _VARIABLES}
    if values["LISTEN_PID"] is None or values["LISTEN_FDS"] is None:
        return []
    if not values["LISTEN_PID"].isdigit() or int(values["LISTEN_PID"]) != pid:
        return []  # meant for another process: inherited from our parent
    text = values["LISTEN_FDS"]
    if not text.isascii() or not text.isdigit():
        raise ActivationError(f"LISTEN_FDS={text!r}: expected a number of descriptors")
    n = int(text)
    names = ["unknown"] * n  # what sd_listen_fds_with_names calls an unnamed one
    if values["LISTEN_FDNAMES"] is not None:
        names = values["LISTEN_FDNAMES"].split(":")
        if len(names) != n:
            raise ActivationError(f"LISTEN_FDNAMES names {len(names)} descriptor(s), "
                                  f"LISTEN_FDS={n}")
    fds = list(range(LISTEN_FDS_START, LISTEN_FDS_START + n))
    for fd in fds:
        try:
            flags = fcntl.fcntl(fd, fcntl.F_GETFD)
        except OSError:
            raise ActivationError(f"LISTEN_FDS={n}: fd {fd} is not open") from None
        fcntl.fcntl(fd, fcntl.F_SETFD, flags | fcntl.FD_CLOEXEC)
    return list(zip(fds, names))


def _is_listening(fd: int) -> bool:
    try:
        if not stat.S_ISSOCK(os.fstat(fd).st_mode):
            return False
    except OSError:
        return False
    import socket
    probe = socket.socket(fileno=os.dup(fd))
    try:
        return probe.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN) == 1
    except OSError:
        return False
    finally:
        probe.close()


def _move_off_stdio(fd: int) -> int:
    """The socket on `fd` (0) on a new close-on-exec descriptor above 2;
    the standard descriptors that were that socket now /dev/null."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, LISTEN_FDS_START)
    off_the_wire(fd, (0, 1, 2))
    return moved


def off_the_wire(sock_fd: int, fds) -> None:
    """Point those of `fds` that are the same socket as `sock_fd` at
    /dev/null: xinetd hands its socket over on fd 0, 1 and 2, and neither a
    log line nor anything else may be written to it by accident."""
    try:
        st_sock = os.fstat(sock_fd)
    except OSError:
        return
    if not stat.S_ISSOCK(st_sock.st_mode):
        return
    same = []
    for fd in fds:
        try:
            st = os.fstat(fd)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) == (st_sock.st_dev, st_sock.st_ino):
            same.append(fd)
    if same:
        null = os.open(os.devnull, os.O_RDWR)
        for fd in same:
            os.dup2(null, fd)
        os.close(null)


def _listening_socket(fd: int, name: str, origin: str):
    import socket
    what = f"{origin}: fd {fd} ({name})"
    try:
        if not stat.S_ISSOCK(os.fstat(fd).st_mode):
            raise ActivationError(f"{what} is not a socket")
        sock = socket.socket(fileno=fd)
    except OSError as e:
        raise ActivationError(f"{what}: {e.strerror}") from None
    if sock.family not in (socket.AF_INET, socket.AF_INET6, socket.AF_UNIX):
        family = getattr(sock.family, "name", sock.family)
        raise ActivationError(f"{what} is a {family} socket: only TCP and unix sockets "
                              "are served")
    if sock.type != socket.SOCK_STREAM:
        raise ActivationError(f"{what} is not a stream socket (ListenStream=, "
                              "socket_type = stream)")
    if sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN) != 1:
        raise ActivationError(f"{what} is not listening: a connected socket is inet mode "
                              "(Accept=yes, wait = no)")
    sock.setblocking(False)  # serve_forever accepts until EAGAIN
    return sock


def _listener(sock, fd: int, name: str, origin: str, tls):
    import socket
    from .listen import Listener
    from .log import logger
    if sock.family == socket.AF_UNIX:
        path = sock.getsockname()
        if isinstance(path, bytes):  # abstract: "\0name"
            path = "@" + path[1:].decode(errors="replace")
        where = "unix:" + (path or "(unnamed)")
    else:
        host, port = sock.getsockname()[:2]
        where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    text = f"{'https://' if tls else ''}{where} ({name}, fd {fd} from {origin})"
    logger.info("listening on %s", text)
    # No path: the super-server owns a unix socket's file; it stays at exit.
    return Listener(sock, text, tls)
