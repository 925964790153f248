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
    if opts.action in ("list_auth", "list_plugins"):
        names = options.AUTH_PLUGINS if opts.action == "list_auth" else options.OPENAPI_PLUGINS
        prefix = "rest_auth/" if opts.action == "list_auth" else "openapi/"
        print("\n".join(prefix + n for n in names), file=sys.stderr)
        return 0

    from . import log, security
    logger = log.setup(opts.verbosity)
    if opts.slurm_conf:
        os.environ["SLURM_CONF"] = opts.slurm_conf
    try:
        security.lockdown(opts.security)
        if opts.listen:
            from .listen import bind_all
            listeners = bind_all(opts.listen)
        security.drop_privileges(opts.user, opts.group)
    except (OSError, ValueError) as e:
        logger.error("%s", e)
        return 1
    from .slurm import slurm_user
    refusal = security.check_user(os.getuid(), os.getgid(), *slurm_user(), opts.security)
    if refusal:
        logger.error("%s", refusal)
        return 1
    if opts.listen:
        from .listen import serve_forever
        return serve_forever(listeners, opts)
    serve_connection(opts, 0, 1)
    return 0


def serve_connection(opts, rfd: int, wfd: int, timeout: float | None = None) -> None:
    """Serve one client on rfd/wfd: inet mode and each listener child run this."""
    from . import slurm
    from .app import App, build_router
    from .auth import Authenticator
    from .transport import peer_of, serve_fds

    app = App(build_router(opts.plugins), Authenticator(opts.auth), peer_of(rfd),
              on_identity=lambda identity: slurm.init(identity.token))
    serve_fds(rfd, wfd, app, timeout)
