"""Fuzz target: bytes on the wire into http.Connection through transport.serve,
answered by the real App (authentication, routing, negotiation, body and
query parsing) over operations that need no cluster.

Holds when: serve returns, no 500 and no traceback text is ever sent, and
every answer is a well-formed HTTP/1.1 response."""
from __future__ import annotations

import os
import stat

import atheris

with atheris.instrument_imports():
    from slurmrestd_py import media
    from slurmrestd_py.app import App
    from slurmrestd_py.auth import Authenticator, Peer
    from slurmrestd_py.http import Connection
    from slurmrestd_py.routes import Operation, Param, Router
    from slurmrestd_py.schema import Array, Field, Obj, Str
    from slurmrestd_py.envelope import response_obj
    from slurmrestd_py.transport import serve

THINGS = response_obj("things", [Field("things", Array(Obj("thing", [
    Field("name", Str)])))])


def _echo(call):
    return {"things": [{"name": str(call.params)[:100] + str(call.query)[:100]
                        + str(type(call.body))}]}


def _router() -> Router:
    r = Router()
    for method, path in (("GET", "/slurm/v0.0.38/things"), ("POST", "/slurm/v0.0.38/thing/{name}"),
                         ("DELETE", "/slurm/v0.0.38/thing/{name}")):
        r.add(Operation(method, path, f"op_{method}_{len(path)}", "echo", "slurm", _echo,
                        THINGS, [Param("name", "path", Str)], plugin="v0.0.38"))
    return r


ROUTER = _router()
AUTH = Authenticator(["local", "jwt"])
PEER = Peer("file", os.getuid(), os.getgid(), stat.S_IFIFO | 0o600)

SEEDS = [
    b"\x00GET /slurm/v0.0.38/things?a=1 HTTP/1.1\r\nHost: x\r\n\r\n",
    b"\x01POST /slurm/v0.0.38/thing/x HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    b"Content-Length: 9\r\n\r\n{\"a\": 1}\n",
    b"\x02POST /slurm/v0.0.38/thing/y HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
    b"Content-Type: application/x-yaml\r\n\r\n4\r\na: 1\r\n0\r\n\r\n",
    b"\x03HEAD /slurm/v0.0.38/things HTTP/1.2\r\nHost: x\r\nConnection: close\r\n\r\n",
    b"\x04GET http://h/slurm/v0.0.38/things HTTP/1.0\r\nAccept: text/yaml\r\n\r\n"
    b"GET /openapi HTTP/1.1\r\n\r\n",
    b"\x05POST /slurm/v0.0.38/thing/z HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
    b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\na=1&b=2",
    b"\x06DELETE /slurm/v0.0.38/thing/%41 HTTP/1.1\r\nHost: x\r\nX-SLURM-USER-NAME: a\r\n"
    b"X-SLURM-USER-TOKEN: a.b.c\r\n\r\n",
]


def test_one_input(data: bytes) -> None:
    if not data:
        return
    split, wire = data[0], data[1:]
    step = split % 17 + 1 if split & 0x80 else len(wire) or 1
    chunks = [wire[i:i + step] for i in range(0, len(wire), step)] + [b""]
    out: list[bytes] = []
    app = App(ROUTER, AUTH, PEER)
    serve(Connection(max_body_bytes=1 << 16), app, lambda: chunks.pop(0) if chunks else b"",
          out.append)
    sent = b"".join(out)
    assert b"HTTP/1.1 500" not in sent, sent[:300]
    assert b"Traceback" not in sent and b'File "/' not in sent, sent[:300]
    assert not sent or sent.startswith(b"HTTP/1.1 "), sent[:100]


media.negotiate(None)  # warm the lazy imports outside the measured inputs
