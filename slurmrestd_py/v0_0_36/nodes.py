"""GET /slurm/v0.0.36/nodes and /node/{name}: v0.0.38's node without the
select plugin's allocation, state flags, partitions, `extra` and
`last_busy`; its own state names (state 0 is "invalid"); loaded without
SHOW_MIXED (a partly allocated node is "allocated"); no update_time."""
from __future__ import annotations

from ..schema import Field, Str
from ..slurm import lib
from ..v0_0_38 import nodes

STATES = ("invalid", "down", "idle", "allocated", "error", "mixed", "future")


def state_name(state: int) -> str:
    base = state & nodes.STATE_BASE
    return STATES[base] if base < len(STATES) else "invalid"


NODE = nodes.NODE.derive(
    drop=["extra", "last_busy", "state_flags", "next_state_after_reboot_flags", "partitions",
          "alloc_memory", "alloc_cpus", "idle_cpus", "tres_used", "tres_weighted"],
    replace={"state": Field("state", Str, lambda n: state_name(n.node_state),
                            "current node state"),
             "next_state_after_reboot": Field("next_state_after_reboot", Str,
                                              lambda n: state_name(n.next_state),
                                              "state after reboot")})
OPERATIONS = nodes.node_operations(NODE, NODE.read, lib.SHOW_ALL | lib.SHOW_DETAIL, since=None)
