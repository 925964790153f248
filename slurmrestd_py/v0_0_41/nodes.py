"""/slurm/v0.0.41 nodes/ and node/{node_name}: v0.0.42's record and type
warnings, but query text read as v0.0.40 reads it (untyped: update_time=5
is a time that does not parse)."""
from __future__ import annotations

from ..v0_0_40.nodes import node_operations
from ..v0_0_42.nodes import NODE

OPERATIONS = node_operations(NODE, shows_values=True)
