"""/slurmdb/v0.0.36 jobs: dbv0.0.37's, with `state/reason` named `state/previous`."""
from __future__ import annotations

from ..dbv0_0_37 import jobs

JOB = jobs.JOB.derive(rename={"state/reason": "state/previous"})
OPERATIONS = jobs.job_operations(JOB)
