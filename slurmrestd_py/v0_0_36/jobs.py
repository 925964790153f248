"""GET /slurm/v0.0.36/jobs and /job/{job_id}: v0.0.37's job; no update_time;
the job id is an integer path parameter (anything else matches no path)
and errors are `{"error", "error_code"}` entries."""
from __future__ import annotations

from .. import words
from ..errors import ESLURM_INVALID_JOB_ID, ApiError, HttpError
from ..routes import NOT_FOUND, Param
from ..schema import Int
from ..slurm import NO_VAL
from ..v0_0_37.jobs import JOB
from ..v0_0_38 import jobs

JOB_ID = Param("job_id", "path", Int, "Slurm Job ID", True)


def job_id(value: str) -> tuple[int, str]:
    """A {job_id} segment as v0.0.36's integer path parameter reads it (a
    decimal is rounded; anything else matches no path, as in the
    reference), then as the uint32 job id it becomes (-3 is 4294967293):
    0 and NO_VAL or more name no job (the reference's 500 with error code 0:
    a 400 with the real code here)."""
    text = jobs.job_id_text(value)
    if text in ("true", "false") or not words.INT.match(text):
        raise HttpError(404, NOT_FOUND)
    number = int(text)
    if number == 0 or number >= NO_VAL:
        raise ApiError(400, ESLURM_INVALID_JOB_ID, "_op_handler_job", payload={})
    number &= 0xFFFFFFFF
    return number, str(number)


OPERATIONS = [op.replace(errors="error_code")
              for op in jobs.job_operations(JOB, since=None, job_id=job_id, id_param=JOB_ID)]
