"""Client authentication: rest_auth/local and rest_auth/jwt, as the reference decides.

Plugins are tried in order; each either skips (does not apply), accepts, or
refuses. The first that does not skip decides; if all skip, the client is
refused. Every failure is the same 401 the reference sends.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass

from .routes import HttpError

FAILURE = "Authentication failure"


@dataclass(frozen=True)
class Peer:
    """What the transport knows of the client's end of the connection."""

    kind: str  # "unix" (SO_PEERCRED known), "tcp", or "file" (pipe, tty, regular file)
    uid: int | None = None
    gid: int | None = None
    mode: int | None = None  # st_mode, for kind "file"


@dataclass(frozen=True)
class Identity:
    user: str
    uid: int | None
    token: str | None = None  # a JWT to hand to libslurm, for rest_auth/jwt
    plugin: str = "local"


class _Skip(Exception):
    pass


def _local(peer: Peer, headers, daemon_uid: int) -> Identity:
    from .slurm import user_name
    if peer.kind == "unix":
        if peer.uid == 0:
            return Identity(headers.get("x-slurm-user-name") or user_name(daemon_uid), daemon_uid)
        if peer.uid == daemon_uid:
            return Identity(user_name(daemon_uid), daemon_uid)
        raise HttpError(401, FAILURE)
    if peer.kind == "file":
        # A pipe or tty is trusted only if the daemon's own user made it and no
        # one else can write to it.
        if (peer.uid == daemon_uid and not peer.mode & (stat.S_ISUID | stat.S_ISGID)
                and not peer.mode & stat.S_IRWXO):
            return Identity(user_name(daemon_uid), daemon_uid)
        raise HttpError(401, FAILURE)
    raise _Skip()


def _jwt(peer: Peer, headers, daemon_uid: int) -> Identity:
    name = headers.get("x-slurm-user-name")
    token = headers.get("x-slurm-user-token")
    bearer = headers.get("authorization")
    if bearer is not None and token is None:
        scheme, _, value = bearer.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise HttpError(401, FAILURE)
        token = value.strip()
        if name is None:
            name = _token_user(token)
    if name is None and token is None:
        raise _Skip()
    if not name or not token or not _printable(name) or not _printable(token):
        raise HttpError(401, FAILURE)
    return Identity(name, None, token, "jwt")


def _token_user(token: str) -> str | None:
    """The user a token names (claim `sun`); slurmctld verifies the signature."""
    import jwt
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise HttpError(401, FAILURE) from None
    user = claims.get("sun")
    return user if isinstance(user, str) else None


def _printable(value: str) -> bool:
    return value.isascii() and value.isprintable() and " " not in value


PLUGINS = {"local": _local, "jwt": _jwt}


class Authenticator:
    def __init__(self, plugins: list[str], daemon_uid: int | None = None):
        self.plugins = [PLUGINS[p] for p in plugins]
        self.daemon_uid = os.getuid() if daemon_uid is None else daemon_uid

    def authenticate(self, peer: Peer, headers: dict[str, str]) -> Identity:
        """`headers`: lower-cased names. Raises HttpError(401) on failure."""
        for plugin in self.plugins:
            try:
                return plugin(peer, headers, self.daemon_uid)
            except _Skip:
                continue
        raise HttpError(401, FAILURE)
