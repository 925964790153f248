"""Fuzz target: the identity headers and the JWT pre-check (auth.py), before
any RPC. Holds when: the answer is an identity or a 401, nothing else."""
from __future__ import annotations

import base64
import json

import atheris

with atheris.instrument_imports():
    from slurmrestd_py.auth import FAILURE, Authenticator, Peer
    from slurmrestd_py.errors import HttpError

AUTH = Authenticator(["local", "jwt"], daemon_uid=4242)
TCP = Peer("tcp")
NAMES = ("x-slurm-user-name", "x-slurm-user-token", "authorization")


def _jwt(header: dict, claims: dict) -> bytes:
    return b".".join(base64.urlsafe_b64encode(json.dumps(p).encode()).rstrip(b"=")
                     for p in (header, claims)) + b".c2ln"


SEEDS = [
    b"\x03alice\x00" + _jwt({"alg": "HS256"}, {"sun": "alice", "exp": 4102444800}),
    b"\x04\x00Bearer " + _jwt({"alg": "HS256"}, {"username": "bob", "exp": 4102444800.5}),
    b"\x07alice\x00" + _jwt({"alg": "HS256"}, {"sun": "alice", "exp": 1}) + b"\x00Bearer x",
    b"\x02\x00" + _jwt({"alg": "none"}, {"sun": "root"}),
]


def test_one_input(data: bytes) -> None:
    if not data:
        return
    present, values = data[0], data[1:].decode("latin-1").split("\0")
    headers = [(name, values[i % len(values)]) for i, name in enumerate(NAMES)
               if present & (1 << i)]
    if present & 0x08:
        headers.append((NAMES[present >> 4 & 1], values[-1]))  # a repeated header
    try:
        identity = AUTH.authenticate(TCP, headers)
    except HttpError as e:
        assert (e.status, e.message) == (401, FAILURE), e
        return
    assert identity.user and identity.token
