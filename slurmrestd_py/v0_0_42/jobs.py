"""GET /slurm/v0.0.42/jobs/, /job/{job_id} and /jobs/state/: v0.0.41's job
without the keys 24.11 removed there (exclusive, oversubscribe, show_flags),
`minimum_switches` under its right name and each partition's prospective
priority (which 22.05 does not keep: an empty list)."""
from __future__ import annotations

from ..kinds import NUMBER_OBJECTS
from ..schema import ArrayOf, Expr, Field, Int, Obj, Scalar, Str
from ..v0_0_40 import jobs as v40
from ..v0_0_41 import jobs as v41

PART_PRIO = Obj("part_prio", [
    Field("partition", Str, description="Partition name"),
    Field("priority", Scalar("integer", "int32"),
          description="Prospective job priority if it runs in this partition"),
], required=[])
JOB_INFO = v41.JOB_INFO.derive(
    drop=("exclusive", "oversubscribe", "show_flags"),
    replace={
        "minimum_switches": Field("required_switches", Int, "req_switch",
                                  "Maximum number of switches"),
        "power/flags": Field("power/flags", v40.LooseArray("", deprecated=True), Expr("[]")),
    },
    add=[("priority", v40.Empty("priority_by_partition", ArrayOf("priority_by_partition",
                                                                 PART_PRIO), "[]",
                                "Prospective job priority in each partition that may be "
                                "used by this job"))])
OPERATIONS = v40.job_operations(JOB_INFO, NUMBER_OBJECTS, typed_text=True)
