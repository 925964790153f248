"""GET /slurmdb/v0.0.40/jobs/ (sacct-like filters) and /job/{job_id}: jobs as
slurmdbd accounted them, streamed; v0.0.38's job and step records with
v0.0.40's types (number objects, state and exit-code lists, plain
integers) and its keys. v0.0.41 serves the same; v0.0.42 adds a few keys
(dbv0_0_42/jobs.py)."""
from __future__ import annotations

import struct
from typing import Callable

from .. import slurm, words
from ..dbv0_0_38 import jobs as v38
from ..envelope import response_40
from ..kinds import U16, U32, U64
from ..routes import Param
from ..schema import ArrayOf, Bool, CText, Field, Inline, Obj, Str
from ..slurm import ffi, group_or_null, lib, records, user_or_null
from ..slurmdb.job_cond import (JOBCOND_FLAG_DUP, JOBCOND_FLAG_NO_DEFAULT_USAGE,
                                JOBCOND_FLAG_NO_STEP, JOBCOND_FLAG_NO_TRUNC, JOBCOND_FLAG_NO_WAIT,
                                JOBCOND_FLAG_WHOLE_HETJOB, SLURMDB_JOB_FLAG_NOTSET)
from ..slurmdb.job_values import (cpu_freq_name, job_states, signal_short_name, step_hosts)
from ..errors import ESLURM_REST_INVALID_QUERY
from ..slurmdb.session import DbError, answer
from .common import (ASSOC_SHORT, DIALECT, INT32, INT64, TRES, TRES_LIST, operation, tres_field,
                     tres_rows, typed)

# ---- values ----

EXIT_STATUS = ArrayOf("process_exit_code_status", Str, "Status given by return code")
EXIT_CODE = Obj("process_exit_code_verbose", [
    Field("status", EXIT_STATUS, description="Status given by return code"),
    Field("return_code", U32, description="Process return code (numeric)"),
    Field("signal/id", U16, description="Signal sent to process (numeric)"),
    Field("signal/name", Str, description="Signal sent to process (name)"),
], dialect=DIALECT)
_U32_OBJ, _U16_OBJ = DIALECT[U32].converter(), DIALECT[U16].converter()


def exit_code(ec: int) -> dict:
    """A wait(2) status as v0.0.40 describes it (its status a list)."""
    ec &= 0xFFFFFFFF
    rc, sig = slurm.NO_VAL, 0xFFFE
    if ec == slurm.NO_VAL:
        status = "PENDING"
    elif ec & 0x7F == 0:  # WIFEXITED
        rc = (ec >> 8) & 0xFF
        status = "ERROR" if rc else "SUCCESS"
    elif ec & 0x7F != 0x7F:  # WIFSIGNALED
        status, sig = "SIGNALED", ec & 0x7F
    elif ec & 0x80:  # WCOREDUMP
        status = "CORE_DUMPED"
    else:
        status, rc = "INVALID", ec
    return {"status": [status], "return_code": _U32_OBJ(rc),
            "signal": {"id": _U16_OBJ(sig), "name": "" if sig == 0xFFFE else
                       signal_short_name(sig)}}


def _exit(attr: str) -> Callable:
    return lambda o: exit_code(getattr(o, attr))


# SLURMDB_JOB_* flags: NONE and CLEAR_SCHEDULING are whole values, the rest bits.
_JOB_FLAG_BITS = ((1 << 0, "NOT_SET"), (1 << 1, "STARTED_ON_SUBMIT"),
                  (1 << 2, "STARTED_ON_SCHEDULE"), (1 << 3, "STARTED_ON_BACKFILL"),
                  (1 << 4, "START_RECEIVED"))


def job_flags(job) -> list[str]:
    v = job.flags
    if v == 0:
        return ["NONE"]
    out = ["CLEAR_SCHEDULING"] if v == 0x0F else []
    return out + [name for bit, name in _JOB_FLAG_BITS if v & bit]


def _text(v) -> str:
    return "" if v is None else v


def association(job) -> dict:
    """The job's association, or {} when slurmdbd does not know it (as the
    reference, which warns)."""
    found = v38.association(job)
    if found is None or "id" in found:
        return {}
    return {**{k: _text(v) for k, v in found.items()}, "id": job.associd}


def _wckey(job) -> dict:
    return v38._wckey(job) or {"wckey": "", "flags": []}


