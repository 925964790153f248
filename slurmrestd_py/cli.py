"""The slurmrestd-py command: options, start-up checks, then inet or listening mode."""
from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    from . import options
    try:
        opts = options.parse(sys.argv[1:] if argv is None else argv, os.environ)
    except options.UsageError as e:
        print(f"{options.PROG}: {e}", file=sys.stderr)
        return 1
    if opts.action == "help":
        print(options.usage(), file=sys.stderr, end="")
        return 0
    if opts.action == "version":
        from . import __version__
        from .slurm import RELEASE
        print(f"{options.PROG} {__version__} (slurm {RELEASE})")
        return 0
    if opts.action in options.LISTS:
        prefix, names = options.LISTS[opts.action]
        print("\n".join(prefix + n for n in names), file=sys.stderr)
        return 0

    from . import activation, log, security
    if not opts.listen:
        # xinetd hands its socket over on fd 2 as well as 0 and 1: log
        # lines written there would reach the client. Send them nowhere.
        activation.off_the_wire(0, (2,))
    logger = log.setup(opts.verbosity)
    if opts.slurm_conf:
        os.environ["SLURM_CONF"] = opts.slurm_conf
    listeners = []
    try:
        security.lockdown(opts.security)
        # Handed over by a super-server (socket activation), then bound here
        # (and TLS keys read) before -u/-g drop privileges.
        listeners = activation.listeners(os.environ, opts.tls_cert, opts.tls_key)
        if opts.listen:
            from .listen import bind_all
            listeners += bind_all(opts.listen, opts)
        security.drop_privileges(opts.user, opts.group)
    except (OSError, ValueError) as e:
        logger.error("%s", e)
        for listener in listeners:
            listener.close()
        return 1
    from .slurm import slurm_user
    refusal = security.check_user(os.getuid(), os.getgid(), *slurm_user(), opts.security)
    if refusal:
        logger.error("%s", refusal)
        for listener in listeners:
            listener.close()
        return 1
    if listeners:
        from .listen import serve_forever
        from .slurm import reread
        return serve_forever(listeners, opts, app_factory(opts, warm=True), on_hup=reread)
    return serve_inet(opts, app_factory(opts))


def app_factory(opts, warm: bool = False):
    """`peer -> App` for one connection. The router and authenticator are
    built once. `warm` (listening mode, before the first fork) also imports
    every handler, reads slurm.conf and loads the auth plugin most clients
    need, so a connection's process does only what depends on its client."""
    from . import slurm
    from .app import App, build_router
    from .auth import Authenticator

    router = build_router(opts.plugins)
    authenticator = Authenticator(opts.auth)  # after -u: the daemon's uid is final
    if warm:
        router.load_all()
        # Where a process cannot change its auth plugin (24.11), the parent
        # loads none if its clients may need either: each child loads its own.
        if slurm.AUTH_SWITCHES or len(set(opts.auth)) == 1:
            slurm.load_auth("jwt" in opts.auth)
            slurm.warm_resolver()

    def on_identity(identity) -> None:
        slurm.act_as(identity.token, identity.proxied, identity.user)

    def app_for_peer(peer):
        return App(router, authenticator, peer, on_identity=on_identity)
    return app_for_peer


def serve_inet(opts, app_for_peer) -> int:
    """Inet mode: one client on fd 0/1: a pipe or tty, or a socket accepted
    by inetd/xinetd/systemd (served with the listener's timeouts)."""
    import stat
    st_in = os.fstat(0)
    if not stat.S_ISSOCK(st_in.st_mode):
        from .transport import peer_of, serve_fds
        serve_fds(0, 1, app_for_peer(peer_of(0, 1)))
        return 0
    import socket
    from .log import logger
    from .transport import serve_socket
    st_out = os.fstat(1)
    if (st_out.st_dev, st_out.st_ino) != (st_in.st_dev, st_in.st_ino):
        logger.error(
            "standard input is a socket: standard output must be the same socket")
        return 1
    serve_socket(socket.socket(fileno=os.dup(0)), app_for_peer,
                 opts.idle_timeout, opts.read_timeout)
    return 0


def run() -> None:
    """The console entry point: `main`, then exit without the interpreter's
    finalisation (about 10 ms of every inet connection), once logs are flushed.
    Whatever escapes `main` (a descriptor that fails, not a client's
    request: those are answered) is one log line and exit status 1."""
    try:
        code = main()
    except Exception as e:
        from .log import describe, logger
        logger.error("stopped: %s", describe(e))
        code = 1
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    os._exit(code)
