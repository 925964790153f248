"""GET /slurmdb/v0.0.38/jobs (sacct-like filters) and /job/{job_id}: jobs
as slurmdbd accounted them, streamed."""
from __future__ import annotations

import struct
from typing import Callable

from .. import slurm, words
from ..routes import Operation, Param
from ..errors import ESLURM_REST_INVALID_QUERY
from ..kinds import I64, U32, base
from ..schema import Array, ArrayOf, Bool, Field, Inline, Int, Nullable, Obj, OneOf, Str
from ..slurm import conditions, ffi, group_or_null, lib, records, user_or_null
from ..slurmdb.job_cond import (JOBCOND_FLAG_DUP, JOBCOND_FLAG_NO_DEFAULT_USAGE,
                                JOBCOND_FLAG_NO_STEP, JOBCOND_FLAG_NO_TRUNC, JOBCOND_FLAG_NO_WAIT,
                                SLURMDB_JOB_FLAG_NOTSET, add_states, add_steps)
from ..slurmdb.job_values import (layout_name, reason_name, signal_name, state_name, step_hosts,
                                  step_id)
from ..slurmdb.readers import flags
from ..slurmdb.session import ENV, Conditions, DbError, answer, partial
from ..slurmdb.tres import parse_tres
from .common import TRES, TRES_LIST, Names, Text, operation, response, tres_field, tres_list

_u32, _i64 = base(U32), base(I64)

# ---- value readers ----

def exit_code(ec: int) -> dict:
    """A wait(2) status as the reference describes it."""
    ec &= 0xFFFFFFFF
    out = {"status": None, "return_code": None}
    if ec == slurm.NO_VAL:
        out["status"] = "PENDING"
    elif ec & 0x7F == 0:  # WIFEXITED
        out["status"] = "SUCCESS"
        out["return_code"] = 0
    elif ec & 0x7F != 0x7F:  # WIFSIGNALED
        out["status"] = "SIGNALED"
        sig = ec & 0x7F
        out["signal"] = {"signal_id": sig, "name": signal_name(sig)}
    elif ec & 0x80:  # WCOREDUMP
        out["status"] = "CORE_DUMPED"
    else:
        out["status"] = "ERROR"
        out["return_code"] = (ec >> 8) & 0xFF
    return out


EXIT_CODE = Obj("job_exit_code", [
    Field("status", Str, description="Job exit status: PENDING, SUCCESS, SIGNALED, "
                                     "CORE_DUMPED or ERROR"),
    Field("return_code", Nullable(Int), description="Return code from parent process (null "
                                                    "unless SUCCESS or ERROR)"),
    Field("signal", Inline([
        Field("signal_id", Int, description="Signal number process received"),
        Field("name", Str, description="Name of signal received"),
    ]), description="Signal details (if signaled)"),
])


def _exit(attr: str):
    return lambda o: exit_code(getattr(o, attr))


# SLURMDB_JOB_* flags, in the reference's order (CLEAR_SCHED is a mask of 0-3).
JOB_FLAGS = ((0x0F, "CLEAR_SCHEDULING"), (1 << 0, "NOT_SET"), (1 << 1, "STARTED_ON_SUBMIT"),
             (1 << 2, "STARTED_ON_SCHEDULE"), (1 << 3, "STARTED_ON_BACKFILL"))
# CPU_FREQ_* governors; they share bit 31, as the reference tests them.
GOVERNORS = ((0x88000000, "Conservative"), (0x82000000, "Performance"),
             (0x81000000, "PowerSave"), (0x84000000, "OnDemand"), (0x80800000, "UserSpace"))

JOB_ASSOCIATION = Inline([
    Field("id", Int, description="Association id (present only when it is not known)"),
    Field("account", Text, description="Account name"),
    Field("cluster", Text, description="Cluster name"),
    Field("partition", Text, description="Partition name (optional)"),
    Field("user", Text, description="User name"),
], "Association of the job (null without one)")


def association(job):
    associd = job.associd
    if not associd or associd == slurm.NO_VAL:
        return None
    # Association ids are unique only within a cluster.
    found = ENV.assocs.get((job.cluster != ffi.NULL and ffi.string(job.cluster), associd))
    if found is None:
        return {"id": associd, "account": None, "cluster": None, "partition": None,
                "user": None}
    return dict(found)


