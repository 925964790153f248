"""Listening mode: accept on TCP, TLS and unix sockets, one process per connection.

Each accepted connection is served by a forked child running the same HTTP
core and handlers as inet mode, so no identity, token, libslurm state or
memory growth crosses from one client to another, and a crash ends one
connection, not the daemon. The parent prepares what does not depend on the
client (imports, slurm.conf, the auth plugin: see cli.app_factory), then
only accepts, forks and reaps: it never reads a request nor sends an RPC,
so its memory stays flat however many clients it serves.

Limits and signals:

* at most `--max-connections` children at once; while the limit is reached
  the parent stops accepting and new clients wait in the kernel's listen
  backlog (they are served as soon as a connection ends; nobody gets an
  error, and the parent itself never blocks on a client);
* SIGTERM/SIGINT: close the listening sockets (and remove unix socket
  files), tell every child to finish (an idle connection ends at once, a
  request in progress is answered with `Connection: close`), wait up to
  `--shutdown-timeout` seconds, SIGKILL what is left, exit 0;
* --idle-exit: with no connection for that long, close the listening
  sockets, let a connection a spare took meanwhile be served whole, and
  exit 0 (for sockets a super-server handed over and keeps: activation.py);
* SIGHUP: `on_hup` (slurm.conf is read again); connections that follow see
  the change, those in progress keep what they started with.
"""
from __future__ import annotations

import errno
import os
import select
import signal
import socket
import stat
import struct
import time

from .log import logger as log
from .options import parse_listen


BACKLOG = 1024  # clients beyond --max-connections wait here (capped by somaxconn)


class Listener:
    """A bound, listening socket and what its connections need."""

    __slots__ = ("sock", "text", "tls", "path", "inode")

    def __init__(self, sock, text, tls=None, path=None, inode=None):
        self.sock = sock
        self.text = text
        self.tls = tls  # ssl.SSLContext for https:// listeners
        self.path = path  # unix socket file, removed at shutdown
        self.inode = inode

    def close(self) -> None:
        self.sock.close()
        if self.path:
            try:  # only if it is still ours (not replaced by a newer daemon)
                if os.lstat(self.path).st_ino == self.inode:
                    os.unlink(self.path)
            except OSError:
                pass


def tls_context(cert: str | None, key: str | None):
    """A server SSLContext from PEM files; read before privileges are dropped."""
    if not cert:
        raise ValueError("https:// listeners need a certificate: --tls-cert FILE "
                         "or SLURMRESTD_TLS_CERT")
    import ssl
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        ctx.load_cert_chain(cert, key or None)
    except ssl.SSLError as e:
        raise ValueError(f"unable to load TLS certificate {cert}"
                         f"{' and key ' + key if key else ''}: {e}") from None
    except OSError as e:
        raise OSError(e.errno, f"unable to read TLS certificate or key: "
                               f"{e.filename or cert}: {e.strerror}") from None
    ctx.set_alpn_protocols(["http/1.1"])
    return ctx


def bind_all(addresses: list[str], opts=None) -> list[Listener]:
    """Bind and listen on every address; raise OSError/ValueError on failure."""
    listeners: list[Listener] = []
    ctx = None
    try:
        for text in addresses:
            spec = parse_listen(text)
            if spec.kind == "unix":
                listeners.append(_bind_unix(text, spec.path))
                continue
            tls = None
            if spec.tls:
                if ctx is None:
                    ctx = tls_context(getattr(opts, "tls_cert", None),
                                      getattr(opts, "tls_key", None))
                tls = ctx
            for sock in _bind_tcp(text, spec.host, spec.port):
                listeners.append(Listener(sock, text, tls))
    except BaseException:
        for listener in listeners:
            listener.close()
        raise
    for listener in listeners:
        log.info("listening on %s", _describe(listener))
    return listeners


def _describe(listener: Listener) -> str:
    if listener.path:
        return listener.text
    host, port = listener.sock.getsockname()[:2]
    scheme = "https://" if listener.tls else ""
    return f"{scheme}[{host}]:{port}" if ":" in host else f"{scheme}{host}:{port}"


def _bind_unix(text: str, path: str) -> Listener:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        pass
    else:
        if not stat.S_ISSOCK(st.st_mode):
            raise OSError(errno.EEXIST, f"{text}: {path} exists and is not a socket")
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.connect(path)
        except OSError:
            os.unlink(path)  # stale: left behind by a daemon that is gone
        else:
            raise OSError(errno.EADDRINUSE, f"{text}: another daemon is listening on {path}")
        finally:
            probe.close()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.bind(path)
        os.chmod(path, 0o777)  # authentication decides, not permissions
        sock.listen(BACKLOG)
        sock.setblocking(False)
        inode = os.lstat(path).st_ino
    except OSError as e:
        sock.close()
        raise OSError(e.errno, f"{text}: {e.strerror}") from None
    return Listener(sock, text, path=path, inode=inode)


