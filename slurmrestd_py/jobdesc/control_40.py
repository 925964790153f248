"""Job submission, update, signalling and allocation as the v0.0.40 and
later data parsers do them: keys are exact, an unknown key or a value of
another JSON type than declared is a warning (the value is still read), a
value refused is an error entry whose source is its path ("#/job/name/"),
and the answers carry warnings. What the values become is jobdesc's (Spec,
writers), as for v0.0.38."""
from __future__ import annotations

import errno
import json

from .. import slurm
from ..errors import (ESLURM_ALREADY_DONE, ESLURM_DATA_EXPECTED_DICT, ESLURM_INVALID_JOB_ID,
                      ESLURM_REST_INVALID_QUERY, NEWER_ERRORS, SLURM_ERROR, ApiError,
                      PropertyError, SlurmError, refused_credentials)
from ..kinds import NumberObj
from ..schema import Array, ArrayOf, Obj, OneOf, Scalar
from ..slurm import ffi, lib
from .control import send_batch
from .job_desc import Spec
from .sbatch_syntax import SIGRTMAX, sig_name2num
from .values import as_str, data_type
from .writers import KILL_FLAG_BITS

KILL_FULL_JOB = 1 << 3
_SLURM_TYPES = {"string": "string", "integer": "64 bit integer", "boolean": "boolean",
                "number": "floating point number", "array": "list", "object": "dictionary"}


def _strerror(errno: int) -> str:
    return NEWER_ERRORS.get(errno) or slurm.strerror(errno)


def entry(errno: int, description: str, source: str) -> dict:
    """An error entry (error_number style)."""
    return {"description": description, "error_number": errno, "error": _strerror(errno),
            "source": source}


def warning(description: str, source: str) -> dict:
    return {"description": description, "source": source}


def _oas(t) -> tuple[str, str | None]:
    """The OpenAPI type and format a declared type asks for."""
    if isinstance(t, (NumberObj, Obj)) and not isinstance(t, ArrayOf):
        return "object", None
    if isinstance(t, (Array, ArrayOf)):
        return "array", None
    if isinstance(t, OneOf):
        return _oas(t.types[0])
    if isinstance(t, Scalar):
        return t.json_type, t.fmt
    return "object", None


def _json_type(v) -> str:
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "number"
    if isinstance(v, str):
        return "string"
    return "array" if isinstance(v, list) else "object"


class Rules:
    """How a version's parsers warn about a value of another JSON type than
    declared: v0.0.41 and later quote the value (`quote`) and read a plain
    number as a number object silently; v0.0.40 warns there too (`numbers`).
    `null_results`: an update of a job that is no array answers null results
    (v0.0.41 and later), not [] (v0.0.40). `signal_errno`: the error number
    of an unknown signal's entry: v0.0.40's EINVAL refuses to signal; later
    versions report 0 and send SIGKILL."""

    def __init__(self, quote: bool, numbers: bool, null_results: bool, signal_errno: int):
        self.quote, self.numbers, self.null_results = quote, numbers, null_results
        self.signal_errno = signal_errno


V40 = Rules(quote=False, numbers=True, null_results=False, signal_errno=errno.EINVAL)
V41 = Rules(quote=True, numbers=False, null_results=True, signal_errno=0)


def type_warning(t, v, source: str, rules: Rules = V40) -> dict | None:
    """The reference's warning for a value of another JSON type than declared
    (it still tries to read it), None when the types agree."""
    if v is None:
        return None
    want, fmt = _oas(t)
    got = _json_type(v)
    if got == want or (want == "number" and got == "integer"):
        return None
    if isinstance(t, NumberObj) and not rules.numbers:
        return None
    if isinstance(t, ArrayOf) and getattr(t.items, "enum", None) and got == "string":
        return None  # the flag parsers take a single flag's name as is
    text = (f"Expected OpenAPI type={want}{' format=' + fmt if fmt else ''} "
            f"(Slurm type={_SLURM_TYPES[want]}) but got OpenAPI type={got} "
            f"(Slurm type={data_type(v)})")
    if rules.quote:
        text += ": " + json.dumps(v, separators=(",", ":"))
    return warning(text, source)


