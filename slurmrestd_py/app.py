"""From a parsed HTTP request to a response: authenticate, route, negotiate, call.

Knows nothing of bytes on the wire (http.py) nor of descriptors (transport.py).
One `App` serves one connection: its peer is fixed, and the identity the
first request authenticates as is the only one the process may act as.
"""
from __future__ import annotations

import itertools
from typing import Callable

from . import envelope, media
from .auth import FAILURE, Authenticator, Identity, Peer
from .convert import Invalid
from .errors import (ESLURM_DATA_CONV_FAILED, SLURM_NO_CHANGE_IN_DATA, ApiError, HttpError,
                     SlurmError, error_entry, refused_credentials)
from .http import Request, Response
from .log import describe
from .log import logger as log
from .routes import Operation, Router
from .schema import Array, ArrayOf
from .versions import BY_PLUGIN



class Call:
    """What a handler sees of a request."""

    __slots__ = ("params", "query", "body", "identity", "request", "source", "warnings")

    def __init__(self, params, query, body, identity, request, source=""):
        self.params = params
        self.query = query
        self.body = body
        self.identity = identity
        self.request = request
        self.source = source  # the peer's description (Peer.source)
        # v0.0.40 and later: warning entries ({description, source}) the answer carries
        self.warnings: list[dict] = []


def text_response(status: int, message: str, close: bool = True) -> Response:
    return Response(status, [("Content-Type", "text/plain")], message.encode(), close=close)


class App:
    def __init__(self, router: Router, authenticator: Authenticator, peer: Peer,
                 on_identity: Callable[[Identity], None] | None = None):
        self.router = router
        self.authenticator = authenticator
        self.peer = peer
        self.identity: Identity | None = None
        self.on_identity = on_identity

    def __call__(self, request: Request) -> Response:
        log.info("%s %s", request.method, request.target)
        try:
            return self._handle(request)
        except HttpError as e:
            return text_response(e.status, e.message)
        except Invalid as e:  # a value no endpoint envelope reported
            return text_response(400, f"Invalid {e}")
        except Exception as e:  # a bug: one log line, never a traceback on the wire
            log.error("internal error serving %s %s: %s", request.method, request.target,
                      describe(e))
            return text_response(500, "Internal error")

    def _authenticate(self, request: Request) -> Identity:
        identity = self.authenticator.authenticate(self.peer, request.headers)
        if self.identity is None:
            self.identity = identity
            log.info("accepted connection from user: %s (%s)", identity.user, identity.plugin)
            if self.on_identity:
                self.on_identity(identity)
        elif identity != self.identity:
            # libslurm already speaks for the first identity in this process:
            # another one on the same connection cannot be served safely.
            raise HttpError(401, FAILURE)
        return identity

    def _handle(self, request: Request) -> Response:
        identity = self._authenticate(request)
        op, params = self.router.match(request.method, request.path)
        media_type = op.media or media.negotiate(request.header("accept"))
        if request.method in ("POST", "PUT", "PATCH") or (op.body is not None and request.body):
            # (DELETE /jobs/ of v0.0.40 and later reads a body.)
            body = media.parse_body(request.header("content-type"), request.body)
            query = media.parse_query(request.query)
        elif request.body and not (op.plugin and BY_PLUGIN[op.plugin].parser):
            # (From v0.0.40 on, some clients always send one: it is ignored.)
            raise HttpError(400, "Unexpected request body for method " + request.method)
        else:
            body, query = None, media.parse_query(request.query)
        call = Call(params, query, body, identity, request, self.peer.source)
        status, data = self._call(op, call)
        if data is None:
            return Response(status)
        return Response(status, [("Content-Type", media_type)],
                        _settle(media.encode(data, media_type)), close=status >= 400)

    def _call(self, op: Operation, call: Call) -> tuple[int, dict | None]:
        if not op.plugin:  # the OpenAPI document is not wrapped
            return 200, op.handler(call)
        try:
            payload = op.handler(call)
        except SlurmError as e:
            if e.errno == SLURM_NO_CHANGE_IN_DATA:  # nothing changed since update_time
                return 304, None
            log.warning("%s: %s", e.call, e.strerror)
            if refused_credentials(e.errno, call.identity.token is not None):
                raise HttpError(401, FAILURE) from None
            error = error_entry(op.errors, e.errno, e.strerror, e.description, e.call)
            return 500, self._wrap(op, call, [error], self._empty_payload(op))
        except Invalid as e:
            from .slurm import strerror
            error = error_entry(op.errors, ESLURM_DATA_CONV_FAILED,
                                strerror(ESLURM_DATA_CONV_FAILED), f"Invalid {e}", e.field)
            return 400, self._wrap(op, call, [error], self._empty_payload(op))
        except ApiError as e:
            if e.status >= 500 and refused_credentials(e.errno, call.identity.token is not None):
                raise HttpError(401, FAILURE) from None  # slurmdbd refused them
            errors = list(e.errors or ())
            if e.errno:
                from .slurm import strerror
                errors.append(error_entry(op.errors, e.errno, strerror(e.errno),
                                          e.description, e.call))
            payload = self._empty_payload(op) if e.payload is None else e.payload
            return e.status, self._wrap(op, call, errors, payload)
        return 200, self._wrap(op, call, [], payload)

    @staticmethod
    def _wrap(op: Operation, call: Call, errors: list, payload: dict) -> dict:
        return envelope.wrap(BY_PLUGIN[op.plugin], call, errors, payload)

    @staticmethod
    def _empty_payload(op: Operation) -> dict:
        # Failed list endpoints still carry their (empty) list, as the reference does.
        return {f.key: [] for f in op.response.fields
                if f.key not in envelope.KEYS and isinstance(f.type, (Array, ArrayOf))}


def _settle(body):
    """A body that fits in one chunk becomes bytes, so it gets a Content-Length."""
    if isinstance(body, bytes):
        return body
    first = next(body, b"")
    second = next(body, None)
    if second is None:
        return first
    return itertools.chain((first, second), body)


def build_router(plugins: list[str]) -> Router:
    """A router for the selected API versions and the OpenAPI document."""
    import importlib
    from . import openapi
    from .versions import VERSIONS
    router = Router()
    for version in VERSIONS:
        if version.plugin not in plugins:
            continue
        for module, heads in version.modules:
            router.add_group([(*version.prefix, head) for head in heads],
                             lambda v=version, name=f"slurmrestd_py.{module}":
                             [op.bound(v) for op in importlib.import_module(name).OPERATIONS])
    for op in openapi.operations(router):
        router.add(op)
    return router