def _bind_tcp(text: str, host: str | None, port: int) -> list[socket.socket]:
    if host is None:
        # ":port": every address, IPv6 and IPv4 on one dual-stack socket where
        # the system has IPv6, IPv4 only where it does not.
        try:
            return [_tcp_socket(socket.AF_INET6, ("::", port), dual=True)]
        except OSError as e:
            if e.errno not in (errno.EAFNOSUPPORT, errno.EADDRNOTAVAIL):
                raise OSError(e.errno, f"{text}: {e.strerror}") from None
        addrs = [(socket.AF_INET, ("0.0.0.0", port))]
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                       flags=socket.AI_PASSIVE)
        except socket.gaierror as e:
            raise OSError(errno.EADDRNOTAVAIL, f"{text}: {e.strerror}") from None
        addrs = []
        for family, _, _, _, addr in infos:
            if (family, addr[:2]) not in [(f, a[:2]) for f, a in addrs]:
                addrs.append((family, addr))
    socks, failure = [], None
    for family, addr in addrs:
        try:
            socks.append(_tcp_socket(family, addr, dual=False))
        except OSError as e:
            # A name may resolve to an address family the host cannot bind
            # (::1 without IPv6): bind what can be bound.
            failure = failure or e
            if e.errno not in (errno.EAFNOSUPPORT, errno.EADDRNOTAVAIL) or len(addrs) == 1:
                for s in socks:
                    s.close()
                raise OSError(e.errno, f"{text}: {e.strerror}") from None
    if not socks:
        raise OSError(failure.errno, f"{text}: {failure.strerror}")
    return socks


def _tcp_socket(family: int, addr, dual: bool) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0 if dual else 1)
        sock.bind(addr)
        sock.listen(BACKLOG)
        sock.setblocking(False)
    except BaseException:
        sock.close()
        raise
    return sock


# --------------------------------------------------------------------------
# serving

def serve_forever(listeners: list[Listener], opts, app_for_peer, on_hup=None) -> int:
    """Serve until SIGTERM/SIGINT; then drain and return 0.

    The parent keeps SPARES children waiting on the listeners, each forked
    and rehearsed before its client arrives. A child accepts one connection,
    tells the parent (which forks the next spare), serves it and exits, so
    neither the fork nor the pages a request first writes are paid while
    the client waits.

    `app_for_peer(peer)` builds a connection's App in the child; make it
    (and import what it needs) before calling, so children start warm.
    `on_hup()` runs in the parent after a SIGHUP; spares forked before it
    are replaced.
    """
    _warm(opts, app_for_peer)
    wake_r, wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
    signal.set_wakeup_fd(wake_w, warn_on_full_buffer=False)
    stop, hup = [], []

    def on_stop(signum, frame):
        stop.append(signum)

    signal.signal(signal.SIGTERM, on_stop)
    signal.signal(signal.SIGINT, on_stop)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)  # wakes select via wake_r
    signal.signal(signal.SIGHUP, lambda signum, frame: hup.append(signum))
    pool = _Pool(listeners, opts, app_for_peer, (wake_r, wake_w))
    full = False
    idle = _IdleExit(opts.idle_exit)
    try:
        while not stop:
            if pool.update():
                idle.busy()
            if hup:
                hup.clear()
                _reload(on_hup)
                pool.retire_spares()
            wait = None if pool.busy else idle.left()
            if wait == 0:  # before forking: a spare would take a connection
                log.info("no connection for %gs: exiting (--idle-exit)", idle.seconds)
                break
            forked = pool.fill()
            if pool.full and not full:
                log.warning("%d connections: new clients wait until one ends", opts.max_connections)
            full = pool.full
            if not forked:
                wait = 0.1 if wait is None else min(wait, 0.1)
            try:
                select.select([wake_r, pool.taken_r], [], [], wait)
            except InterruptedError:
                pass
            _drain_pipe(wake_r)
        if stop:
            log.info("stopping (signal %d): closing listeners, waiting for %d connection(s)",
                     stop[0], len(pool.busy))
    finally:
        for listener in listeners:
            listener.close()
        pool.retire_spares()
    _shutdown(pool.busy | pool.retired, opts.shutdown_timeout, wake_r, stop)
    pool.close()
    signal.set_wakeup_fd(-1)
    os.close(wake_r)
    os.close(wake_w)
    return 0


