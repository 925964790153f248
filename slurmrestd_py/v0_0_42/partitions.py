"""GET /slurm/v0.0.42/partitions/ and /partition/{partition_name}: v0.0.40's
partition with its consumable resource selection type (`select_type`), and
update_time typed before it is read (a number, or a word for null)."""
from __future__ import annotations

from ..kinds import flag_list
from ..schema import Field
from ..slurm import lib
from ..v0_0_40 import partitions

CR_LINEAR = 0x8000  # Slurm 24.11's; 22.05 has no such selection type, never set
_WHICH = lib.CR_CPU | lib.CR_SOCKET | lib.CR_CORE  # one of these, or none
CR_TYPE, _cr_type = flag_list("cr_type", (
    ("CPU", _WHICH, lib.CR_CPU), ("SOCKET", _WHICH, lib.CR_SOCKET),
    ("CORE", _WHICH, lib.CR_CORE), *((name, bit, bit) for name, bit in (
        ("BOARD", lib.CR_BOARD), ("MEMORY", lib.CR_MEMORY),
        ("ONE_TASK_PER_CORE", lib.CR_ONE_TASK_PER_CORE), ("PACK_NODES", lib.CR_PACK_NODES),
        ("CORE_DEFAULT_DIST_BLOCK", lib.CR_CORE_DEFAULT_DIST_BLOCK), ("LLN", lib.CR_LLN),
        ("LINEAR", CR_LINEAR)))))

PARTITION = partitions.PARTITION.derive(add=[
    ("cluster", Field("select_type", CR_TYPE, lambda p: _cr_type(p.cr_type),
                      "Scheduler consumable resource selection type")),
])
OPERATIONS = partitions.partition_operations(
    PARTITION, "Query partitions updated more recently than this time (UNIX timestamp)",
    typed=True)
