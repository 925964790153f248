"""GET /slurm/v0.0.42/ping/ and /licenses/: v0.0.40's, with each controller's
`responding` and `primary` beside the deprecated `pinged` and `mode`."""
from __future__ import annotations

from ..schema import Bool, Expr, Field
from ..v0_0_38.diag import ping_operation
from ..v0_0_40 import diag

PING = diag.PING.derive(add=[
    ("pinged", Field("responding", Bool, Expr("j.pinged"),
                     "If ping RPC responded with pong from controller")),
    ("mode", Field("primary", Bool, Expr("j.offset == 0"),
                   "Is responding slurmctld the primary controller")),
])
OPERATIONS = [diag.OPERATIONS[0], ping_operation(PING, diag.pings(PING), "ping/", "get_ping")]