_MEM_PER_CPU = 1 << 63


def _mem(per_cpu: bool) -> Callable:
    read = DIALECT[U64].converter()

    def mem(job):
        m = job.req_mem
        if bool(m & _MEM_PER_CPU) != per_cpu:
            return read(slurm.NO_VAL64)
        return read(m & ~_MEM_PER_CPU)
    return mem


def planned(job) -> dict:
    """Seconds from eligible to start, as sacct's Planned counts them."""
    eligible, start, end = job.eligible, job.start, job.end
    if not eligible or eligible == slurm.INFINITE:
        diff = 0
    elif start == slurm.NO_VAL and end:
        diff = end - eligible
    elif start:
        diff = start - eligible
    else:
        import time
        diff = int(time.time()) - eligible
    return DIALECT[U64].converter()(diff & 0xFFFFFFFFFFFFFFFF)


WCKEY_TAG = Obj("wckey_tag_struct", [
    Field("wckey", Str, description="WCKey name"),
    Field("flags", ArrayOf("wckey_tag_flags", Str), description="Active flags"),
], required=["wckey", "flags"])
STATES = ArrayOf("job_state", Str, "Current state")
NAMES = ArrayOf("hostlist", Str)

# ---- steps ----

NCT = Inline([*TRES.fields, Field("task", INT64, description="Task index"),
              Field("node", Str, description="Node name")])


def _nct(which: str) -> Callable:
    read = v38._nct(*which.split("_"))
    return lambda s, hosts: [{**r, "name": _text(r["name"]), "node": _text(r["node"])}
                             for r in read(s, hosts)]


def _act_cpufreq(step) -> int:
    # The reference dumps this double as a uint64_t: its bits.
    return struct.unpack("<q", struct.pack("<d", step.stats.act_cpufreq))[0]


def _usage(which: str) -> Callable:
    attr = "tres_usage_" + which
    return lambda s: tres_rows(getattr(s.stats, attr))


def step_id_text(step) -> str:
    """A step's id as Slurm writes it: job[+het].step (step a number or its name)."""
    sid = step.step_id
    out = str(sid.job_id)
    if sid.step_het_comp != slurm.NO_VAL:
        out += f"+{sid.step_het_comp}"
    name = v38.step_id(sid.step_id)
    return f"{out}.{name}"


STEP = v38.STEP.derive(
    "step", dialect=DIALECT, description="",
    drop=["nodes/list", "tres/requested/max", "tres/requested/min", "tres/consumed/max",
          "tres/consumed/min", "step/job_id", "step/het/component"],
    replace={
        **typed(v38.STEP, time__elapsed=INT32, nodes__count=INT32, tasks__count=INT32,
                  time__suspended=INT32, time__system__seconds=INT64,
                  time__system__microseconds=INT32, time__total__seconds=INT64,
                  time__total__microseconds=INT32, time__user__seconds=INT64,
                  time__user__microseconds=INT32),
        "time/end": Field("time/end", U64, "end", "End time (UNIX timestamp)"),
        "time/start": Field("time/start", U64, "start", "Time execution began (UNIX timestamp)"),
        "exit_code": Field("exit_code", EXIT_CODE, _exit("exitcode"), "Exit code"),
        "CPU/governor": Field("CPU/governor", Str, lambda s: cpu_freq_name(s.req_cpufreq_gov),
                              "Requested CPU frequency governor in kHz"),
        "kill_request_user": Field("kill_request_user", CText,
                                   lambda s: _text(user_or_null(s.requid)),
                                   "User ID that requested termination of the step"),
        "state": Field("state", STATES, lambda s: job_states(s.state), "Current state"),
        "statistics/CPU/actual_frequency": Field(
            "statistics/CPU/actual_frequency", INT64, _act_cpufreq,
            "Average weighted CPU frequency of all tasks in kHz (the double's bits, as the "
            "reference)"),
        "statistics/energy/consumed": Field("statistics/energy/consumed", U64,
                                            "stats.consumed_energy",
                                            "Total energy consumed by all tasks in a job in "
                                            "joules"),
        "step/id": Field("step/id", Str, step_id_text, "Step ID"),
        **{key: Field(key, TRES_LIST, _usage(attr), what + " among all tasks")
           for key, attr, what in (
               ("tres/requested/average", "in_ave", "Average TRES usage requested"),
               ("tres/requested/total", "in_tot", "Total TRES usage requested"),
               ("tres/consumed/average", "out_ave", "Average TRES usage consumed"),
               ("tres/consumed/total", "out_tot", "Total TRES usage consumed"))},
        "tres/allocated": Field("tres/allocated", TRES_LIST, tres_field("tres_alloc_str"),
                                "Trackable resources allocated to the step"),
    },
    add=[
        ("nodes/range", Field("nodes/list", NAMES, lambda s: None,
                              "List of nodes used by the step")),
        ("task/distribution", Field("tres/requested/max", ArrayOf("step_tres_req_max", NCT),
                                    lambda s: None,
                                    "Maximum TRES usage requested among all tasks")),
        ("tres/requested/max", Field("tres/requested/min", ArrayOf("step_tres_req_min", NCT),
                                     lambda s: None,
                                     "Minimum TRES usage requested among all tasks")),
        ("tres/requested/total", Field("tres/consumed/max",
                                       ArrayOf("step_tres_usage_max", NCT), lambda s: None,
                                       "Maximum TRES usage consumed among all tasks")),
        ("tres/consumed/max", Field("tres/consumed/min", ArrayOf("step_tres_usage_min", NCT),
                                    lambda s: None,
                                    "Minimum TRES usage consumed among all tasks")),
    ])
