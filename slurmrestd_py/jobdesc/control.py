"""Job submission, update and signalling, the same in every API version:
a component's properties are written into a Spec by the writers a version's
Vocabulary names, its job_desc_msg_t is sent to slurmctld, and failures are
the reference's error entries, in its order. Unlike the reference, an
update that cannot be parsed is a 400 (it answers 200 with errors)."""
from __future__ import annotations

from .. import convert, slurm, words
from ..errors import (EPERM, ESLURM_ALREADY_DONE, ESLURM_DATA_CONV_FAILED,
                      ESLURM_ENVIRONMENT_MISSING, ESLURM_JOB_SCRIPT_MISSING,
                      ESLURM_REST_FAIL_PARSING, ESLURM_REST_INVALID_JOBS_DESC,
                      ESLURM_REST_INVALID_QUERY, SLURM_ERROR, ApiError, PropertyError,
                      SlurmError, error_entry, refused_credentials)
from ..schema import CText, Obj
from ..slurm import ffi, lib
from .job_desc import Spec
from .sbatch_syntax import INT_MAX, INT_MIN, SIGRTMAX, sig_name2num
from .values import as_str

# Failures the reference answers with 400; any other is a 500.
_BAD_REQUEST = (ESLURM_REST_INVALID_QUERY, ESLURM_REST_FAIL_PARSING,
                ESLURM_REST_INVALID_JOBS_DESC)


class Vocabulary:
    """The job property keys a version knows: `properties` (looked up
    case-insensitively), the keys it refuses (`disabled`), how it
    describes a key whose value it could not process (`refused`, a format
    of the lower-cased key) and the name of a submission that gives none."""

    def __init__(self, properties: Obj, disabled: frozenset, refused: str,
                 default_name: str | None = None):
        self.properties = properties
        self.writers = {key.lower(): f.write for key, f in properties.writers().items()}
        self.disabled = disabled
        self.refused = refused
        self.default_name = default_name


# ---------------------------------------------------------------------------
# Parsing a job component as the reference does

def _parse(props, errors: list, update: bool, words: Vocabulary) -> Spec | None:
    """A Spec from one component's properties; None (with `errors` filled
    as the reference fills them) if it cannot be used."""
    spec = Spec()
    spec.warnings = errors
    if not isinstance(props, dict):
        return None
    for key, value in props.items():
        lkey = str(key)[:255].lower()
        write = words.writers.get(lkey)
        if write is None:
            if lkey in words.disabled:
                errors.append(_control_error(EPERM, f'Disabled key: "{lkey}"',
                                             "openapi specification"))
            else:
                errors.append({"description": f'Unknown key "{lkey}"', "source": "hsearch_r"})
            return None
        try:
            write(spec, value)
        except (PropertyError, convert.Invalid) as e:
            errors.extend(e.entries if isinstance(e, PropertyError) else [
                {"error": f"Invalid {lkey}: {e.reason}", "error_code": ESLURM_DATA_CONV_FAILED}])
            errors.append(_control_error(SLURM_ERROR, words.refused.format(lkey),
                                         "slurm_process_option_data"))
            return None
    if not update and spec.job_name is None:
        spec.job_name = words.default_name
    return spec


def _prepare(spec: Spec, errors: list, update: bool, keep: list):
    """The job_desc_msg_t of a parsed spec, or None (errors filled)."""
    desc = spec.job_desc(update, keep)
    if desc is None:
        return None
    if not spec.environment_for(desc, update, keep):
        errors.append({"error": "environment must be set",
                       "error_code": ESLURM_ENVIRONMENT_MISSING})
        return None
    return desc


def _fail(status_code: int, errors: list, final: int | None = None):
    if final is not None:
        errors.append({"error_code": final, "error": slurm.strerror(final)})
    raise ApiError(status_code, errors=errors, payload={})


def _status(rc: int) -> int:
    return 400 if rc in _BAD_REQUEST else 500


# ---------------------------------------------------------------------------
# Handlers

def submit_job(call, words: Vocabulary):
    body = call.body
    errors: list = []
    if body is None:
        _fail(400, errors, ESLURM_REST_INVALID_QUERY)
    script = body.get("script") if isinstance(body, dict) else None
    try:
        script = as_str(script) if script is not None else None
    except ValueError:
        script = None
    if script is not None:
        convert.cstring(script, "script")
    if script is None:
        _fail(400, errors, ESLURM_JOB_SCRIPT_MISSING)  # the reference: 500, yet the client erred
    jobs = body["job"] if "job" in body else body.get("jobs")
    if "job" not in body and "jobs" not in body:
        _fail(400, errors, ESLURM_REST_INVALID_JOBS_DESC)
    keep: list = []
    if isinstance(jobs, list):
        descs = []
        for i, props in enumerate(jobs):
            spec = _parse(props, errors, False, words)
            desc = _prepare(spec, errors, False, keep) if spec is not None else None
            if desc is None:
                errors.append(_control_error(ESLURM_REST_FAIL_PARSING,
                                             f"unexpected failure parsing het job: {i}",
                                             "_parse_job_desc"))
                _fail(400, errors, ESLURM_REST_FAIL_PARSING)
            descs.append(desc)
        if descs:
            descs[0].script = _c(script, keep)
        return _submit(descs, errors, het=True)
    if not isinstance(jobs, dict):
        _fail(400, errors, ESLURM_REST_INVALID_JOBS_DESC)
    spec = _parse(jobs, errors, False, words)
    desc = _prepare(spec, errors, False, keep) if spec is not None else None
    if desc is None:
        _fail(400, errors, ESLURM_REST_FAIL_PARSING)
    desc.script = _c(script, keep)
    return _submit([desc], errors, het=False)