class Parsed:
    """What parsing one request gave: warnings and errors in the
    reference's order."""

    def __init__(self):
        self.errors: list = []
        self.warnings: list = []


def parse_job(props, path: str, fields: dict, out: Parsed, update: bool,
              rules: Rules = V40) -> Spec | None:
    """A Spec from one job_desc_msg at `path` ("#/job/"), None if refused."""
    if not isinstance(props, dict):
        out.errors.append(entry(ESLURM_DATA_EXPECTED_DICT,
                                f"Rejecting {data_type(props)} when dictionary expected",
                                path))
        return None
    spec = Spec()
    spec.warnings = out.warnings  # writers that only warn (core_specification < 0)
    spec.quoted = rules.quote
    ok = True
    # Declared keys in declaration order, then the unknown ones, as the reference reads them.
    for key, field in fields.items():
        if key not in props:
            continue
        value, source = props[key], f"{path}{key}/"
        w = type_warning(field.type, value, source, rules)
        if w:
            out.warnings.append(w)
        try:
            field.write(spec, value)
        except PropertyError as e:
            out.errors.extend(_sourced(e.entries or [{}], source))
            ok = False
        except ValueError as e:
            out.errors.append(entry(SLURM_ERROR, str(e), source))
            ok = False
        if not ok:
            return None  # the reference stops at the first refusal
    for key, value in props.items():
        if key not in fields:
            out.warnings.append(warning(
                f'Ignoring unknown field "{key}" of type {data_type(value)} in '
                "DATA_PARSER_JOB_DESC_MSG", f"{path}{key}/"))
    if not ok:
        return None
    return spec


def _sourced(entries: list, source: str) -> list:
    """Entries of a refusal, as error_number entries at `source`."""
    out = []
    for e in entries:
        errno = e.get("error_number", e.get("error_code", SLURM_ERROR))
        description = e.get("description") or e.get("error") or "Unable to parse value"
        out.append(entry(errno, description, e.get("source") or source))
    return out


def _desc(spec: Spec, update: bool, keep: list):
    desc = spec.job_desc(update, keep)
    if desc is None:
        return None
    spec.environment_for(desc, update, keep)  # slurmctld refuses a job without one
    return desc


def _c(s: str, keep: list):
    buf = ffi.new("char[]", s.encode())
    keep.append(buf)
    return buf


def _unless_refused(err: int, call: str) -> int:
    if refused_credentials(err, token=True):
        raise SlurmError(err, call)
    return err


def _fail(status: int, out: Parsed, payload: dict | None = None):
    raise ApiError(status, errors=out.errors, payload={**(payload or {}),
                                                       "warnings": out.warnings})


# ---------------------------------------------------------------------------
# POST job/submit