_read_step = STEP.read
_NCT = (("requested", "max", _nct("in_max")), ("requested", "min", _nct("in_min")),
        ("consumed", "max", _nct("out_max")), ("consumed", "min", _nct("out_min")))


def read_step(step) -> dict:
    d = _read_step(step)
    hosts = step_hosts(step)
    d["nodes"]["list"] = hosts if step.nodes != ffi.NULL else None
    for group, which, read in _NCT:
        d["tres"][group][which] = read(step, hosts)
    return d


def _steps(job) -> list[dict]:
    return [read_step(s) for s in records(job.steps, "slurmdb_step_rec_t *")]


# ---- the job ----

_EMPTY = lambda j: ""  # noqa: E731  (what 22.05 does not record)

JOB = v38.JOB.derive(
    "job", dialect=DIALECT, description="",
    drop=["array/task", "required/memory"],
    replace={
        **typed(v38.JOB, allocation_nodes=INT32, array__job_id=INT32,
                  array__limits__max__running__tasks=INT32, time__elapsed=INT32,
                  time__eligible=INT64, time__end=INT64, het__job_id=INT32, job_id=INT32,
                  required__CPUs=INT32, reservation__id=INT32, time__start=INT64,
                  time__submission=INT64, time__suspended=INT32,
                  time__system__seconds=INT64, time__system__microseconds=INT64,
                  time__total__seconds=INT64, time__total__microseconds=INT64,
                  time__user__seconds=INT64, time__user__microseconds=INT64),
        "association": Field("association", ASSOC_SHORT, association,
                             "Unique identifier for the association"),
        "derived_exit_code": Field("derived_exit_code", EXIT_CODE, _exit("derived_ec"),
                                   "Highest exit code of all job steps"),
        "exit_code": Field("exit_code", EXIT_CODE, _exit("exitcode"), "Exit code"),
        "flags": Field("flags", ArrayOf("slurmdb_job_flags", Str), job_flags,
                       "Flags associated with this job"),
        "group": Field("group", CText, lambda j: _text(group_or_null(j.gid)),
                       "Group ID of the user that owns the job"),
        "qos": Field("qos", Str, lambda j: _text(v38._qos(j)),
                     "Quality of Service assigned to the job"),
        "kill_request_user": Field("kill_request_user", Str,
                                   lambda j: _text(user_or_null(j.requid)),
                                   "User ID that requested termination of the job"),
        "reservation/name": Field("reservation/name", CText, "resv_name",
                                  "Name of reservation to use"),
        "state/current": Field("state/current", STATES, lambda j: job_states(j.state),
                               "Current state"),
        "steps": Field("steps", ArrayOf("step_list", STEP), _steps,
                       "Individual steps in the job"),
        "tres/allocated": Field("tres/allocated", TRES_LIST, tres_field("tres_alloc_str"),
                                "Trackable resources allocated to the job"),
        "tres/requested": Field("tres/requested", TRES_LIST, tres_field("tres_req_str"),
                                "Trackable resources requested by job"),
        "user": Field("user", Str, lambda j: _text(slurm.text(j.user) or user_or_null(j.uid)),
                      "User that owns the job"),
        "wckey": Field("wckey", WCKEY_TAG, _wckey, "Workload characterization key"),
    },
    add=[
        ("array/task_id", Field("array/task", CText, "array_task_str",
                                "String expression of task IDs in this record")),
        ("association", Field("block", CText, "blockid",
                              "The name of the block to be used (used with Blue Gene "
                              "systems)")),
        ("exit_code", Field("extra", Str, _EMPTY, "Arbitrary string used for node filtering "
                            "if extra constraints are enabled (22.05: none)")),
        ("extra", Field("failed_node", Str, _EMPTY,
                        "Name of node that caused job failure (22.05: none)")),
        ("name", Field("licenses", Str, _EMPTY, "License(s) required by the job (22.05: "
                       "none in accounting)")),
        ("partition", Field("hold", Bool, lambda j: j.priority == 0,
                            "Hold (true) or release (false) job")),
        ("required/CPUs", Field("required/memory_per_cpu", U64, _mem(True),
                                "Minimum memory in megabytes per allocated CPU")),
        ("required/memory_per_cpu", Field("required/memory_per_node", U64, _mem(False),
                                          "Minimum memory in megabytes per allocated node")),
        ("reservation/name", Field("script", CText, "script",
                                   "Job batch script; only the first component in a HetJob "
                                   "is populated or honored")),
        ("steps", Field("submit_line", CText, "submit_line",
                        "Command used to submit the job")),
        ("tres/requested", Field("used_gres", CText, "used_gres",
                                 "Generic resources used by job")),
    ])


