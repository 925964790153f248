"""/slurmdb/v0.0.37 jobs: dbv0.0.38's without `container`, an unknown
association shown as null, whole heterogeneous jobs, every cluster unless
the query names some, and an integer job id in /job/{job_id}."""
from __future__ import annotations

import math

from .. import convert, words
from ..dbv0_0_38 import jobs
from ..errors import HttpError
from ..routes import NOT_FOUND, Operation, Param
from ..schema import Field, Int, Nullable, Obj
from ..slurmdb.job_cond import JOBCOND_FLAG_WHOLE_HETJOB


def _association(job):
    # dbv0.0.38 shows an association it does not know by its id; this version as null.
    found = jobs.association(job)
    return None if found is not None and "id" in found else found


JOB = jobs.JOB.derive(drop=["container"], replace={"association": Field(
    "association", Nullable(jobs.JOB_ASSOCIATION.derive(drop=["id"])), _association)})


def job_id_text(segment: str) -> str:
    """The path's job id as the reference types it: an integer (saturated),
    or a decimal rounded half to even; anything else matches no path."""
    if words.INT.match(segment):
        return str(convert.saturate(convert.integer(segment)))
    if words.FLOAT.match(segment):
        value = words.strtod(segment)
        return str(round(value) if math.isfinite(value) else convert.saturate(
            int(math.copysign(1 << 64, value))))
    raise HttpError(404, NOT_FOUND)


def job_operations(job: Obj) -> list[Operation]:
    """GET /jobs and /job/{job_id} as this version reads them, records declared by `job`."""
    return jobs.job_operations(
        job, jobs.dumper(job, jobs.QUERY_FLAGS | JOBCOND_FLAG_WHOLE_HETJOB, local=False),
        Param("job_id", "path", Int, "Slurm Job ID", True), job_id_text)


OPERATIONS = job_operations(JOB)
