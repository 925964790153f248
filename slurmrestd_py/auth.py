"""Client authentication: rest_auth/local and rest_auth/jwt, as the reference decides.

Plugins are tried in order; each either skips (does not apply), accepts, or
refuses. The first that does not skip decides; if all skip, the client is
refused. Every failure is the same 401 the reference sends.
"""
from __future__ import annotations

import os
import re
import stat
import time

from .errors import HttpError
from .log import logger as log

FAILURE = "Authentication failure"


class _Record:
    """Equality, hash and repr from __slots__. A plain class rather than a
    frozen dataclass, whose methods are compiled at every inet connection's
    start (~1 ms each here); instances are not changed once made."""

    __slots__ = ()

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        return type(self).__name__ + repr(self._values())


class Peer(_Record):
    """What the transport knows of the client's end of the connection."""

    __slots__ = ("kind", "uid", "gid", "mode", "source")

    def __init__(self, kind: str, uid: int | None = None, gid: int | None = None,
                 mode: int | None = None, source: str = ""):
        self.kind = kind  # "unix" (SO_PEERCRED known), "tcp", or "file" (pipe, tty, regular file)
        self.uid = uid
        self.gid = gid
        self.mode = mode  # st_mode, for kind "file"
        self.source = source  # where the client is, as v0.0.40's meta.client.source says


class Identity(_Record):
    __slots__ = ("user", "uid", "token", "plugin", "owner")

    def __init__(self, user: str, uid: int | None, token: str | None = None,
                 plugin: str = "local", owner: str | None = None):
        self.user = user
        self.uid = uid
        self.token = token  # a JWT to hand to libslurm, for rest_auth/jwt
        self.plugin = plugin
        self.owner = owner  # the token's user, when it acts for `user`

    @property
    def proxied(self) -> str | None:
        """The user name to send beside the token (None: the token's own)."""
        return self.user if self.owner else None


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
    """rest_auth/jwt: X-SLURM-USER-NAME + X-SLURM-USER-TOKEN, or
    `Authorization: Bearer <token>` (the user is then the token's).

    The token goes to slurmctld/slurmdbd with the process's RPCs (see
    slurm.act_as), and Slurm acts as the token's own user (claim `sun`, else
    `username`). A user name that differs from the token's is honoured only
    for root's and SlurmUser's tokens, as slurmctld and slurmdbd honour it:
    the name is sent beside the token, and Slurm acts as that user (a
    portal's service token). Any other token naming someone else is refused.
    """
    name = headers.get("x-slurm-user-name")
    token = headers.get("x-slurm-user-token")
    bearer = headers.get("authorization")
    if bearer is not None and token is not None:
        # Another scheme (a proxy's Basic) is no Slurm credential; a second
        # token is, and which one would count is ambiguous (as newer
        # slurmrestd, refuse the pair).
        if bearer.strip().partition(" ")[0].lower() == "bearer":
            raise HttpError(401, FAILURE)
    elif bearer is not None:
        scheme, _, value = bearer.strip().partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise HttpError(401, FAILURE)
        token = value.strip()
    if name is None and token is None:
        raise _Skip()
    if token is None or (name is None and bearer is None) or (name is not None and not name):
        raise HttpError(401, FAILURE)  # only one of the two headers
    if not _printable(token) or (name is not None and not _printable(name)):
        raise HttpError(401, FAILURE)
    owner = token_user(token)
    if name is None or name == owner:
        return Identity(owner, None, token, "jwt")
    if not _may_act_for_others(owner):
        log.warning("refused: user name %r differs from the token's user %r", name, owner)
        raise HttpError(401, FAILURE)
    log.info("token of %s acting for %s", owner, name)
    return Identity(name, None, token, "jwt", owner)


def _may_act_for_others(user: str) -> bool:
    """Root and SlurmUser, as slurmctld and slurmdbd decide it (by uid)."""
    import pwd
    from .slurm import slurm_user
    try:
        uid = pwd.getpwnam(user).pw_uid
    except KeyError:
        return False
    return uid == 0 or uid == slurm_user()[0]