# ---- query filters (24.11's job condition: sacct's options) ----

# Boolean keys: the job condition flags they set (given any, the default
# DUP and NO_TRUNC are not set, as the reference) ...
FLAG_KEYS = {"show_duplicates": JOBCOND_FLAG_DUP, "skip_steps": JOBCOND_FLAG_NO_STEP,
             "disable_truncate_usage_time": JOBCOND_FLAG_NO_TRUNC,
             "whole_hetjob": JOBCOND_FLAG_WHOLE_HETJOB, "disable_whole_hetjob": 1 << 5,
             "disable_wait_for_result": JOBCOND_FLAG_NO_WAIT,
             "usage_time_as_submit_time": JOBCOND_FLAG_NO_DEFAULT_USAGE,
             "show_batch_script": 1 << 8, "show_job_environment": 1 << 9}
# ... and the SLURMDB_JOB_FLAG_* (how the job was scheduled) they select.
DB_FLAG_KEYS = {"scheduler_unset": SLURMDB_JOB_FLAG_NOTSET, "scheduled_on_submit": 1 << 1,
                "scheduled_by_main": 1 << 2, "scheduled_by_backfill": 1 << 3,
                "job_started": 1 << 4}
LIMITS = {"timelimit_max": "timelimit_max", "timelimit_min": "timelimit_min"}


_OWN = {*FLAG_KEYS, *DB_FLAG_KEYS, *LIMITS, "users", "reservation_id"}
_V38 = {*v38.CSV_LISTS, *v38.FLAGS, *v38.INTS, "start_time", "end_time", "submit_time", "node",
        "step"}


def job_cond(cond, query: dict, flags: int):
    """The query as 24.11 reads it: a key it does not know is ignored (the
    reference warns), one it cannot read rejects the request (422)."""
    try:
        return _job_cond(cond, query)
    except DbError:
        raise DbError(ESLURM_REST_INVALID_QUERY, "op_handler_jobs",
                      "Rejecting request. Failure parsing query parameters", 422,
                      payload={}) from None