def _wckey(job):
    if job.wckey == ffi.NULL:
        return None
    key = ffi.string(job.wckey).decode("utf-8", "replace")
    if key.startswith("*"):
        return {"wckey": key[1:], "flags": ["ASSIGNED_DEFAULT"]}
    return {"wckey": key, "flags": []}


def _qos(job):
    return ENV.qos.get(job.qosid) if job.qosid else None


def _resv_name(job):
    # The reference reads the name's char * as a number: 0 when there is none.
    return 0 if job.resv_name == ffi.NULL else None


# ---- steps ----

TRES_NCT = ArrayOf("tres_nct_list", Inline([
    *TRES.fields,
    Field("task", I64, description="Task (index) holding the value"),
    Field("node", Text, description="Node holding the value"),
]), "TRES values with the node and task they were seen on")


def tres_nct(counts, nodes, tasks, hosts: list[str]) -> list[dict]:
    """A step's max/min TRES usage with the node and task of each, in the
    order of the TRES table; TRES with nothing to show are left out."""
    if counts == ffi.NULL and nodes == ffi.NULL and tasks == ffi.NULL:
        return []
    rows = {tid: [0, None, 0] for tid, _ty, _n in ENV.tres_order}
    for ptr, i in ((counts, 0), (nodes, 1), (tasks, 2)):
        if ptr == ffi.NULL:
            continue
        for tid, v in parse_tres(ffi.string(ptr)):
            row = rows.get(tid)
            if row is None:
                continue
            if i == 1:
                row[1] = hosts[v] if v < len(hosts) else None
            else:
                row[i] = v
    out = []
    for tid, ty, name in ENV.tres_order:
        count, node, task = rows[tid]
        if count or node or task:
            out.append({"type": ty, "name": name, "id": tid, "count": _i64(count),
                        "task": _i64(task), "node": node})
    return out


def _double_bits(v: float) -> int | None:
    # The reference reads this double through a uint32_t: its low 32 bits.
    return _u32(struct.unpack("<I", struct.pack("<d", v)[:4])[0])


def _nct(kind: str, which: str):
    base = f"tres_usage_{kind}_{which}"
    return lambda s, h: tres_nct(getattr(s.stats, base), getattr(s.stats, base + "_nodeid"),
                                 getattr(s.stats, base + "_taskid"), h)


def _time(prefix: str, attr: str, what: str) -> list[Field]:
    return [Field(f"time/{prefix}/seconds", U32, f"{attr}_sec",
                  f"Total number of CPU-seconds used {what}, in seconds"),
            Field(f"time/{prefix}/microseconds", U32, f"{attr}_usec",
                  f"Total number of CPU-seconds used {what}, in microseconds")]


_SYSTEM = "by the system on behalf of the process (in kernel mode)"
_USER = "by the job in user land"

