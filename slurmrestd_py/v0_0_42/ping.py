"""GET /slurm/v0.0.42/ping/: v0.0.40's, with each controller's `responding`
and `primary` beside the deprecated `pinged` and `mode`."""
from __future__ import annotations

from ..schema import Bool, Expr, Field
from ..v0_0_38.diag import ping_operation
from ..v0_0_40 import ping

PING = ping.PING.derive(add=[
    ("pinged", Field("responding", Bool, Expr("j.pinged"),
                     "If ping RPC responded with pong from controller")),
    ("mode", Field("primary", Bool, Expr("j.offset == 0"),
                   "Is responding slurmctld the primary controller")),
])
OPERATIONS = [ping_operation(PING, ping.pings(PING), "ping/", "get_ping")]
