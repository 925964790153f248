"""POST /slurm/v0.0.36/job/submit, POST and DELETE /job/{job_id}: v0.0.37's,
with `priority` refused, the aliases `kill_on_invalid dependency`,
`standard_in` and `standard_out`, nameless submissions named "openapi", an
integer job id, and every error entry shaped `{"error", "error_code"}`."""
from __future__ import annotations

from ..errors import SLURM_ERROR, ApiError
from ..jobdesc.control import Vocabulary
from ..schema import Field
from ..v0_0_37 import job_control as v37
from ..v0_0_38 import job_control
from .jobs import JOB_ID, job_id

_FIELDS = {f.key: f for f in v37.PROPERTIES.fields}


def _alias(key: str, of: str) -> tuple[str, Field]:
    f = _FIELDS[of]
    return of, Field(key, f.type, description=f"Same as `{of}`.", write=f.write)


PROPERTIES = v37.PROPERTIES.derive(drop=["priority"], add=[
    _alias("kill_on_invalid dependency", "kill_on_invalid_dependency"),
    _alias("standard_in", "standard_input"), _alias("standard_out", "standard_output")])
WORDS = Vocabulary(PROPERTIES, v37.WORDS.disabled | {"priority"},
                   "process failed for key {} with error: Unspecified error",
                   default_name="openapi")


def _entry(e: dict) -> dict:
    """An error entry as v0.0.36 shapes them: what failed and its number."""
    if "description" not in e and "error_number" not in e:
        return e
    return {"error": e.get("description") or e["error"],
            "error_code": e.get("error_number", SLURM_ERROR)}


def _shaped(op):
    handler = op.handler

    def shaped(call):
        try:
            payload = handler(call)
        except ApiError as e:
            e.errors = [_entry(x) for x in e.errors or ()]
            raise
        if "errors" in payload:
            payload["errors"] = [_entry(x) for x in payload["errors"]]
        return payload
    return op.replace(handler=shaped, errors="error_code")


OPERATIONS = [_shaped(op) for op in job_control.control_operations(
    WORDS, lambda value: job_id(value)[1], JOB_ID)]