def submit(call, fields: dict, result: bool, rules: Rules = V40) -> dict:
    """`result`: the answer carries v0.0.40/41's `result` object too."""
    body = call.body if isinstance(call.body, dict) else {}
    out = Parsed()
    job, jobs = body.get("job"), body.get("jobs")
    first = job if isinstance(job, dict) else (
        jobs[0] if isinstance(jobs, list) and jobs and isinstance(jobs[0], dict) else {})
    script = body.get("script") if body.get("script") else first.get("script")
    if isinstance(script, (list, dict)):
        script = None  # no script text: as missing
    if not script:
        out.errors.append(entry(ESLURM_REST_INVALID_QUERY,
                                'Populated "script" field is required for job submission',
                                "_job_post"))
        _fail(422, out)
    if job is None and jobs is None:
        out.errors.append(entry(ESLURM_REST_INVALID_QUERY,
                                'Specifing either "job" or "jobs" fields are required to '
                                "submit job", "_job_post"))
        _fail(422, out)
    components = [(job, "#/job/")] if job is not None else (
        [(j, f"#/jobs/{i}/") for i, j in enumerate(jobs)] if isinstance(jobs, list)
        else [(jobs, "#/jobs/")])
    specs = [parse_job(props, path, fields, out, False, rules) for props, path in components]
    if out.errors or not specs or None in specs:
        _fail(500, out)
    keep: list = []
    descs = [_desc(s, False, keep) for s in specs]
    if None in descs:
        out.errors.append(entry(SLURM_ERROR, "Unable to parse job", "_job_post"))
        _fail(500, out)
    script = specs[0].script if specs[0].script is not None else as_str(script)
    descs[0].script = _c(script, keep)
    het = job is None
    call_name = "slurm_submit_batch_het_job()" if het else "slurm_submit_batch_job()"
    err, resp = send_batch(descs, het)
    if err:
        err = _unless_refused(err, call_name)
        out.errors.append(entry(err, ("HetJob" if het else "Batch job") + " submission failed",
                                call_name))
        _fail(500, out)
    try:
        user_msg = slurm.text(resp.job_submit_user_msg) or ""
        if resp.error_code:
            why = slurm.strerror(resp.error_code)
            out.warnings.append(warning(f"{'HetJob' if het else 'Job'} submission resulted in "
                                        f"non-zero return code: {why}", call_name))
            out.warnings.append(warning(why, "slurm_submit_batch_job()"))
        answer = {"job_id": resp.job_id, "step_id": "batch", "job_submit_user_msg": user_msg}
        if result:
            answer = {"result": {"job_id": resp.job_id, "step_id": "batch",
                                 "error_code": resp.error_code,
                                 "error": slurm.strerror(resp.error_code),
                                 "job_submit_user_msg": user_msg}, **answer}
        return {**answer, "warnings": out.warnings}
    finally:
        lib.slurm_free_submit_response_response_msg(resp)


# ---------------------------------------------------------------------------
# POST job/allocate (v0.0.41 and later)

def allocate(call, fields: dict, rules: Rules = V41) -> dict:
    """A pending allocation without a script, not waited for (22.05's
    non-blocking slurm_allocate_resources; the reference blocks until the
    allocation is granted)."""
    body = call.body if isinstance(call.body, dict) else {}
    out = Parsed()
    if body.get("hetjob") is not None:
        out.errors.append(entry(ESLURM_REST_INVALID_QUERY, "HetJob allocation is not "
                                "supported against Slurm 22.05", "_job_post_allocate"))
        _fail(422, out)
    if body.get("job") is None:
        out.errors.append(entry(ESLURM_REST_INVALID_QUERY, 'Specifing either "job" or '
                                '"hetjob" fields are required to allocate job',
                                "_job_post_allocate"))
        _fail(422, out)
    spec = parse_job(body["job"], "#/job/", fields, out, False, rules)
    if spec is None:
        _fail(500, out)
    keep: list = []
    desc = _desc(spec, False, keep)
    if desc is None:
        out.errors.append(entry(SLURM_ERROR, "Unable to parse job", "_job_post_allocate"))
        _fail(500, out)
    slurm.init()
    resp_p = ffi.new("resource_allocation_response_msg_t **")
    if lib.slurm_allocate_resources(desc, resp_p):
        err = _unless_refused(lib.slurm_get_errno() or SLURM_ERROR, "slurm_allocate_resources")
        out.errors.append(entry(err, "Job allocation request failed",
                                "slurm_allocate_resources_blocking()"))
        _fail(500, out)
    resp = resp_p[0]
    try:
        if resp.error_code:
            out.warnings.append(warning(slurm.strerror(resp.error_code),
                                        "slurm_allocate_resources_blocking()"))
        return {"job_id": resp.job_id,
                "job_submit_user_msg": slurm.text(resp.job_submit_user_msg) or "",
                "warnings": out.warnings}
    finally:
        lib.slurm_free_resource_allocation_response_msg(resp)


# ---------------------------------------------------------------------------
# POST job/{job_id}