SPARES = 2  # children waiting for a connection (enough for a client's next one)
_PID = struct.Struct("i")


class _Pool:
    """The parent's children: spares waiting for a connection, and busy ones
    serving theirs. A child writes its pid to `taken` when it accepts; the
    parent closes a generation's `retire` pipe to make its spares exit (they
    hold no connection, so nothing accepted is lost)."""

    def __init__(self, listeners, opts, app_for_peer, wake):
        self.listeners, self.opts, self.app_for_peer, self.wake = (
            listeners, opts, app_for_peer, wake)
        self.spares: set[int] = set()
        self.busy: set[int] = set()
        self.retired: set[int] = set()  # spares told to exit, not reaped yet
        self.taken_r, self.taken_w = os.pipe2(os.O_CLOEXEC)
        os.set_blocking(self.taken_r, False)
        self.retire_r, self.retire_w = os.pipe2(os.O_CLOEXEC)

    @property
    def full(self) -> bool:
        return len(self.busy) >= self.opts.max_connections

    def update(self) -> bool:
        """Read which spares took a connection, and reap children that
        ended; True if a connection was open since the last call."""
        try:
            while data := os.read(self.taken_r, _PID.size * 64):
                for (pid,) in _PID.iter_unpack(data):
                    if pid in self.spares:
                        self.spares.discard(pid)
                        self.busy.add(pid)
        except (BlockingIOError, InterruptedError):
            pass
        active = bool(self.busy)
        _reap(self.spares, self.busy, self.retired)
        return active

    def fill(self) -> bool:
        """Fork spares up to SPARES, within --max-connections; False if a fork failed."""
        while (len(self.spares) < SPARES
               and len(self.spares) + len(self.busy) < self.opts.max_connections):
            pid = _spawn(self)
            if not pid:
                return False
            self.spares.add(pid)
        return True

    def retire_spares(self) -> None:
        """End the spares (SIGHUP: they hold what was loaded before)."""
        os.close(self.retire_w)
        os.close(self.retire_r)
        self.retired |= self.spares
        self.spares.clear()
        self.retire_r, self.retire_w = os.pipe2(os.O_CLOEXEC)

    def close(self) -> None:
        for fd in (self.taken_r, self.taken_w, self.retire_r, self.retire_w):
            os.close(fd)


