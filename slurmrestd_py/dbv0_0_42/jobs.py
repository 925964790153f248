"""GET /slurmdb/v0.0.42/jobs/ and /job/{job_id}: v0.0.41's, each job with
its requested QOS and restart count (22.05's accounting keeps neither: ""
and 0)."""
from __future__ import annotations

from ..dbv0_0_40.common import INT32
from ..dbv0_0_40.jobs import job_operations
from ..dbv0_0_41.jobs import JOB as JOB_41, PARAMS_41
from ..schema import Field, Str

JOB = JOB_41.derive(add=[
    ("qos", Field("qosreq", Str, lambda j: "", "Requested QOS")),
    ("kill_request_user", Field("restart_cnt", INT32, lambda j: 0,
                                "How many times this job has been requeued/restarted")),
])
OPERATIONS = job_operations(JOB, PARAMS_41)