def update(call, fields: dict, legacy: bool, rules: Rules = V40) -> dict:
    """`legacy`: v0.0.40/41's answer (with the first job's ids). From
    v0.0.41 on, a plain (not array) job's update answers null results."""
    job_id = call.params["job_id"]
    out = Parsed()
    none = None if rules.null_results else []
    empty = {"results": none, "job_id": "", "step_id": "", "job_submit_user_msg": ""} \
        if legacy else {"results": none}
    spec = parse_job(call.body if call.body is not None else {}, "#/", fields, out, True,
                     rules)
    keep: list = []
    desc = _desc(spec, True, keep) if spec is not None else None
    if desc is None:
        out.errors.append(entry(ESLURM_REST_INVALID_QUERY, "Rejecting request. Failure "
                                "parsing job update request.", "_job_post_update"))
        _fail(500, out, empty)
    desc.job_id_str = _c(job_id, keep)
    slurm.init()
    resp_p = ffi.new("job_array_resp_msg_t **")
    rc = lib.slurm_update_job2(desc, resp_p)
    resp = resp_p[0]
    try:
        if rc:
            err = _unless_refused(lib.slurm_get_errno() or SLURM_ERROR, "slurm_update_job2")
            out.errors.append(entry(err, "Job update requested failed", "slurm_update_job2()"))
            _fail(404 if err == ESLURM_INVALID_JOB_ID else 500, out, empty)
        results = []
        if resp != ffi.NULL:
            for i in range(resp.job_array_count):
                ident = slurm.text(resp.job_array_id[i]) or ""
                code = resp.error_code[i]
                base = ident.split("_")[0]
                results.append({"job_id": int(base) if base.isdigit() else 0,
                                "step_id": ident, "error": slurm.strerror(code),
                                "error_code": code, "why": ""})
    finally:
        if resp != ffi.NULL:
            lib.slurm_free_job_array_resp(resp)
    answer = dict(empty, results=results or none)
    if legacy and results:
        answer.update(job_id=str(results[0]["job_id"]), step_id=results[0]["step_id"])
    return {**answer, "warnings": out.warnings}


# ---------------------------------------------------------------------------
# DELETE job/{job_id} and DELETE jobs/

def signal_of(value, out: Parsed, source: str, rules: Rules = V40) -> int | None:
    """A signal given by number or name (SIGKILL when absent); an unknown one
    is an error entry and None (v0.0.40: nothing is sent), or SIGKILL."""
    if value is None or value == "":
        return 9
    text = as_str(value) if not isinstance(value, (list, dict)) else ""
    try:
        sig = int(text)
    except ValueError:
        sig = sig_name2num(text)
    if 0 < sig < SIGRTMAX:
        return sig
    out.errors.append({"description": "Unknown signal (null)",
                       "error_number": rules.signal_errno,
                       "error": slurm.strerror(rules.signal_errno), "source": source})
    return None if rules.signal_errno else 9


def kill_flags(value) -> int:
    names = value if isinstance(value, list) else (
        [x for x in str(value).split(",") if x] if value else [])
    bits = 0
    for name in names:
        bits |= KILL_FLAG_BITS.get(str(name).upper(), 0)
    return bits or KILL_FULL_JOB


def kill_one(job_id: str, sig: int, flags: int) -> dict | None:
    """Signal one job: None, or the kill_jobs_resp_job entry of its failure."""
    slurm.init()
    if not lib.slurm_kill_job2(job_id.encode(), sig, flags, ffi.NULL):
        return None
    err = _unless_refused(lib.slurm_get_errno() or SLURM_ERROR, "slurm_kill_job2")
    base = job_id.split("_")[0].split("+")[0]
    known = err != ESLURM_INVALID_JOB_ID and base.isdigit()
    return {"error": {"string": slurm.strerror(err), "code": err,
                      "message": slurm.strerror(err)},
            "step_id": job_id,
            "job_id": {"set": known, "infinite": False, "number": int(base) if known else 0},
            "federation": {"sibling": ""}}


def cancel(call, status: bool, rules: Rules = V40) -> dict:
    """`status`: v0.0.42 lists each failure; v0.0.40/41 answer nothing more."""
    out = Parsed()
    sig = signal_of(call.query.get("signal"), out, "#/signal/", rules)
    failure = None if sig is None else kill_one(call.params["job_id"], sig,
                                                kill_flags(call.query.get("flags")))
    failures = [failure] if failure and failure["error"]["code"] != ESLURM_ALREADY_DONE \
        or failure and status else []
    answer = {"status": failures} if status else {}
    return {**answer, "errors": out.errors, "warnings": out.warnings}