class _IdleExit:
    """--idle-exit: how long until the daemon has had no connection for
    `seconds` (None: it never exits on its own). serve_forever then stops
    without accepting again (its spares end without taking a connection): a
    client that connects meanwhile waits in the backlog of the socket, which
    the super-server keeps (and listens on to start the daemon again)."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.since = time.monotonic()

    def busy(self) -> None:
        self.since = time.monotonic()

    def left(self) -> float | None:
        if self.seconds is None:
            return None
        return max(0.0, self.since + self.seconds - time.monotonic())


# Modules a connection imports on first use: imported once here, every
# connection's process starts with them (PyJWT, needed only when tokens are
# verified here, costs ~90 ms to import).
_WARM = ("urllib.parse", "slurmrestd_py.slurm.rpc_names", "yaml", "ssl",
         "slurmrestd_py.transport")
# A request every process answers once before its client's (a 401: no
# credentials, no RPC), for the first-use work and page copies it causes.
_REHEARSAL = (b"GET /slurm/v0.0.38/ping HTTP/1.1\r\nHost: localhost\r\n"
              b"X-SLURM-USER-NAME: rehearsal\r\nX-SLURM-USER-TOKEN: x.y.z\r\n"
              b"Connection: close\r\n\r\n")


def _warm(opts, app_for_peer) -> None:
    import gc
    import importlib
    from .auth import verifier
    names = list(_WARM) + (["jwt"] if "jwt" in opts.auth and verifier().enabled else [])
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:  # pragma: no cover - optional speed-up only
            pass
    _rehearse(app_for_peer)
    gc.collect()
    gc.freeze()  # keep the collector from touching (and copying) shared pages


def _rehearse(app_for_peer) -> None:
    """Answer _REHEARSAL through the HTTP core and the app, unlogged. As a
    TCP peer with a malformed token, no plugin accepts it: it is refused
    before any identity is taken or libslurm is called."""
    from .auth import Peer
    from .http import Connection
    from .transport import serve
    data = [b"", _REHEARSAL]
    log.silent = True
    try:
        serve(Connection(), app_for_peer(Peer("tcp", source="rehearsal")), data.pop,
              lambda chunk: None)
    finally:
        log.silent = False


def _reload(on_hup) -> None:
    log.info("SIGHUP: reading the configuration again")
    if on_hup is None:
        return
    try:
        on_hup()
    except Exception as e:  # keep serving with what was loaded before
        from .log import describe
        log.error("reloading failed: %s", describe(e))


def _spawn(pool: _Pool) -> int:
    """Fork a spare; return its pid (0 if fork failed). The spare rehearses,
    waits for a connection, tells the parent, serves it and exits."""
    mask = {signal.SIGTERM, signal.SIGINT, signal.SIGCHLD}
    signal.pthread_sigmask(signal.SIG_BLOCK, mask)
    try:
        pid = os.fork()
    except OSError as e:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, mask)
        log.error("fork: %s", e.strerror)
        return 0
    if pid:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, mask)
        return pid
    # SIGTERM/SIGINT stay blocked until the connection's handlers are in
    # place: a spare is ended by its retire pipe, never while accepting.
    code = 0
    try:
        signal.set_wakeup_fd(-1)
        for fd in (*pool.wake, pool.taken_r, pool.retire_w):
            os.close(fd)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)  # the parent's to act on
        _rehearse(pool.app_for_peer)
        accepted = _accept(pool.listeners, pool.retire_r)
        if accepted is None:
            os._exit(0)
        conn, listener = accepted
        os.write(pool.taken_w, _PID.pack(os.getpid()))
        for fd in (pool.taken_w, pool.retire_r):
            os.close(fd)
        for other in pool.listeners:
            other.sock.close()
        from .transport import serve_socket
        opts = pool.opts
        serve_socket(conn, pool.app_for_peer, opts.idle_timeout, opts.read_timeout,
                     listener.tls, on_ready=lambda: signal.pthread_sigmask(
                         signal.SIG_UNBLOCK, mask))
    except BaseException:
        log.exception("connection failed")
        code = 1
    finally:
        os._exit(code)


def _accept(listeners: list[Listener], retire: int):
    """The first connection on any listener, with its listener; None once
    `retire` reads end-of-file (checked first: a spare told to go never
    takes a connection it would not serve)."""
    by_sock = {listener.sock: listener for listener in listeners}
    while True:
        try:
            readable = select.select([retire, *by_sock], [], [])[0]
        except InterruptedError:
            continue
        if retire in readable:
            return None
        for sock in readable:
            try:
                conn, _ = sock.accept()
            except (BlockingIOError, InterruptedError):
                continue  # another spare took it
            except OSError as e:
                if e.errno not in (errno.ECONNABORTED, errno.EPROTO):
                    # EMFILE, ENFILE, ENOBUFS, ENOMEM: try again shortly.
                    log.error("accept on %s: %s", by_sock[sock].text, e.strerror)
                    select.select([retire], [], [], 0.1)
                continue
            return conn, by_sock[sock]


def _drain_pipe(fd: int) -> None:
    try:
        while os.read(fd, 512):
            pass
    except (BlockingIOError, InterruptedError):
        pass


def _reap(*groups: set[int]) -> None:
    while any(groups):
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            for group in groups:
                group.clear()
            return
        except InterruptedError:
            continue
        if pid == 0:
            return
        for group in groups:
            group.discard(pid)


def _signal_all(children: set[int], signum: int) -> None:
    for pid in children:
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass


def _shutdown(children: set[int], timeout: float, wake_r: int, stop: list) -> None:
    """Wait for the children to finish. Once `stop` holds a signal (at once
    if it does already), ask them to (SIGTERM: an idle connection ends, a
    request in progress is answered) and kill those still busy `timeout`
    seconds later. After --idle-exit nobody is asked: a connection a spare
    took as the daemon decided to exit is served whole."""
    deadline = None
    _reap(children)
    while children:
        if stop and deadline is None:
            _signal_all(children, signal.SIGTERM)
            deadline = time.monotonic() + timeout
        left = 0.5 if deadline is None else deadline - time.monotonic()
        if left <= 0:
            log.warning("killing %d connection(s) still busy after %gs", len(children), timeout)
            _signal_all(children, signal.SIGKILL)
            break
        try:
            select.select([wake_r], [], [], min(left, 0.5))  # SIGCHLD wakes us
        except InterruptedError:
            pass
        _drain_pipe(wake_r)
        _reap(children)
    while children:
        try:
            pid, _ = os.waitpid(-1, 0)
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        children.discard(pid)
