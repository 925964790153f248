"""GET /slurm/v0.0.41/partitions/ and /partition/{partition_name}: v0.0.42's
partition (with `select_type`), update_time read as v0.0.40 reads it (text:
a date or time, never a number)."""
from __future__ import annotations

from ..v0_0_40.partitions import partition_operations
from ..v0_0_42.partitions import PARTITION

OPERATIONS = partition_operations(PARTITION, "Filter partitions since update timestamp")
