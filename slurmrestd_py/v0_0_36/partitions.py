"""GET /slurm/v0.0.36/partitions and /partition/{name}: v0.0.37's, with
`min_nodes_per_job` and the raw state number as `nodes_online`; no
update_time."""
from __future__ import annotations

from ..schema import Field, Int
from ..v0_0_37 import partitions
from ..v0_0_38.partitions import partition_operations

PARTITION = partitions.PARTITION.derive(
    rename={"min nodes per job": "min_nodes_per_job"},
    replace={"state": Field("nodes_online", Int, "state_up",
                            "partition state: 0 inactive, 1 down, 2 drain, 3 up")})
OPERATIONS = partition_operations(PARTITION, since=None)