class _Verifier:
    """Optional early verification of tokens, configured by environment:
    SLURMRESTD_JWT_KEY names the HS256 key file slurmctld uses (its raw
    bytes are the key), SLURMRESTD_JWKS a JWKS file of RS256 keys. Without
    either, signatures are left to slurmctld and slurmdbd."""

    def __init__(self, environ=os.environ):
        self.key_file = environ.get("SLURMRESTD_JWT_KEY") or None
        self.jwks_file = environ.get("SLURMRESTD_JWKS") or None
        self._hs256: bytes | None = None
        self._jwks = None

    @property
    def enabled(self) -> bool:
        return bool(self.key_file or self.jwks_file)

    def verify(self, token: str, header: dict) -> dict:
        """The verified claims; raises HttpError(401) if the token is not
        signed by a configured key (or a key cannot be read: fail closed)."""
        import jwt
        alg = header.get("alg")
        try:
            if alg == "HS256" and self.key_file:
                if self._hs256 is None:
                    with open(self.key_file, "rb") as f:
                        self._hs256 = f.read()
                key, algorithms = self._hs256, ["HS256"]
            elif alg == "RS256" and self.jwks_file:
                if self._jwks is None:
                    with open(self.jwks_file, encoding="utf-8") as f:
                        self._jwks = jwt.PyJWKSet.from_json(f.read())
                kid = header.get("kid")
                found = [k for k in self._jwks.keys if k.key_id == kid and kid is not None]
                if not found:
                    raise jwt.InvalidTokenError(f"no key {kid!r} in the JWKS")
                key, algorithms = found[0].key, ["RS256"]
            else:
                raise jwt.InvalidTokenError(f"no configured key for alg {alg!r}")
            return jwt.decode(token, key, algorithms=algorithms,
                              options={"require": ["exp"], "verify_aud": False})
        except (OSError, jwt.PyJWTError, ValueError) as e:
            log.warning("refused token: %s", e)
            raise HttpError(401, FAILURE) from None


_verifier: _Verifier | None = None


def verifier() -> _Verifier:
    global _verifier
    if _verifier is None:
        _verifier = _Verifier()
    return _verifier


def token_user(token: str, now: float | None = None) -> str:
    """The user a token names (claim `sun`, else `username`), as slurmctld
    reads it. A malformed or expired token (slurmctld refuses both), one
    naming no user, or, with verification configured, one not signed by a
    configured key, is refused here with 401, before any RPC."""
    header, claims = _unverified(token)
    v = verifier()
    if v.enabled:
        claims = v.verify(token, header)
    exp = claims.get("exp")
    # slurmctld treats a missing exp as expired, and reads it as a 64-bit time.
    if not isinstance(exp, (int, float)) or isinstance(exp, bool) or \
            not (time.time() if now is None else now) <= exp < _TIME_MAX:
        raise HttpError(401, FAILURE)
    user = claims.get("sun")
    if not isinstance(user, str) or not user:
        user = claims.get("username")
    if not isinstance(user, str) or not user:
        raise HttpError(401, FAILURE)
    return user


_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")
_TIME_MAX = 1 << 63


def _unverified(token: str) -> tuple[dict, dict]:
    """A JWT's header and claims, unverified. Done by hand: importing PyJWT
    (and the cryptography it loads) costs ~90 ms, once per inet connection;
    it is imported only when signatures are verified here."""
    import base64
    import binascii
    import json
    parts = token.split(".")
    try:
        if len(parts) != 3 or not _BASE64URL.fullmatch(parts[2]):
            raise ValueError("not a signed JWT")
        header, claims = (json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))
                          for p in parts[:2])
    except (ValueError, binascii.Error, RecursionError):  # RecursionError: deep nesting
        raise HttpError(401, FAILURE) from None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise HttpError(401, FAILURE)
    return header, claims


def _printable(value: str) -> bool:
    return value.isascii() and value.isprintable() and " " not in value


PLUGINS = {"local": _local, "jwt": _jwt}
_IDENTITY_HEADERS = frozenset({"x-slurm-user-name", "x-slurm-user-token", "authorization"})


class Authenticator:
    def __init__(self, plugins: list[str], daemon_uid: int | None = None):
        self.plugins = [PLUGINS[p] for p in plugins]
        self.daemon_uid = os.getuid() if daemon_uid is None else daemon_uid

    def authenticate(self, peer: Peer, header_list: list[tuple[str, str]]) -> Identity:
        """`header_list`: (lower-cased name, value) pairs, as received.
        Raises HttpError(401) on failure."""
        given = [name for name, _ in header_list if name in _IDENTITY_HEADERS]
        if len(given) != len(set(given)):
            # Two names or two tokens: whichever one a proxy added, the
            # other came from the client. Serve neither.
            raise HttpError(401, FAILURE)
        headers = dict(header_list)
        for plugin in self.plugins:
            try:
                return plugin(peer, headers, self.daemon_uid)
            except _Skip:
                continue
        raise HttpError(401, FAILURE)
