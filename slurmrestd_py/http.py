"""Sans-IO HTTP/1.1 server connection on top of h11.

The daemon serves HTTP over an inherited fd pair (inet mode), over accepted
sockets, and in tests over plain byte strings.  Keeping the protocol logic a
pure state machine over bytes lets all three share it, and keeps every
decision about framing, keep-alive, 100-continue and size limits testable
without sockets.  h11 does the parsing; this module adds what a REST server
needs on top: whole-body requests, body/header limits, 411/505 checks, and
turning every client mistake into an answerable event instead of an exception.
"""

from __future__ import annotations

import ast
import re
from http import HTTPStatus
from typing import Iterable, Iterator

import h11

__all__ = [
    "CLOSED",
    "NEED_DATA",
    "Connection",
    "ProtocolError",
    "Request",
    "Response",
]


class _Sentinel:
    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return self._name


NEED_DATA = _Sentinel("NEED_DATA")
CLOSED = _Sentinel("CLOSED")

_BODY_METHODS = ("POST", "PUT", "PATCH")
# RFC 9112 §2.3: a server answers any HTTP/1.x of a higher minor version as 1.1.
_VERSION = re.compile(r"1\.[0-9]\Z")
# RFC 9112 §3.2.2: an absolute-form target names the path after its authority.
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*")
# h11 quotes offending input as bytearray(b'...') reprs; clients need text.
_BYTES_REPR = re.compile(r"""bytearray\((b'(?:[^'\\]|\\.)*'|b"(?:[^"\\]|\\.)*")\)""")
_QUOTE_MAX = 80


# Plain classes rather than dataclasses: a @dataclass compiles its methods
# at import, about 0.3 ms of every inet-mode connection's start each.
class Request:
    __slots__ = ("method", "target", "path", "query", "headers", "body", "http_version")

    def __init__(self, method: str, target: str, path: str, query: str,
                 headers: list[tuple[str, str]], body: bytes, http_version: str):
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.http_version = http_version

    def header(self, name: str) -> str | None:
        name = name.lower()
        values = [v for n, v in self.headers if n == name]
        return ", ".join(values) if values else None


class Response:
    __slots__ = ("status", "headers", "body", "close")

    def __init__(self, status: int, headers: list[tuple[str, str]] | None = None,
                 body: bytes | Iterable[bytes] = b"", close: bool = False):
        self.status = status
        self.headers = [] if headers is None else headers
        self.body = body
        self.close = close


class ProtocolError:
    __slots__ = ("status", "message")

    def __init__(self, status: int, message: str):
        self.status = status
        self.message = message

    def __eq__(self, other) -> bool:
        if not isinstance(other, ProtocolError):
            return NotImplemented
        return (self.status, self.message) == (other.status, other.message)

    def __repr__(self) -> str:
        return f"ProtocolError({self.status!r}, {self.message!r})"


def _quote(match: re.Match[str]) -> str:
    quoted = repr(ast.literal_eval(match.group(1)).decode("latin-1"))
    return quoted if len(quoted) <= _QUOTE_MAX else quoted[:_QUOTE_MAX] + "..."


def _describe(exc: h11.RemoteProtocolError) -> str:
    detail = _BYTES_REPR.sub(_quote, str(exc))
    return f"{HTTPStatus(exc.error_status_hint).phrase}: {detail}"