STEP = Obj("job_step", [
    Field("nodes/list", Names, lambda s: None, "Nodes of the step (only when it has some)"),
    Field("tres/requested/max", TRES_NCT, lambda s: None, "Max TRES usage in"),
    Field("tres/requested/min", TRES_NCT, lambda s: None, "Min TRES usage in"),
    Field("tres/consumed/max", TRES_NCT, lambda s: None, "Max TRES usage out"),
    Field("tres/consumed/min", TRES_NCT, lambda s: None, "Min TRES usage out"),
    Field("time/elapsed", U32, "elapsed", "Total time elapsed"),
    Field("time/end", U32, "end", "Timestamp of when job ended"),
    Field("exit_code", EXIT_CODE, _exit("exitcode")),
    Field("nodes/count", U32, "nnodes", "Total number of nodes in step"),
    Field("nodes/range", Text, "nodes", "Nodes in step"),
    Field("tasks/count", U32, "ntasks", "Number of tasks in step"),
    Field("pid", Text, "pid_str", "First process PID"),
    Field("CPU/requested_frequency/min", U32, "req_cpufreq_min", "Min CPU frequency"),
    Field("CPU/requested_frequency/max", U32, "req_cpufreq_max", "Max CPU frequency"),
    Field("CPU/governor", Names, flags("req_cpufreq_gov", GOVERNORS), "CPU governor"),
    Field("kill_request_user", Text, lambda s: user_or_null(s.requid),
          "User who requested job killed"),
    Field("time/start", U32, "start", "Timestamp of when job started"),
    Field("state", Str, lambda s: state_name(s.state), "State of job step"),
    Field("statistics/CPU/actual_frequency", U32, lambda s: _double_bits(s.stats.act_cpufreq),
          "Actual frequency of CPU during step (the low 32 bits of the double, as the reference)"),
    Field("statistics/energy/consumed", U32, "stats.consumed_energy",
          "Energy consumed during step"),
    Field("step/job_id", U32, "step_id.job_id", "Parent job id"),
    Field("step/het/component", U32, "step_id.step_het_comp",
          "Parent HetJob component id"),
    Field("step/id", OneOf(Int, Str), lambda s: step_id(s.step_id.step_id),
          "Step id (a number, or batch, extern, pending, interactive)"),
    Field("step/name", Text, "stepname", "Step name"),
    Field("time/suspended", U32, "suspended", "Timestamp of when job last suspended"),
    *_time("system", "sys_cpu", _SYSTEM),
    Field("task/distribution", Str, lambda s: layout_name(s.task_dist),
          "Task distribution properties"),
    *_time("total", "tot_cpu", "by the job"),
    *_time("user", "user_cpu", _USER),
    Field("tres/requested/average", TRES_LIST, lambda s: tres_list(s.stats.tres_usage_in_ave),
          "Average TRES usage in"),
    Field("tres/requested/total", TRES_LIST, lambda s: tres_list(s.stats.tres_usage_in_tot),
          "Total TRES usage in"),
    Field("tres/consumed/average", TRES_LIST, lambda s: tres_list(s.stats.tres_usage_out_ave),
          "Average TRES usage out"),
    Field("tres/consumed/total", TRES_LIST, lambda s: tres_list(s.stats.tres_usage_out_tot),
          "Total TRES usage out"),
    Field("tres/allocated", TRES_LIST, tres_field("tres_alloc_str"), "TRES allocated"),
], "Job step description", objects={"time": "Time properties", "nodes": "Node details",
                            "tres": "TRES usage", "CPU": "CPU properties",
                            "statistics": "Statistics of job step", "step": "Step details"})


_read_step = STEP.read
_NCT = (("requested", "max", _nct("in", "max")), ("requested", "min", _nct("in", "min")),
        ("consumed", "max", _nct("out", "max")), ("consumed", "min", _nct("out", "min")))


def read_step(step) -> dict:
    d = _read_step(step)
    hosts = step_hosts(step)
    for group, which, read in _NCT:
        d["tres"][group][which] = read(step, hosts)
    if hosts:
        d["nodes"]["list"] = hosts
        return d
    # Without nodes the reference names "nodes" later, after the exit code.
    nodes = d.pop("nodes")
    del nodes["list"]
    out = {}
    for k, v in d.items():
        out[k] = v
        if k == "exit_code":
            out["nodes"] = nodes
    return out


def _steps(job) -> list[dict]:
    return [read_step(s) for s in records(job.steps, "slurmdb_step_rec_t *")]


