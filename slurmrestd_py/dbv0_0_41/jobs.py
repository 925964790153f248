"""GET /slurmdb/v0.0.41/jobs/ and /job/{job_id}: v0.0.40's jobs with their
planned time and standard streams (22.05's accounting keeps no stream
paths: ""), and fewer documented query keys (the reference's parser still
reads them)."""
from __future__ import annotations

from ..dbv0_0_40.jobs import JOB as JOB_40, PARAMS, UNDOCUMENTED_41, job_operations, planned
from ..kinds import U64
from ..schema import Field, Str

_EMPTY = lambda j: ""  # noqa: E731

_STREAMS = (("stdin_expanded", "Job stdin with expanded fields"),
            ("stdout_expanded", "Job stdout with expanded fields"),
            ("stderr_expanded", "Job stderr with expanded fields"),
            ("stdout", "Path to stdout file"), ("stderr", "Path to stderr file"),
            ("stdin", "Path to stdin file"))
JOB = JOB_40.derive(add=[
    ("time/end", Field("time/planned", U64, planned, "Time required to start job after "
                       "becoming eligible to run in seconds")),
    *((after, Field(key, Str, _EMPTY, what)) for after, (key, what) in
      zip(["script"] + [k for k, _ in _STREAMS], _STREAMS)),
])
PARAMS_41 = [p for p in PARAMS if p.name not in UNDOCUMENTED_41]
OPERATIONS = job_operations(JOB, PARAMS_41)