def _job_cond(cond, query: dict):
    """v0.0.38's condition with 24.11's further keys, defaults (flags DUP
    and NO_TRUNC, db flag NOTSET, unless the query sets some) and sacct's
    default start and end."""
    own = {k.lower(): v for k, v in query.items() if k.lower() in _OWN}
    jc = v38.job_cond(cond, {k: v for k, v in query.items() if k.lower() in _V38}, 0)
    if jc.flags & JOBCOND_FLAG_NO_DEFAULT_USAGE:  # submit_time, as v0.0.38 reads it
        jc.flags = JOBCOND_FLAG_NO_DEFAULT_USAGE
    db_flags = 0
    for k, value in own.items():
        if k in FLAG_KEYS:
            jc.flags = (jc.flags | FLAG_KEYS[k]) if words.truth(value) else \
                (jc.flags & ~FLAG_KEYS[k])
        elif k in DB_FLAG_KEYS:
            if words.truth(value):
                db_flags |= DB_FLAG_KEYS[k]
        elif k in LIMITS:
            n = words.rounded(value)
            if n is None:
                raise v38._bad("must be an integer", k)
            setattr(jc, LIMITS[k], n & 0xFFFFFFFF)
        else:
            member = "userid_list" if k == "users" else "resvid_list"
            setattr(jc, member, cond.chars())
            add = (lambda lst, v: lib.slurm_addto_id_char_list(lst, v, False)) \
                if k == "users" else lib.slurm_addto_char_list
            if add(getattr(jc, member), value.encode()) < 1:
                raise v38._bad("Unable to parse CSV list", k)
    jc.flags = jc.flags or (JOBCOND_FLAG_DUP | JOBCOND_FLAG_NO_TRUNC)
    jc.db_flags = db_flags or SLURMDB_JOB_FLAG_NOTSET
    lib.slurmdb_job_cond_def_start_end(jc)
    return jc


_STR_PARAMS = {
    "account": "CSV account list", "association": "CSV association list",
    "cluster": "CSV cluster list", "constraints": "CSV constraint list",
}
PARAMS = [
    *(Param(k, "query", Str, d) for k, d in _STR_PARAMS.items()),
    Param("cpus_max", "query", Str, "Maximum number of cpus"),
    Param("cpus_min", "query", Str, "Minimum number of cpus"),
    *(Param(k, "query", Str, "Filter by how the job was scheduled (a Boolean)")
      for k in DB_FLAG_KEYS),
    Param("exit_code", "query", Str, "Job exit code (numeric)"),
    *(Param(k, "query", Str, "Query flag (a Boolean)") for k in FLAG_KEYS),
    Param("format", "query", Str, "Ignored; process JSON manually to control output format"),
    Param("groups", "query", Str, "CSV group list"),
    Param("job_name", "query", Str, "CSV job name list"),
    Param("nodes_max", "query", Str, "Maximum number of nodes"),
    Param("nodes_min", "query", Str, "Minimum number of nodes"),
    Param("partition", "query", Str, "CSV partition name list"),
    Param("qos", "query", Str, "CSV QOS name list"),
    Param("reason", "query", Str, "CSV reason list"),
    Param("reservation", "query", Str, "CSV reservation name list"),
    Param("reservation_id", "query", Str, "CSV reservation ID list"),
    Param("state", "query", Str, "CSV state list"),
    Param("step", "query", Str, "CSV step id list"),
    Param("timelimit_max", "query", Str, "Maximum timelimit (seconds)"),
    Param("timelimit_min", "query", Str, "Minimum timelimit (seconds)"),
    Param("end_time", "query", Str, "Usage end (UNIX timestamp)"),
    Param("start_time", "query", Str, "Usage start (UNIX timestamp)"),
    Param("submit_time", "query", Str, "Submit time (UNIX timestamp)"),
    Param("node", "query", Str, "Ranged node string where jobs ran"),
    Param("users", "query", Str, "CSV user name list"),
    Param("wckey", "query", Str, "CSV WCKey list"),
]
# v0.0.41 and v0.0.42 no longer document these (the parser still takes them).
UNDOCUMENTED_41 = ("cpus_max", "cpus_min", "nodes_max", "nodes_min", "timelimit_max",
                   "timelimit_min", "submit_time")


def job_operations(job: Obj, params: list[Param] = PARAMS) -> list:
    """GET jobs/ and job/{job_id}, records declared by `job`."""
    dump = v38.dumper(job, read_cond=job_cond)
    resp = response_40("openapi_slurmdbd_jobs_resp", [
        Field("jobs", ArrayOf("job_list", job), description="jobs")])
    return [
        operation("GET", "jobs/", "get_jobs", "Get job list",
                  lambda call: answer(dump, call.query), resp, params),
        operation("GET", "job/{job_id}", "get_job", "Get job info",
                  lambda call: answer(dump, None, call.params["job_id"]), resp,
                  [Param("job_id", "path", Str, "Job id", True)]),
    ]


OPERATIONS = job_operations(JOB)