JOB = Obj("job", [
    Field("account", Text, description="Account charged by job"),
    Field("comment/administrator", Text, "admin_comment", "Administrator set comment"),
    Field("allocation_nodes", U32, "alloc_nodes", "Nodes allocated to job"),
    Field("array/job_id", U32, "array_job_id", "Job id of array"),
    Field("array/limits/max/running/tasks", U32, "array_max_tasks",
          "Max running tasks in array at any one time"),
    Field("array/task", Text, "array_task_str", "Array task"),
    Field("array/task_id", U32, "array_task_id", "Array task id"),
    Field("association", Nullable(JOB_ASSOCIATION), association),
    Field("cluster", Text, description="Assigned cluster"),
    Field("constraints", Text, description="Constraints on job"),
    Field("container", Text, description="absolute path to OCI container bundle"),
    Field("derived_exit_code", EXIT_CODE, _exit("derived_ec")),
    Field("comment/job", Text, "derived_es", "Job comment"),
    Field("time/elapsed", U32, "elapsed", "Total time elapsed"),
    Field("time/eligible", U32, "eligible", "Total time eligible to run"),
    Field("time/end", U32, "end", "Timestamp of when job ended"),
    Field("exit_code", EXIT_CODE, _exit("exitcode")),
    Field("flags", Names, flags("flags", JOB_FLAGS), "List of properties of job"),
    Field("group", Text, lambda j: group_or_null(j.gid), "User's group to run job"),
    Field("het/job_id", U32, "het_job_id", "Parent HetJob id"),
    Field("het/job_offset", U32, "het_job_offset", "Offset of this job to parent"),
    Field("job_id", U32, "jobid", "Job id"),
    Field("name", Text, "jobname", "Assigned job name"),
    Field("mcs/label", Text, "mcs_label", "Assigned MCS label"),
    Field("nodes", Text, description="List of nodes allocated for job"),
    Field("partition", Text, description="Assigned job's partition"),
    Field("priority", U32, description="Priority"),
    Field("qos", Text, _qos, "Assigned qos name"),
    Field("required/CPUs", U32, "req_cpus", "Required number of CPUs"),
    Field("required/memory", U32, "req_mem", "Required amount of memory (MiB; the low 32 bits, "
                                         "as the reference)"),
    Field("kill_request_user", Text, lambda j: user_or_null(j.requid), "User who requested job killed"),
    Field("reservation/id", U32, "resvid", "Database id of reservation"),
    Field("reservation/name", Nullable(Int), _resv_name,
          "0 without a reservation; null with one (the reference shows a meaningless number)"),
    Field("time/start", U32, "start", "Timestamp of when job started"),
    Field("state/current", Str, lambda j: state_name(j.state), "Current state of job"),
    Field("state/reason", Str, lambda j: reason_name(j.state_reason_prev),
          "Last reason job didn't run"),
    Field("time/submission", U32, "submit", "Timestamp of when job submitted"),
    Field("steps", Array(STEP), _steps, "Job step description"),
    Field("time/suspended", U32, "suspended", "Timestamp of when job last suspended"),
    Field("comment/system", Text, "system_comment", "System set comment"),
    *_time("system", "sys_cpu", _SYSTEM),
    Field("time/limit", U32, "timelimit", "Job wall clock time limit"),
    *_time("total", "tot_cpu", "by the job"),
    Field("tres/allocated", TRES_LIST, tres_field("tres_alloc_str"), "TRES allocated"),
    Field("tres/requested", TRES_LIST, tres_field("tres_req_str"), "TRES requested"),
    Field("user", Text, description="Job user"),
    *_time("user", "user_cpu", _USER),
    Field("wckey", Nullable(Inline([
        Field("wckey", Str, description="Job assigned wckey"),
        Field("flags", Names, description="wckey flags"),
    ])), _wckey, "Job assigned wckey details"),
    Field("working_directory", Text, "work_dir", "Directory where job was initially started"),
], "Single job description", objects={
    "comment": "Job comments by type", "array": "Array properties (optional)",
    "time": "Time properties", "het": "Heterogeneous Job details (optional)",
    "mcs": "Multi-Category Security", "required": "Job run requirements",
    "reservation": "Reservation usage details", "state": "State properties of job",
    "tres": "TRES settings"})


# ---- query filters, as the reference reads them (sacct's options) ----

CSV_LISTS = {"account": "acct_list", "association": "associd_list",
             "cluster": "cluster_list", "constraints": "constraint_list",
             "format": "format_list", "groups": "groupid_list", "job_name": "jobname_list",
             "partition": "partition_list", "qos": "qos_list", "reason": "reason_list",
             "reservation": "resv_list", "state": "state_list", "wckey": "wckey_list"}
FLAGS = {"skip_steps": JOBCOND_FLAG_NO_STEP, "disable_wait_for_result": JOBCOND_FLAG_NO_WAIT}
INTS = {"cpus_max": "cpus_max", "cpus_min": "cpus_min", "exit_code": "exitcode",
        "nodes_min": "nodes_min", "nodes_max": "nodes_max"}


