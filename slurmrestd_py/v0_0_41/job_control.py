"""POST /slurm/v0.0.41/job/submit, job/allocate, job/{job_id}; DELETE
job/{job_id}, jobs/: v0.0.40's, with `cores_per_socket` gone, the plane
size a number object, `resv_mpi_ports` and `segment_size` (22.05 has
neither: accepted without effect), "topo" sharing and job/allocate."""
from __future__ import annotations

from ..jobdesc.writers import EXCLUSIVE, SHARED, KILL_FLAG_BITS, number, w_accepted
from ..kinds import U16_OBJ
from ..schema import Field, Nullable
from ..jobdesc import control_40
from ..v0_0_40 import job_control as v40
from ..v0_0_40.job_control import INT32, P, flag_list

WARN_FLAGS = flag_list("warn_flags", [k for k in KILL_FLAG_BITS if k != "NO_CRON_JOBS"])
_FIELDS = {f.key: f for f in v40.JOB_DESC.fields}


def _retyped(key: str, type) -> P:
    f = _FIELDS[key]
    return P(key, type, f.description, f.write)


JOB_DESC = v40.JOB_DESC.derive(drop=["cores_per_socket"], replace={
    "distribution_plane_size": P("distribution_plane_size", U16_OBJ, "Plane size "
                                 "specification when distribution specifies plane",
                                 number("plane_size", 16, member=True)),
    "shared": _retyped("shared", flag_list("job_shared", SHARED)),
    "exclusive": _retyped("exclusive", flag_list("job_exclusive_flags", EXCLUSIVE)),
    "kill_warning_flags": _retyped("kill_warning_flags", WARN_FLAGS),
}, add=[("reservation", P("resv_mpi_ports", INT32, "Number of reserved communication ports; "
                          "can only be used if slurmstepd step manager is enabled",
                          w_accepted)),
        ("required_switches", P("segment_size", U16_OBJ, "Segment size for topology/block",
                                w_accepted))])

# A plain job's update answers null results from v0.0.41 on.
POST_RESPONSE = v40.POST_RESPONSE.derive(replace={"results": Field(
    "results", Nullable(v40.POST_RESPONSE.fields[0].type), description="Job update results")})

OPERATIONS = v40.control_operations(
    JOB_DESC, post_response=POST_RESPONSE, warn_flags=WARN_FLAGS, allocate=v40.allocate_req(JOB_DESC),
    allocate_response=v40.ALLOCATE_RESPONSE, rules=control_40.V41)
