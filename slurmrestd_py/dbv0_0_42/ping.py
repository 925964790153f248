"""GET /slurmdb/v0.0.42/ping/: is slurmdbd answering, and how fast.

Slurm 24.11 sends a ping over a connection to AccountingStorageHost; 22.05
has no such call, so a new connection's handshake (DBD_INIT, answered by
slurmdbd itself) is the ping."""
from __future__ import annotations

import time
from types import SimpleNamespace

from .. import slurm
from ..envelope import response_40
from ..routes import Operation
from ..schema import ArrayOf, Bool, Field, Int, Obj, Str
from ..slurm import ffi, lib

PING = Obj("slurmdbd_ping", [
    Field("hostname", Str, description="Target for ping"),
    Field("responding", Bool, description="If ping RPC responded with pong from slurmdbd"),
    Field("latency", Int, description="Number of microseconds it took to successfully ping "
                                      "or timeout"),
    Field("primary", Bool, description="Is responding slurmdbd the primary controller"),
], required=["hostname", "responding", "latency", "primary"])
PINGS = response_40("openapi_slurmdbd_ping_resp", [
    Field("pings", ArrayOf("slurmdbd_ping_array", PING), description="pings")])


def ping(call) -> dict:
    conf = slurm.conf()
    start = time.monotonic_ns()
    conn = ffi.new("void **", lib.slurmdb_connection_get(ffi.NULL))
    latency = (time.monotonic_ns() - start) // 1000
    responding = conn[0] != ffi.NULL
    if responding:
        lib.slurmdb_connection_close(conn)
    return {"pings": [PING.read(SimpleNamespace(
        hostname=slurm.text(conf.accounting_storage_host) or "", responding=responding,
        latency=latency, primary=True))]}


OPERATIONS = [Operation("GET", "ping/", "get_ping", "ping test", "slurmdb", ping, PINGS)]