def _bad(description: str, source: str | None, status: int = 500) -> DbError:
    return DbError(ESLURM_REST_INVALID_QUERY, source or "", description, status, payload={})


QUERY_FLAGS = JOBCOND_FLAG_DUP | JOBCOND_FLAG_NO_TRUNC


def job_cond(cond: Conditions, query: dict, flags: int = QUERY_FLAGS):
    """A slurmdb_job_cond_t from the query (`flags` set first), or DbError
    as the reference reports it."""
    jc = ffi.new("slurmdb_job_cond_t *", {"flags": flags, "db_flags": SLURMDB_JOB_FLAG_NOTSET})
    for key, value in query.items():
        k = key.lower()
        if k in ("start_time", "end_time", "submit_time"):
            if k == "start_time" and jc.flags & JOBCOND_FLAG_NO_DEFAULT_USAGE or \
                    k == "submit_time" and jc.usage_start:
                raise _bad("start_time and submit_time are mutually exclusive", key)
            t = lib.slurm_parse_time(ffi.new("char[]", value.encode()), 1)
            if not t:
                raise _bad("Unable to parse time format", key)
            if k == "end_time":
                jc.usage_end = t
            else:
                jc.usage_start = t
                if k == "submit_time":
                    jc.flags |= JOBCOND_FLAG_NO_DEFAULT_USAGE
        elif k == "node":
            buf = ffi.new("char[]", value.encode())
            cond.keep.append(buf)
            jc.used_nodes = buf
        elif k == "step":
            if jc.step_list == ffi.NULL:
                jc.step_list = cond.owned(ffi.addressof(lib, "slurm_destroy_selected_step"))
            add_steps(jc.step_list, value, key)
        elif k in CSV_LISTS:
            member = CSV_LISTS[k]
            if getattr(jc, member) == ffi.NULL:
                setattr(jc, member, cond.chars())
            lst = getattr(jc, member)
            added = add_states(lst, value) if k == "state" else \
                lib.slurm_addto_char_list(lst, value.encode())
            if added < 1:
                raise _bad("Unable to parse CSV list", key)
        elif k in FLAGS:
            if words.truth(value):
                jc.flags |= FLAGS[k]
            else:
                jc.flags &= ~FLAGS[k]
        elif k in INTS:
            n = words.rounded(value)
            if n is None:
                raise _bad("must be an integer", key)
            setattr(jc, INTS[k], (n & 0xFFFFFFFF) if INTS[k] != "exitcode" else
                    ((n + (1 << 31)) & 0xFFFFFFFF) - (1 << 31))
        else:
            raise _bad("Unknown Query field", None)
    return jc


def _load(db, cond: Conditions, jc, local: bool) -> list:
    if local and jc != ffi.NULL and (jc.cluster_list == ffi.NULL
                                     or not lib.slurm_list_count(jc.cluster_list)):
        # The reference asks for the local cluster when none is named.
        jc.cluster_list = cond.exact(slurm.text(slurm.conf().cluster_name) or "")
    found = db.get("slurmdb_jobs_get", jc, "slurmdb_job_rec_t *")
    if not found:
        return found
    assoc_cond = conditions.new("slurmdb_assoc_cond_t *", {
        "with_deleted": 1, "without_parent_info": 1,
        "without_parent_limits": 1})
    assocs = db.get("slurmdb_associations_get", assoc_cond, "slurmdb_assoc_rec_t *")
    ENV.assocs = {(a.cluster != ffi.NULL and ffi.string(a.cluster), a.id): {
                      "account": slurm.text(a.acct), "cluster": slurm.text(a.cluster),
                         "partition": slurm.text(a.partition), "user": slurm.text(a.user)}
                  for a in assocs}
    db.qos()
    db.tres()
    return found


