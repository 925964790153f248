"""Fuzz target: request targets into the router and the query parser, with
every operation of both API versions declared. Holds when: each target
matches an operation or is a 400, 404 or 405; each query parses or is a 400."""
from __future__ import annotations

import atheris

with atheris.instrument_imports():
    from slurmrestd_py import media
    from slurmrestd_py.app import build_router
    from slurmrestd_py.errors import HttpError

ROUTER = build_router(["v0.0.38", "dbv0.0.38"])
ROUTER.operations  # every group loaded: matching is then what is fuzzed
METHODS = ("GET", "POST", "DELETE", "HEAD", "PUT", "OPTIONS")

SEEDS = [
    b"\x00/slurm/v0.0.38/job/123?update_time=1",
    b"\x01/slurmdb/v0.0.38/association?account=a%2Cb&cluster=c",
    b"\x02/slurm/v0.0.38/job/%31%32/../x?signal=SIGKILL",
    b"\x00//slurmdb/v0.0.38//jobs/?users=alice&start_time=now-1day&cpus_min=1",
    b"\x03/openapi/v3?x",
]


def test_one_input(data: bytes) -> None:
    if not data:
        return
    method = METHODS[data[0] % len(METHODS)]
    path, _, query = data[1:].decode("latin-1").partition("?")
    try:
        op, params = ROUTER.match(method, path)
        assert all(isinstance(v, str) and v for v in params.values())
    except HttpError as e:
        assert e.status in (400, 404, 405), e
    try:
        media.parse_query(query)
    except HttpError as e:
        assert e.status == 400, e