class Connection:
    def __init__(
        self,
        *,
        max_header_bytes: int = 64 * 1024,
        max_body_bytes: int = 50 * 1024 * 1024,
        max_path_bytes: int = 8 * 1024,
    ) -> None:
        self._max_header_bytes = max_header_bytes
        self._max_body_bytes = max_body_bytes
        self._max_path_bytes = max_path_bytes
        self._h11 = h11.Connection(
            our_role=h11.SERVER, max_incomplete_event_size=max_header_bytes
        )
        # EOF is kept here rather than passed to h11: a server never needs
        # EOF to frame a request, so running out of data at EOF simply means
        # the client went away, whatever state the request was in.
        self._eof = False
        self._request: Request | None = None  # headers seen, body pending
        # The method of the exchange in progress, once h11 has read it: an
        # answer to HEAD never carries a body, an error answer included.
        self._method: bytes | None = None
        self._body: list[bytes] = []
        self._body_len = 0

    def receive_data(self, data: bytes) -> None:
        if not data:
            self._eof = True
        elif self._eof:
            raise RuntimeError("received data after EOF")
        else:
            self._h11.receive_data(data)

    def next_event(self) -> Request | ProtocolError | _Sentinel:
        # Outside a request, reading only makes sense on a reusable
        # connection; a closing one (or one still owing a response) has
        # nothing more to offer.
        if self._request is None and not self.keep_alive:
            return CLOSED
        while True:
            if self._method is None:
                # Seen before h11 reads (and drops) the request line: an
                # answer to a HEAD it refuses must have no body either.
                head_hint = self._h11.trailing_data[0][:5] == b"HEAD "
            try:
                event = self._h11.next_event()
            except h11.RemoteProtocolError as exc:
                if self._method is None and head_hint:
                    self._method = b"HEAD"
                if exc.error_status_hint == 431:
                    return self._headers_too_large()
                return self._fail(exc.error_status_hint, _describe(exc))
            if event is h11.NEED_DATA:
                if not self._eof:
                    return NEED_DATA
                if self._request is not None or self._h11.trailing_data[0]:
                    return self._fail(400, "Bad Request: the request ended before it was complete")
                return CLOSED
            if type(event) is h11.Request:
                self._method = event.method
                error = self._start_request(event)
                if error is not None:
                    return error
            elif type(event) is h11.Data:
                self._body.append(event.data)
                self._body_len += len(event.data)
                if self._body_len > self._max_body_bytes:
                    return self._fail(
                        413,
                        f"Request body exceeds {self._max_body_bytes} bytes",
                    )
            else:  # EndOfMessage: the only other event a server receives here
                request = self._request
                request.body = b"".join(self._body)
                self._request, self._body, self._body_len = None, [], 0
                return request

    def _start_request(self, event: h11.Request) -> ProtocolError | None:
        method = event.method.decode("latin-1")
        target = event.target.decode("latin-1")
        absolute = _ABSOLUTE.match(target)
        if absolute:
            target = "/" + target[absolute.end():].lstrip("/")
        version = event.http_version.decode("latin-1")
        raw = event.headers.raw_items()
        headers = [
            (n.decode("latin-1").lower(), v.decode("latin-1")) for n, v in raw
        ]
        # h11 only bounds *incomplete* header blocks; a block that arrives in
        # one read would otherwise escape the limit.
        header_bytes = len(event.method) + len(event.target) + 12
        header_bytes += sum(len(n) + len(v) + 4 for n, v in raw) + 2
        if header_bytes > self._max_header_bytes:
            return self._headers_too_large()
        if not _VERSION.match(version):
            return self._fail(505, f"HTTP Version Not Supported: HTTP/{version}")
        version = "1.0" if version == "1.0" else "1.1"
        # h11 would switch protocols on a 2xx answer to CONNECT; a REST
        # server has no tunnel to offer.
        if method == "CONNECT":
            return self._fail(501, "Not Implemented: CONNECT is not supported")
        names = {n for n, _ in headers}
        if sum(n == "host" for n, _ in headers) > 1:  # RFC 9112 §3.2: a MUST
            return self._fail(400, "Bad Request: more than one Host header")
        if "transfer-encoding" in names:
            # RFC 9112 §6.1, §6.3: framing that a proxy in front may read
            # differently (request smuggling) is refused, and the
            # connection closed with it.
            if "content-length" in names:
                return self._fail(400, "Bad Request: both Transfer-Encoding and Content-Length")
            if version == "1.0":
                return self._fail(400, "Bad Request: Transfer-Encoding in an HTTP/1.0 request")
        else:
            if "content-length" in names:
                length = int(dict(headers)["content-length"])
                # Refuse before reading (and before any 100 Continue) so the
                # client need not upload what would be discarded.
                if length > self._max_body_bytes:
                    return self._fail(
                        413,
                        f"Request body of {length} bytes exceeds "
                        f"{self._max_body_bytes} bytes",
                    )
            elif method in _BODY_METHODS and version == "1.1":
                return self._fail(
                    411,
                    f"Length Required: {method} needs Content-Length or "
                    "Transfer-Encoding: chunked",
                )
        path, _, query = target.partition("?")
        if len(path) > self._max_path_bytes:
            return self._fail(414, f"URI Too Long: the path exceeds {self._max_path_bytes} bytes")
        self._request = Request(
            method=method,
            target=target,
            path=path,
            query=query,
            headers=headers,
            body=b"",
            http_version=version,
        )
        return None

    def _headers_too_large(self) -> ProtocolError:
        return self._fail(
            431,
            "Request Header Fields Too Large: header block exceeds "
            f"{self._max_header_bytes} bytes",
        )

    def _fail(self, status: int, message: str) -> ProtocolError:
        self._request, self._body, self._body_len = None, [], 0
        return ProtocolError(status=status, message=message)

    def data_to_send(self) -> bytes:
        if self._request is not None and self._h11.they_are_waiting_for_100_continue:
            return self._h11.send(
                h11.InformationalResponse(
                    status_code=100, headers=[], reason=b"Continue"
                )
            )
        return b""

    def send(
        self, response: Response, request: Request | None = None
    ) -> Iterator[bytes]:
        head = self.answering_head
        closing = response.close or request is None
        headers = []
        # Framing and connection headers are ours to set so they stay correct.
        for name, value in response.headers:
            lname = name.lower()
            if lname == "connection":
                closing = closing or "close" in value.lower()
            elif lname not in ("content-length", "transfer-encoding"):
                headers.append((name, value))
        body = response.body
        sized = isinstance(body, (bytes, bytearray))
        # 204/304 carry no body and (for 204) must not carry Content-Length.
        bodiless = response.status in (204, 304)
        # A HEAD that h11 refused may be unknown to it as HEAD: it would
        # frame (and expect) a body unless the length says there is none.
        unread_head = head and self._h11.their_state is h11.ERROR
        if sized and not bodiless:
            headers.append(("Content-Length", "0" if unread_head else str(len(body))))
        if closing:
            headers.append(("Connection", "close"))
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = ""
        out = self._h11.send(
            h11.Response(
                status_code=response.status,
                headers=[
                    (n.encode("latin-1"), v.encode("latin-1")) for n, v in headers
                ],
                reason=reason.encode("latin-1"),
            )
        )
        if sized:
            if body and not head and not bodiless:
                out += self._h11.send(h11.Data(data=body))
            yield out + self._h11.send(h11.EndOfMessage())
        else:
            yield out
            if not head and not bodiless:
                for chunk in body:
                    if chunk:
                        yield self._h11.send(h11.Data(data=chunk))
            end = self._h11.send(h11.EndOfMessage())
            if end:
                yield end
        if self._h11.our_state is h11.DONE and self._h11.their_state is h11.DONE:
            self._h11.start_next_cycle()
            self._method = None

    @property
    def answering_head(self) -> bool:
        """The exchange in progress answers HEAD: no body, whatever the status."""
        return self._method == b"HEAD"

    @property
    def keep_alive(self) -> bool:
        # Both sides idle means the last exchange finished cleanly and h11
        # agreed to reuse the connection; anything else (client body unread,
        # error, Connection: close, HTTP/1.0, aborted send) means close.
        return (
            self._h11.our_state is h11.IDLE and self._h11.their_state is h11.IDLE
        )
