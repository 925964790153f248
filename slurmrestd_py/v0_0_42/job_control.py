"""/slurm/v0.0.42's job control: v0.0.41's, without the deprecated
`exclusive`, `oversubscribe` and `resv_mpi_ports`, with `oom_kill_step`
(22.05 has none: accepted without effect); the submission's answer drops
`result`, the update's the first job's ids, and DELETE job/{job_id}
lists each failure in `status`."""
from __future__ import annotations

from ..envelope import response_40
from ..jobdesc.writers import w_accepted
from ..schema import Array, Field, Str
from ..jobdesc import control_40
from ..v0_0_40 import job_control as v40
from ..v0_0_40.job_control import INT32, P
from ..v0_0_41 import job_control as v41

JOB_DESC = v41.JOB_DESC.derive(
    drop=["exclusive", "oversubscribe", "resv_mpi_ports"],
    # (a removed field, written in place from v0.0.42 on)
    replace={"power_flags": P("power_flags", Array(Str), "", w_accepted)},
    add=[("tasks", P("oom_kill_step", INT32, "Kill whole step in case of OOM in one of the "
                     "tasks", w_accepted))])
SUBMIT_RESPONSE = v40.SUBMIT_RESPONSE.derive(drop=["result"])
POST_RESPONSE = v41.POST_RESPONSE.derive(drop=["job_id", "step_id", "job_submit_user_msg"])
KILL_JOB_RESPONSE = response_40("openapi_kill_job_resp", [
    Field("status", v40.KILL_STATUS, description="resultant status of signal request")])

OPERATIONS = v40.control_operations(
    JOB_DESC, SUBMIT_RESPONSE, POST_RESPONSE, KILL_JOB_RESPONSE, v41.WARN_FLAGS,
    v40.allocate_req(JOB_DESC), v40.ALLOCATE_RESPONSE, control_40.V41)
