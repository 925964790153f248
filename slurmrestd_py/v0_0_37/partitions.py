"""GET /slurm/v0.0.37/partitions and /partition/{name}: v0.0.38's, with the
older memory limits (one raw number per limit, not split per CPU and per
node: a per-CPU limit keeps its MEM_PER_CPU bit, so it reads negative) and no
`within` preemption mode."""
from __future__ import annotations

from ..schema import Array, Field, Str
from ..v0_0_38 import partitions
from ..v0_0_38.nodes import Int64

PARTITION = partitions.PARTITION.derive(
    drop=["default_memory_per_node", "maximum_memory_per_cpu"],
    replace={
        "preemption_mode": Field("preemption_mode", Array(Str), partitions.preemption_reader(
            partitions.PREEMPT_NAMES[:-1]), "preemption type"),
        "default_memory_per_cpu": Field(
            "default_memory_per_cpu", Int64, "def_mem_per_cpu",
            "default memory limit (MiB; per allocated CPU when the MEM_PER_CPU bit is set)"),
        "maximum_memory_per_node": Field(
            "maximum_memory_per_node", Int64, "max_mem_per_cpu",
            "maximum memory limit (MiB; per allocated CPU when the MEM_PER_CPU bit is set)"),
    })
OPERATIONS = partitions.partition_operations(PARTITION)
