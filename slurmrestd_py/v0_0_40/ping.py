"""GET /slurm/v0.0.40/ping/ (v0.0.41 serves the same): a module of its own,
so a ping imports no statistics or license declarations."""
from __future__ import annotations

from ..envelope import response_40
from ..schema import ArrayOf, Field, Int, Obj, Str
from ..v0_0_38.diag import UP_DOWN, ping_operation

PING = Obj("controller_ping", [
    Field("hostname", Str, description="Target for ping"),
    Field("pinged", Str, UP_DOWN, "Ping result"),
    Field("latency", Int, description="Number of microseconds it took to successfully ping "
                                      "or timeout"),
    Field("mode", Str, description="The operating mode of the responding slurmctld"),
])


def pings(obj: Obj) -> Obj:
    """The /ping response of `obj`."""
    return response_40("openapi_ping_array_resp", [
        Field("pings", ArrayOf("controller_ping_array", obj), description="pings")])


OPERATIONS = [ping_operation(PING, pings(PING), "ping/", "get_ping")]