def _c(s: str, keep: list):
    buf = ffi.new("char[]", s.encode())
    keep.append(buf)
    return buf


def send_batch(descs: list, het: bool):
    """Submit `descs` (one job, or the components of a HetJob): (0, the
    response, which the caller frees) or (Slurm's error number, None)."""
    slurm.init()
    out = ffi.new("submit_response_msg_t **")
    if het:
        req = lib.slurm_list_create(ffi.NULL)
        try:
            for d in descs:
                lib.slurm_list_append(req, d)
            rc = lib.slurm_submit_batch_het_job(req, out)
        finally:
            lib.slurm_list_destroy(req)
    else:
        rc = lib.slurm_submit_batch_job(descs[0], out)
    if not rc:
        return 0, out[0]
    if out[0] != ffi.NULL:
        lib.slurm_free_submit_response_response_msg(out[0])
    return lib.slurm_get_errno() or SLURM_ERROR, None


def _submit(descs: list, errors: list, het: bool) -> dict:
    err, resp = send_batch(descs, het)
    if err:
        _unless_refused(err, "slurm_submit_batch_job")
        _fail(_status(err), errors, err)
    try:
        step = {lib.SLURM_PENDING_STEP: "PENDING", lib.SLURM_BATCH_SCRIPT: "BATCH",
                lib.SLURM_EXTERN_CONT: "EXTERN",
                lib.SLURM_INTERACTIVE_STEP: "INTERACTIVE"}.get(resp.step_id,
                                                               str(resp.step_id))
        if resp.error_code:
            errors.append({"error_code": resp.error_code,
                           "error": slurm.strerror(resp.error_code)})
        user_msg = (ffi.string(resp.job_submit_user_msg).decode("utf-8", "replace")
                    if resp.job_submit_user_msg != ffi.NULL else CText.converter()(ffi.NULL))
        # `errors` here are warnings of an accepted submission (held, ...):
        # they replace the envelope's empty list.
        return {"errors": errors, "job_id": resp.job_id, "step_id": step,
                "job_submit_user_msg": user_msg}
    finally:
        lib.slurm_free_submit_response_response_msg(resp)


def update_job(call, words: Vocabulary, job_id=str):
    job_id = job_id(call.params["job_id"])
    body = call.body
    errors: list = []
    if isinstance(body, list):
        errors.append({"description": "unexpected het job request", "source": "_parse_job_list"})
        _fail(400, errors)
    if body is None:
        body = {}
    spec = _parse(body, errors, True, words) if isinstance(body, dict) else None
    keep: list = []
    desc = _prepare(spec, errors, True, keep) if spec is not None else None
    if desc is None:
        if not isinstance(body, dict):
            errors.append(_control_error(ESLURM_REST_INVALID_JOBS_DESC, "job parsing failed",
                                         "_parse_job_list"))
        else:
            errors.append(_control_error(ESLURM_REST_FAIL_PARSING, "job parsing failed",
                                         "_parse_job_list"))
        _fail(400, errors)
    desc.job_id_str = _c(job_id, keep)
    slurm.init()
    out = ffi.new("job_array_resp_msg_t **")
    rc = lib.slurm_update_job2(desc, out)
    resp = out[0]
    try:
        if rc:
            err = _unless_refused(lib.slurm_get_errno() or SLURM_ERROR, "slurm_update_job2")
            errors.append(_control_error(err, "job update failed", "_parse_job_list"))
            _fail(500, errors)
        if resp != ffi.NULL and resp.error_code != ffi.NULL:
            codes = [resp.error_code[i] for i in range(resp.job_array_count)]
            failed = next((c for c in codes if c), 0)
            if failed:
                errors.append(_control_error(failed, "job array update failed",
                                             "_parse_job_list"))
                _fail(500, errors)
    finally:
        if resp != ffi.NULL:
            lib.slurm_free_job_array_resp(resp)
    return {"errors": errors}


def _unless_refused(err: int, call: str) -> int:
    """`err`, unless it may mean Slurm refused the request's credentials:
    that is the app's to answer (a 401 for a token), as for any SlurmError."""
    if refused_credentials(err, token=True):
        raise SlurmError(err, call)
    return err


def _control_error(errno: int, description: str, source: str) -> dict:
    """An entry of the shape job control reports in (error_number)."""
    return error_entry("error_number", errno, slurm.strerror(errno), description, source)


def signal_number(value: str | None) -> int:
    """?signal= as the reference reads it: a number or a name (SIGKILL when
    absent); 0 if it names no signal."""
    # The reference's query parser types values first: an integer is a
    # number; null, a boolean or a float is no signal at all (SIGKILL).
    typed = words.typed(value) if value else None
    if typed is None or isinstance(typed, (bool, float)):
        return 9
    if isinstance(typed, int):
        return typed if INT_MIN <= typed <= INT_MAX else 0
    return sig_name2num(value)


def cancel_job(call, job_id=str):
    job_id = job_id(call.params["job_id"])
    sig = signal_number(call.query.get("signal"))
    if sig < 1 or sig >= SIGRTMAX:
        raise ApiError(400, errors=[_control_error(ESLURM_REST_INVALID_QUERY,
                                                   f"invalid signal: {sig}",
                                                   "HTTP request: signal")], payload={})
    slurm.init()
    if lib.slurm_kill_job2(job_id.encode(), sig, lib.KILL_FULL_JOB, ffi.NULL):
        err = _unless_refused(lib.slurm_get_errno(), "slurm_kill_job2")
        if err == ESLURM_ALREADY_DONE:  # already signalled: success, as the reference
            return {}
        raise ApiError(500, errors=[_control_error(
            err, f"unable to kill JobId={job_id} with signal {sig}: {slurm.strerror(err)}",
            "slurm_kill_job")], payload={})
    return {}