_FILTERS = ("account", "job_name", "partition", "qos", "reservation", "job_state",
            "user_id", "user_name", "wckey", "nodes")


def cancel_jobs(call, fields: dict, rules: Rules = V40) -> dict:
    """DELETE jobs/: the jobs listed and/or those matching the filters (22.05
    has no kill_jobs RPC: each job is signalled in turn)."""
    body = call.body if isinstance(call.body, dict) else {}
    out = Parsed()
    for key, value in body.items():
        field = fields.get(key)
        if field is None:
            out.warnings.append(warning(f'Ignoring unknown field "{key}" of type '
                                        f"{data_type(value)} in DATA_PARSER_KILL_JOBS_MSG",
                                        f"#/{key}/"))
            continue
        w = type_warning(field.type, value, f"#/{key}/", rules)
        if w:
            out.warnings.append(w)
        if key == "jobs" and isinstance(value, list):
            for x in value:
                w = type_warning(field.type.items, x, "#/jobs/", rules)
                if w:
                    out.warnings.append(w)
    sig = signal_of(body.get("signal"), out, "#/signal/", rules)
    flags = kill_flags(body.get("flags"))
    listed = [as_str(x) for x in body.get("jobs") or []
              if not isinstance(x, (list, dict))]
    filters = {k: body[k] for k in _FILTERS if body.get(k) not in (None, "", [])}
    targets = [] if sig is None else listed if not filters else _matching(
        filters, listed, call.identity.user)
    failures = [f for f in (kill_one(j, sig, flags) for j in targets) if f]
    return {"status": failures, "errors": out.errors, "warnings": out.warnings}


def _matching(filters: dict, listed: list[str], user: str) -> list[str]:
    """Ids of the jobs (among `listed`, when given) that every filter
    matches; without a list, only the caller's own jobs, as scancel."""
    from ..v0_0_38.jobs import BASE_STATES, job_state_name  # the state names, only here
    users = {as_str(filters[k]) for k in ("user_name",) if k in filters}
    uid_filter = as_str(filters["user_id"]) if "user_id" in filters else None
    states = filters.get("job_state")
    states = {s.upper() for s in ([states] if isinstance(states, str) else states or [])}
    nodes = filters.get("nodes")
    nodes = set(nodes if isinstance(nodes, list) else str(nodes or "").split(",")) - {""}
    ids = []
    with slurm.owned("slurm_load_jobs", lib.slurm_free_job_info_msg, "job_info_msg_t",
                     lambda o: lib.slurm_load_jobs(0, o, 0)) as msg:
        for i in range(msg.record_count):
            j = msg.job_array[i]
            jid = str(j.job_id)
            if listed and jid not in listed:
                continue
            if not states and j.job_state & lib.JOB_STATE_BASE > 2:
                continue  # finished: as slurmctld's filter, only pending, running, suspended
            owner = slurm.user_name(j.user_id)
            if not listed and owner != user:
                continue
            checks = [("account", j.account), ("job_name", j.name),
                      ("partition", j.partition), ("qos", j.qos),
                      ("reservation", j.resv_name), ("wckey", j.wckey)]
            if any(k in filters and as_str(filters[k]) != (slurm.text(v) or "")
                   for k, v in checks):
                continue
            if users and owner not in users:
                continue
            if uid_filter is not None and uid_filter not in (str(j.user_id), owner):
                continue
            if states and not states & {job_state_name(j.job_state),
                                        BASE_STATES[j.job_state & lib.JOB_STATE_BASE]}:
                continue
            if nodes and not nodes & set(_hosts(slurm.text(j.nodes))):
                continue
            ids.append(jid)
    return ids


def _hosts(expr: str | None) -> list[str]:
    if not expr:
        return []
    hl = lib.slurm_hostlist_create(expr.encode())
    names = []
    try:
        while True:
            h = lib.slurm_hostlist_shift(hl)
            if h == ffi.NULL:
                return names
            names.append(ffi.string(h).decode())
            lib.free(h)
    finally:
        lib.slurm_hostlist_destroy(hl)