def dumper(job: Obj = JOB, flags: int = QUERY_FLAGS, local: bool = True,
           read_cond: Callable | None = None) -> Callable:
    """dump(db, query, job_id): the jobs `query` (or the job/step id) selects,
    with the query flags `flags`, of the local cluster unless one is named
    (`local`), read as `job` declares them; `read_cond(cond, query, flags)`
    reads the query (default `job_cond`)."""
    read_cond = read_cond or job_cond

    def dump(db, query: dict | None = None, job_id: str | None = None) -> dict:
        out: dict = {}
        with partial(out), Conditions() as cond:
            if job_id is not None:
                jc = ffi.new("slurmdb_job_cond_t *", {"flags": flags,
                                                      "db_flags": SLURMDB_JOB_FLAG_NOTSET})
                jc.step_list = cond.owned(ffi.addressof(lib, "slurm_destroy_selected_step"))
                add_steps(jc.step_list, job_id, "job_id", 400)
            elif query:
                jc = read_cond(cond, query, flags)
            else:
                jc = ffi.NULL
            out["jobs"] = []
            # The reference answers 200 whatever the queries say.
            with partial(out, status=200):
                found = _load(db, cond, jc, local)
        out["jobs"] = db.stream(found, job.read)
        return out
    return dump


PARAMS = [
    Param("submit_time", "query", Str, "Filter by submission time (mutually exclusive with "
          "start_time)\n Accepted formats:\n HH:MM[:SS] [AM|PM]\n MMDD[YY] or MM/DD[/YY] or "
          "MM.DD[.YY]\n MM/DD[/YY]-HH:MM[:SS]\n YYYY-MM-DD[THH:MM[:SS]]"),
    Param("start_time", "query", Str, "Filter by start time (same formats as submit_time)"),
    Param("end_time", "query", Str, "Filter by end time (same formats as submit_time)"),
    Param("account", "query", Str, "Comma delimited list of accounts to match"),
    Param("association", "query", Str, "Comma delimited list of associations to match"),
    Param("cluster", "query", Str, "Comma delimited list of cluster to match"),
    Param("constraints", "query", Str, "Comma delimited list of constraints to match"),
    Param("cpus_max", "query", Int, "Number of CPUs high range"),
    Param("cpus_min", "query", Int, "Number of CPUs low range"),
    Param("skip_steps", "query", Bool, "Report job step information"),
    Param("disable_wait_for_result", "query", Bool, "Disable waiting for result from slurmdbd"),
    Param("exit_code", "query", Int, "Exit code of job"),
    Param("format", "query", Str, "Comma delimited list of formats to match"),
    Param("groups", "query", Str, "Comma delimited list of groups to match (the reference "
          "rejects its documented name \"group\" too)"),
    Param("job_name", "query", Str, "Comma delimited list of job names to match"),
    Param("nodes_max", "query", Int, "Number of nodes high range"),
    Param("nodes_min", "query", Int, "Number of nodes low range"),
    Param("partition", "query", Str, "Comma delimited list of partitions to match"),
    Param("qos", "query", Str, "Comma delimited list of QOS to match"),
    Param("reason", "query", Str, "Comma delimited list of job reasons to match"),
    Param("reservation", "query", Str, "Comma delimited list of reservations to match"),
    Param("state", "query", Str, "Comma delimited list of states to match"),
    Param("step", "query", Str, "Comma delimited list of job steps to match"),
    Param("node", "query", Str, "Comma delimited list of used nodes to match"),
    Param("wckey", "query", Str, "Comma delimited list of wckeys to match"),
]


def job_operations(job: Obj, dump: Callable, job_id: Param,
                   job_id_text: Callable[[str], str]) -> list[Operation]:
    """GET /jobs and /job/{job_id}: records declared by `job`, read by `dump`
    (see `dumper`); the path's `job_id` read by `job_id_text`."""
    info = response("job_info", [Field("jobs", Array(job), description="Array of jobs")])
    return [
        operation("GET", "/jobs", "get_jobs", "Get job list",
                  lambda call: answer(dump, call.query), info, PARAMS),
        operation("GET", "/job/{job_id}", "get_job", "Get job info",
                  lambda call: answer(dump, None, job_id_text(call.params["job_id"])), info,
                  [job_id]),
    ]


OPERATIONS = job_operations(JOB, dumper(), Param("job_id", "path", Str, "Slurm Job ID", True),
                            str)
