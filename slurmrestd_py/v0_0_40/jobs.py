"""GET /slurm/v0.0.40/jobs/, /job/{job_id} and /jobs/state/ (v0.0.41 serves
the same but for job_resources; v0.0.42 its own delta, see v0_0_42/jobs.py).

The job is v0.0.38's declaration as Slurm 24.11 writes it: numbers that may
be unset as {"set", "infinite", "number"} objects (timestamps too), flag
words and states as lists of names, exit codes described, some keys read
otherwise (nice, core_spec, the stream paths ...), and the keys 24.11 adds.
Where 22.05 keeps no such value the key holds its type's unset value. The
list is still streamed from one compiled reader.

/jobs/state/ answers what 24.11's slurm_load_job_state RPC would (22.05 has
none): the state of each job record, array records expanded per pending
task, chosen by the job ids given, from the job list.
"""
from __future__ import annotations

import os

from .. import convert, slurm, words
from ..envelope import response_40
from ..errors import (ESLURM_DATA_CONV_FAILED, ESLURM_DB_CONNECTION, ESLURM_INVALID_JOB_ID,
                      ESLURM_REST_INVALID_QUERY, SLURM_NO_CHANGE_IN_DATA, SLURM_PROTOCOL_SOCKET_ZERO_BYTES_SENT, ApiError,
                      SlurmError, error_entry)
from ..kinds import (ALL_BITS, F64, NUMBER_OBJECTS_40, U16, U32, U64, Flags, bit, equal)
from ..routes import Operation, Param
from ..schema import ArrayOf, Bool, Expr, Field, Int, Obj, Raw, Scalar, Str, Type
from ..slurm import ffi, lib
from ..v0_0_38 import jobs as v38
from ..v0_0_38.jobs import JOB, S, SHOW_FLAGS, N, Text
from . import job_ids, job_paths, job_state

_INT32 = Scalar("integer", "int32")

# ---- flag words, with the names 24.11 gives them (None: a bit 22.05 lacks) ----

_BASE, _FLAGS = lib.JOB_STATE_BASE, lib.JOB_STATE_FLAGS
JOB_STATE = Flags("job_state", [
    *(equal(name, i, _BASE) for i, name in enumerate(v38.BASE_STATES)),
    bit("LAUNCH_FAILED", lib.JOB_LAUNCH_FAILED, _FLAGS),
    bit("REQUEUED", lib.JOB_REQUEUE, _FLAGS),
    bit("REQUEUE_HOLD", lib.JOB_REQUEUE_HOLD, _FLAGS),
    bit("SPECIAL_EXIT", lib.JOB_SPECIAL_EXIT, _FLAGS),
    bit("RESIZING", lib.JOB_RESIZING, _FLAGS),
    bit("CONFIGURING", lib.JOB_CONFIGURING, _FLAGS),
    bit("COMPLETING", lib.JOB_COMPLETING, _FLAGS),
    bit("STOPPED", lib.JOB_STOPPED, _FLAGS),
    bit("RECONFIG_FAIL", lib.JOB_RECONFIG_FAIL, _FLAGS),
    bit("POWER_UP_NODE", None, _FLAGS),
    bit("REVOKED", lib.JOB_REVOKED, _FLAGS),
    bit("REQUEUE_FED", lib.JOB_REQUEUE_FED, _FLAGS),
    bit("RESV_DEL_HOLD", lib.JOB_RESV_DEL_HOLD, _FLAGS),
    bit("SIGNALING", lib.JOB_SIGNALING, _FLAGS),
    bit("STAGE_OUT", lib.JOB_STAGE_OUT, _FLAGS),
])
JOB_FLAGS = Flags("job_flags", [
    bit("KILL_INVALID_DEPENDENCY", lib.KILL_INV_DEP),
    bit("NO_KILL_INVALID_DEPENDENCY", lib.NO_KILL_INV_DEP),
    bit("HAS_STATE_DIRECTORY", lib.HAS_STATE_DIR),
    bit("TESTING_BACKFILL", lib.BACKFILL_TEST),
    bit("GRES_BINDING_ENFORCED", lib.GRES_ENFORCE_BIND),
    bit("TEST_NOW_ONLY", lib.TEST_NOW_ONLY),
    bit("SEND_JOB_ENVIRONMENT", lib.JOB_SEND_ENV),
    bit("SPREAD_JOB", lib.SPREAD_JOB),
    bit("PREFER_MINIMUM_NODE_COUNT", lib.USE_MIN_NODES),
    bit("JOB_KILL_HURRY", lib.JOB_KILL_HURRY),
    bit("SKIP_TRES_STRING_ACCOUNTING", lib.TRES_STR_CALC),
    bit("SIBLING_CLUSTER_UPDATE_ONLY", lib.SIB_JOB_FLUSH),
    bit("HETEROGENEOUS_JOB", lib.HET_JOB_FLAG),
    bit("EXACT_TASK_COUNT_REQUESTED", lib.JOB_NTASKS_SET),
    bit("EXACT_CPU_COUNT_REQUESTED", lib.JOB_CPUS_SET),
    bit("TESTING_WHOLE_NODE_BACKFILL", lib.BF_WHOLE_NODE_TEST),
    bit("TOP_PRIORITY_JOB", lib.TOP_PRIO_TMP),
    bit("ACCRUE_COUNT_CLEARED", lib.JOB_ACCRUE_OVER),
    bit("GRES_BINDING_DISABLED", lib.GRES_DISABLE_BIND),
    bit("JOB_WAS_RUNNING", lib.JOB_WAS_RUNNING),
    bit("JOB_ACCRUE_TIME_RESET", lib.RESET_ACCRUE_TIME),
    bit("CRON_JOB", lib.CRON_JOB),
    bit("EXACT_MEMORY_REQUESTED", lib.JOB_MEM_SET),
    bit("USING_DEFAULT_ACCOUNT", lib.USE_DEFAULT_ACCT),
    bit("USING_DEFAULT_PARTITION", lib.USE_DEFAULT_PART),
    bit("USING_DEFAULT_QOS", lib.USE_DEFAULT_QOS),
    bit("USING_DEFAULT_WCKEY", lib.USE_DEFAULT_WCKEY),
    bit("DEPENDENT", lib.JOB_DEPENDENT),
    bit("MAGNETIC", lib.JOB_MAGNETIC),
    bit("PARTITION_ASSIGNED", lib.JOB_PART_ASSIGNED),
    bit("BACKFILL_ATTEMPTED", lib.BACKFILL_SCHED),
    bit("SCHEDULING_ATTEMPTED", lib.BACKFILL_LAST),
    bit("STEPMGR_ENABLED", None),
])
MAIL_FLAGS = Flags("job_mail_flags", [
    bit("BEGIN", lib.MAIL_JOB_BEGIN), bit("END", lib.MAIL_JOB_END),
    bit("FAIL", lib.MAIL_JOB_FAIL), bit("REQUEUE", lib.MAIL_JOB_REQUEUE),
    bit("TIME=100%", lib.MAIL_JOB_TIME100), bit("TIME=90%", lib.MAIL_JOB_TIME90),
    bit("TIME=80%", lib.MAIL_JOB_TIME80), bit("TIME=50%", lib.MAIL_JOB_TIME50),
    bit("STAGE_OUT", lib.MAIL_JOB_STAGE_OUT), bit("ARRAY_TASKS", lib.MAIL_ARRAY_TASKS),
    bit("INVALID_DEPENDENCY", lib.MAIL_INVALID_DEPEND),
])
_U32_ALL = 0xFFFFFFFF
PROFILE = Flags("acct_gather_profile", [
    equal("NOT_SET", lib.ACCT_GATHER_PROFILE_NOT_SET, _U32_ALL),
    equal("NONE", lib.ACCT_GATHER_PROFILE_NONE, _U32_ALL),
    bit("ENERGY", lib.ACCT_GATHER_PROFILE_ENERGY), bit("LUSTRE", lib.ACCT_GATHER_PROFILE_LUSTRE),
    bit("NETWORK", lib.ACCT_GATHER_PROFILE_NETWORK), bit("TASK", lib.ACCT_GATHER_PROFILE_TASK),
])
_U16_ALL = 0xFFFF
SHARED = Flags("job_shared", [
    equal("none", lib.JOB_SHARED_NONE, _U16_ALL), equal("oversubscribe", lib.JOB_SHARED_OK, _U16_ALL),
    equal("user", lib.JOB_SHARED_USER, _U16_ALL), equal("mcs", lib.JOB_SHARED_MCS, _U16_ALL),
    equal("topo", None, _U16_ALL),
])
# Before v0.0.42 the same word is also written as "exclusive" (and "oversubscribe").
EXCLUSIVE = Flags("job_exclusive_flags", [
    equal("true", lib.JOB_SHARED_NONE, _U16_ALL), equal("false", lib.JOB_SHARED_OK, _U16_ALL),
    equal("user", lib.JOB_SHARED_USER, _U16_ALL), equal("mcs", lib.JOB_SHARED_MCS, _U16_ALL),
])
SHOW_FLAGS_NAMES = Flags("job_show_flags", [
    bit("ALL", lib.SHOW_ALL), bit("DETAIL", lib.SHOW_DETAIL), bit("MIXED", lib.SHOW_MIXED),
    bit("LOCAL", lib.SHOW_LOCAL), bit("SIBLING", lib.SHOW_SIBLING),
    bit("FEDERATION", lib.SHOW_FEDERATION), bit("FUTURE", lib.SHOW_FUTURE),
])
EXIT_STATUS = Flags("process_exit_code_status", [
    equal(name, i, ALL_BITS) for i, name in enumerate(
        ("INVALID", "PENDING", "SUCCESS", "ERROR", "SIGNALED", "CORE_DUMPED"))])


class LooseArray(ArrayOf):
    """A named list whose items the reference leaves undescribed (`deprecated`:
    a key kept only to say it is gone, always empty)."""

    def __init__(self, name: str, description: str = "", deprecated: bool = False):
        super().__init__(name, Str, description)
        self.deprecated = deprecated

    def definition(self, ns: str = "") -> dict:
        d = {"type": "array", "description": self.description, "items": {}}
        if not self.description:
            del d["description"]
        return {**d, "deprecated": True} if self.deprecated else d


# ---- exit codes: a wait(2) status described ----

_SIGNALS = {getattr(__import__("signal"), "SIG" + n): n for n in (
    "HUP INT QUIT ABRT KILL ALRM TERM CHLD USR1 USR2 PIPE URG CONT STOP TSTP TTIN TTOU "
    "XCPU").split()}


class _Status:
    """A status word as 24.11 reads it: its state, return code and signal."""
    __slots__ = ("status", "return_code", "signal")

    def __init__(self, code: int):
        self.return_code, self.signal = lib.NO_VAL, 0xFFFE
        if code == lib.NO_VAL:
            self.status = 1  # PENDING
        elif os.WIFEXITED(code):
            self.return_code = os.WEXITSTATUS(code)
            self.status = 3 if self.return_code else 2  # ERROR, SUCCESS
        elif os.WIFSIGNALED(code):
            self.status, self.signal = 4, os.WTERMSIG(code)
        elif os.WCOREDUMP(code):
            self.status = 5
        else:
            self.status, self.return_code = 0, code


def _signal_name(sig: int) -> str:
    if sig == 0xFFFE:
        return ""
    return _SIGNALS.get(sig, str(sig))


class StatusObj(Obj):
    """process_exit_code_verbose, read from a wait(2) status word (cached:
    few distinct words occur)."""

    def rebuilt(self, name, entries, description, required, names=None, dialect=None):
        return StatusObj(name, entries, description, required, self.objects,
                         self.names if names is None else names, dialect or self.dialect)

    def of_status(self, code: int) -> dict:
        cache = self.__dict__.setdefault("_cache", {})
        found = cache.get(code)
        if found is None:
            found = cache[code] = self.read(_Status(code))
        return {**found, "signal": {**found["signal"]}}

    def converter(self):
        return self.of_status

    def code(self, value: str, bind) -> str:
        return f"{bind(self.of_status)}({value})"


PROCESS_EXIT_CODE = StatusObj("process_exit_code_verbose", [
    Field("status", EXIT_STATUS, description="Status given by return code"),
    Field("return_code", U32, description="Process return code (numeric)"),
    Field("signal/id", U16, "signal", "Signal sent to process (numeric)"),
    Field("signal/name", Str, lambda s: _signal_name(s.signal), "Signal sent to process (name)"),
], dialect=NUMBER_OBJECTS_40)


# ---- job_resources (v0.0.40: v0.0.38's, both CPU counts, the nodes an undescribed list) ----

class _Resources:
    """A job_resources_t as v0.0.40 writes it, read by v0.0.38's means: the
    CPU count under the key SelectTypeParameters names, 0 under the other."""
    __slots__ = ("nodes", "allocated_cores", "allocated_cpus", "allocated_hosts",
                 "allocated_nodes")

    def __init__(self, r):
        counts = ffi.cast("uint32_t *", r)
        nodes = v38._text(ffi.cast("char **", r)[v38._R_NODES])
        key, cpus = v38._allocated_cpu_key(), counts[v38._R_NCPUS32]
        self.nodes = nodes or ""
        self.allocated_cores = cpus if key == "allocated_cores" else 0
        self.allocated_cpus = cpus if key == "allocated_cpus" else 0
        self.allocated_hosts = counts[v38._R_NHOSTS32]
        self.allocated_nodes = v38._allocated_nodes(r, self.allocated_hosts, nodes)


JOB_RES = v38.JOB_RESOURCES.derive(name="job_res", replace={
    "nodes": Field("nodes", Str, description="Node(s) allocated to the job"),
    "allocated_nodes": Field("allocated_nodes", LooseArray("job_res_nodes", "job node resources"),
                             description="Allocated node resources"),
})


def _resources(r) -> dict:
    return JOB_RES.read(_Resources(r))


# ---- the job ----

def T(key: str, desc: str, attr: str | None = None) -> Field:
    """A time_t written as a 64-bit number object (24.11's TIMESTAMP_NO_VAL)."""
    return Field(key, U64, attr or key, desc)


def Empty(key: str, type: Type, value: str, desc: str) -> Field:
    """A key 22.05 has no value for: its type's unset value."""
    return Field(key, type, Expr(value), desc + " (unset: Slurm 22.05 does not keep it)")


_STREAMS = {"standard_error": job_paths.stderr, "standard_input": job_paths.stdin,
            "standard_output": job_paths.stdout}
_CORE_SPEC_THREAD = lib.CORE_SPEC_THREAD

# Keys whose reading 24.11 changes, by key (or the first key of a v0.0.38 splice).
_REPLACED = {
    "accrue_time": T("accrue_time", "When the job started accruing age priority (UNIX timestamp)"),
    "array_job_id": Field("array_job_id", U32, description="Job ID of job array, or 0 if N/A"),
    "array_max_tasks": Field("array_max_tasks", U32, description="Maximum number of "
                             "simultaneously running tasks, 0 if no limit"),
    "batch_flag": N("batch_flag", "True if batch job", "j.batch_flag != 0", Bool),
    "flags": Field("flags", JOB_FLAGS, "bitflags", "Job flags"),
    "contiguous": N("contiguous", "True if job requires contiguous nodes",
                    "(_v := j.contiguous) != NV16 and _v != 0", Bool),
    # An unset core_spec (NO_VAL16) has the thread bit: 24.11 writes it as threads.
    "core_spec": N("core_spec", "Specialized core count",
                   "(0 if (_v := j.core_spec) & CST else _v)", _INT32),
    "billable_tres": Field("billable_tres", F64, description="Billable TRES"),
    "cpus_per_task": Field("cpus_per_task", U16, description="Number of CPUs required by each task"),
    "cpu_frequency_minimum": Field("cpu_frequency_minimum", U32, "cpu_freq_min",
                                   "Minimum CPU frequency"),
    "deadline": T("deadline", "Latest time that the job may start (UNIX timestamp)"),
    "derived_exit_code": Field("derived_exit_code", PROCESS_EXIT_CODE, "derived_ec",
                               "Highest exit code of all job steps"),
    "eligible_time": T("eligible_time", "Time when the job became eligible to run (UNIX timestamp)"),
    "end_time": T("end_time", "End time, real or expected (UNIX timestamp)"),
    "exit_code": Field("exit_code", PROCESS_EXIT_CODE, description="Exit code of the job"),
    "gres_detail": N("gres_detail", "List of GRES index and counts allocated per node",
                     "(_gres(j) if j.gres_detail_cnt else [])",
                     ArrayOf("job_info_gres_detail", Str)),
    "group_id": Field("group_id", Int, description="Group ID of the user that owns the job"),
    "job_id": Field("job_id", Int, description="Job ID"),
    "job_resources": Field("job_resources", JOB_RES,
                           Expr("(_res40(_r) if (_r := _PL and j.job_resrcs) else {})"),
                           "Resources used by the job (empty when none)"),
    "job_state": Field("job_state", JOB_STATE, description="Current state"),
    "last_sched_evaluation": T("last_sched_evaluation", "Last time job was evaluated for "
                               "scheduling (UNIX timestamp)", "last_sched_eval"),
    "nice": N("nice", "Requested job priority change",
              "(0 if (_v := j.nice) == NV or _v == NICE else _v - NICE)", Int),
    "tasks_per_node": Field("tasks_per_node", U16, "ntasks_per_node",
                            "Number of tasks invoked on each node"),
    "tasks_per_board": Field("tasks_per_board", U16, "ntasks_per_board",
                             "Number of tasks invoked on each board"),
    "cpus": Field("cpus", U32, "num_cpus", "Minimum number of CPUs required"),
    "node_count": Field("node_count", U32, "num_nodes", "Minimum number of nodes required"),
    "tasks": Field("tasks", U32, "num_tasks", "Number of tasks"),
    "memory_per_node": Field("memory_per_cpu", U64, Raw("(_m & M63) if (_m := j.pn_min_memory) "
                                                        "& MPC else NV64"),
                             "Minimum memory in megabytes per allocated CPU"),
    "minimum_cpus_per_node": Field("minimum_cpus_per_node", U16, "pn_min_cpus",
                                   "Minimum number of CPUs per node"),
    "minimum_tmp_disk_per_node": Field("minimum_tmp_disk_per_node", U32, "pn_min_tmp_disk",
                                       "Minimum tmp disk space required per node"),
    "preempt_time": T("preempt_time", "Time job received preemption signal (UNIX timestamp)"),
    "pre_sus_time": T("pre_sus_time", "Total run time prior to last suspend in seconds"),
    "profile": Field("profile", PROFILE, description="Profile used by the acct_gather_profile "
                                                     "plugin"),
    "resize_time": T("resize_time", "Time of last size change (UNIX timestamp)"),
    "shared": Field("shared", SHARED, description="How the job can share resources with other "
                                                  "jobs, if at all"),
    "show_flags": Field("show_flags", SHOW_FLAGS_NAMES, Expr("[]"),
                        "Removed in 24.11: always empty"),
    "start_time": T("start_time", "Time execution began, or is expected to begin (UNIX timestamp)"),
    **{key: Field(key, Text, read) for key, read in _STREAMS.items()},
    "submit_time": T("submit_time", "Time when the job was submitted (UNIX timestamp)"),
    "suspend_time": T("suspend_time", "Time the job was last suspended or resumed (UNIX timestamp)"),
    "user_name": N("user_name", "User name that owns the job", '(_un[j.user_id] or "")', Str),
}
# (after key, entry): keys 24.11 adds, and those it writes elsewhere.
_ADDED = [
    ("admin_comment", S("allocating_node", "Local node making the resource allocation",
                        "alloc_node")),
    ("container", Empty("container_id", Text, "U", "OCI container ID")),
    ("core_spec", N("thread_spec", "Specialized thread count",
                    "((_v & ~CST) if _v & CST else 0)", _INT32)),
    ("cpus_per_tres", S("cron", "Time specification for scrontab job", "cronspec")),
    ("exit_code", Empty("extra", Text, "U", "Arbitrary string used for node filtering if "
                        "extra constraints are enabled")),
    ("extra", Empty("failed_node", Text, "U", "Name of node that caused job failure")),
    ("group_id", N("group_name", "Group name of the user that owns the job",
                   '(_gn[j.group_id] or "")', Str)),
    ("group_name", Field("het_job_id", U32, description="Heterogeneous job ID, if applicable")),
    ("het_job_id", S("het_job_id_set", "Job ID range for all heterogeneous job components")),
    ("het_job_id_set", Field("het_job_offset", U32, description="Unique sequence number "
                             "applied to this component of the heterogeneous job")),
    ("job_resources", Empty("job_size_str", ArrayOf("csv_string", Str), "[]",
                            "Number of nodes (in a range) required for this job")),
    ("licenses", Field("mail_type", MAIL_FLAGS, description="Mail event type(s)")),
    ("mail_type", S("mail_user", "User to receive email notifications")),
    ("name", S("network", "Network specs for the job")),
    ("tasks_per_core", Field("tasks_per_tres", U16, "ntasks_per_tres",
                             "Number of tasks that can assess each GPU")),
    ("memory_per_cpu", Field("memory_per_node", U64, Raw("NV64 if (_m := j.pn_min_memory) & MPC "
                                                         "else _m"),
                             "Minimum memory in megabytes per allocated node")),
    ("minimum_tmp_disk_per_node", Field("power/flags", LooseArray("power_flags", "removed field", True), Expr("[]"))),
    ("preempt_time", T("preemptable_time", "Time job becomes eligible for preemption "
                       "(UNIX timestamp)")),
    ("pre_sus_time", N("hold", "Hold (true) or release (false) job", "j.priority == 0", Bool)),
    ("required_nodes", Field("minimum_switches", Int, "req_switch",
                             "Maximum number of switches (the 'minimum' in the key is "
                             "incorrect)")),
    ("resv_name", S("scheduled_nodes", "List of nodes scheduled to be used for the job",
                    "sched_nodes")),
    ("scheduled_nodes", S("selinux_context", "SELinux context")),
    ("shared", Field("exclusive", EXCLUSIVE, "shared")),
    ("exclusive", N("oversubscribe", "", "j.shared != 0", Bool)),
    ("user_name", Field("maximum_switch_wait_time", Int, "wait4switch",
                        "Maximum time to wait for switches in seconds")),
]
_MOVED = ("het_job_id", "het_job_id_set", "het_job_offset", "memory_per_cpu")

JOB_INFO = JOB.derive(
    name="job_info", drop=_MOVED, replace=_REPLACED, add=_ADDED, dialect=NUMBER_OBJECTS_40,
    description="").with_names(
        NV64=slurm.NO_VAL64, CST=_CORE_SPEC_THREAD, _res40=_resources,
        U="")  # 24.11 writes a NULL string as "" in YAML too (v0.0.38: null there)


# ---- the responses ----

def job_info_resp(job: Obj, dialect: dict) -> Obj:
    """openapi_job_info_resp of `job` (`dialect`: the version's number objects)."""
    return response_40("openapi_job_info_resp", [
        Field("jobs", ArrayOf("job_info_msg", job), description="List of jobs"),
        Field("last_backfill", dialect[U64], description="Time of last backfill scheduler run "
                                                         "(UNIX timestamp)"),
        Field("last_update", dialect[U64], description="Time of last job change (UNIX timestamp)"),
    ])


JOB_STATE_RESP = response_40("openapi_job_state_resp", [
    Field("jobs", ArrayOf("job_state_resp_msg", Obj("job_state_resp_job", [
        Field("job_id", Str, description="Job ID"),
        Field("state", JOB_STATE, description="Job state"),
    ], required=["job_id", "state"]), "List of jobs"), description="List of job states"),
])


# ---- reading the request ----

# 24.11's messages for its data parser's errors that 22.05's libslurm lacks.
ESLURM_DATA_FLAGS_INVALID_TYPE, ESLURM_DATA_FLAGS_INVALID = 9206, 9207
_MESSAGES = {ESLURM_DATA_FLAGS_INVALID_TYPE: "Data parser expects flags to be a list",
             ESLURM_DATA_FLAGS_INVALID: "Data parser unable to parse invalid flag"}
_REJECTED = "Rejecting request. Failure parsing query."


def _parse_error(errno: int, description: str, source: str) -> dict:
    message = _MESSAGES.get(errno) or slurm.strerror(errno)
    return error_entry("error_number", errno, message, description, source)


def _rejected(status: int, source: str, description: str, *errors: dict) -> ApiError:
    """A query or path 24.11 refuses: the parser's errors, then its own, and
    no payload at all."""
    return ApiError(status, ESLURM_REST_INVALID_QUERY, source, description, payload={},
                    errors=list(errors))


def _since(call, status: int, source: str, typed_text: bool) -> int:
    """update_time, as 24.11 reads a timestamp (0: not given): a date slurm
    understands; with `typed_text` (v0.0.42) the text is typed first, so a
    number is a number and a Boolean an error (v0.0.40 and v0.0.41 read
    "1.5" as the 5th of January)."""
    value = call.query.get("update_time")
    if value is None:
        return 0
    typed = (words.typed(value) if typed_text else value) if value else None
    if isinstance(typed, bool):
        problem = f"Expected integer but got {'true' if typed else 'false'}"
    elif isinstance(typed, int):
        return convert.saturate(typed)
    elif isinstance(typed, float):
        return words.rounded(value)
    elif typed is None:
        problem = "Invalid or unset timestamp value"
    else:
        slurm.init()
        t = lib.slurm_parse_time(ffi.new("char[]", value.encode("utf-8", "surrogateescape")), 0)
        if t:
            return t
        problem = f"Parsing of {value} for timestamp failed"
    raise _rejected(status, source, _REJECTED,
                    _parse_error(ESLURM_DATA_CONV_FAILED, problem, "#/update_time/"))


def _show_flags(call, status: int, source: str, strict: bool) -> tuple[int, list]:
    """flags: a SHOW_* name, whatever its case (default: ALL and DETAIL, as
    24.11), and the errors of an unknown name: v0.0.41 on answer it with the
    default and a 500, v0.0.40 (`strict`) refuses it."""
    value = call.query.get("flags")
    if value is None:
        return SHOW_FLAGS, []
    if not value:
        raise _rejected(status, source, _REJECTED, _parse_error(
            ESLURM_DATA_FLAGS_INVALID_TYPE, "Expected a List but found a null", "#/flags/"))
    for name, bits, _, _ in SHOW_FLAGS_NAMES.entries:
        if name.lower() == value.lower():
            return bits, []
    unknown = _parse_error(ESLURM_DATA_FLAGS_INVALID, f'Unknown flag "{value}"', "#/flags[0]/")
    if strict:
        raise _rejected(status, source, _REJECTED, unknown, _parse_error(
            ESLURM_DATA_FLAGS_INVALID, f'Parsing single flag "{value}" failed', "#/flags/"))
    return SHOW_FLAGS, [unknown]


# ---- answering ----

def _status(errno: int) -> int:
    """The HTTP status 24.11 gives a failed libslurm call: 404 for no such
    job, 502 when slurmctld (or slurmdbd) could not be reached, else 500."""
    if errno == ESLURM_INVALID_JOB_ID:
        return 404
    if errno in _GATEWAY:
        return 502
    return 500


# SLURM_COMMUNICATIONS_{CONNECTION,SEND,RECEIVE,SHUTDOWN}_ERROR, their
# SLURMCTLD_ twins, a zero-byte send and the database connection.
_GATEWAY = frozenset((1001, 1002, 1003, 1004, 1800, 1801, 1802, 1803,
                      SLURM_PROTOCOL_SOCKET_ZERO_BYTES_SENT, ESLURM_DB_CONNECTION))


def _failed(e: SlurmError, call: str, description: str, payload: dict,
            errors: list) -> ApiError:
    """A failed load, after the query's own `errors` (whose error decides the status)."""
    return ApiError(500 if errors else _status(e.errno), e.errno, call, description,
                    payload=payload, errors=errors)


def _time_text(t: int) -> str:
    import time
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(t))


def job_operations(job: Obj, dialect: dict, typed_text: bool = False,
                   strict_flags: bool = False) -> list[Operation]:
    """GET jobs/, job/{job_id} and jobs/state/ answered with `job`, whose
    number objects are those of `dialect`; `typed_text`: see _since,
    `strict_flags`: see _show_flags."""
    response = job_info_resp(job, dialect)
    number = dialect[U64].converter()

    def empty() -> dict:
        return {"jobs": [], "last_backfill": number(0), "last_update": number(0)}

    def answer(msg) -> dict:
        return {"jobs": slurm.stream(msg, lib.slurm_free_job_info_msg, msg.job_array,
                                     msg.record_count, job.reader()),
                "last_backfill": number(msg.last_backfill),
                "last_update": number(msg.last_update)}

    def done(payload: dict, errors: list) -> dict:
        """The answer, or a 500 carrying it where the query had errors."""
        if errors:
            raise ApiError(500, payload=payload, errors=errors)
        return payload

    def get_jobs(call):
        t = _since(call, 422, "op_handler_jobs", typed_text)
        flags, errors = _show_flags(call, 422, "op_handler_jobs", strict_flags)
        try:
            msg = v38._load("slurm_load_jobs", lambda out: lib.slurm_load_jobs(t, out, flags))
        except SlurmError as e:
            if e.errno != SLURM_NO_CHANGE_IN_DATA:
                raise _failed(e, "slurm_load_jobs()", "Unable to query jobs", empty(),
                              errors) from None
            call.warnings.append({
                "description": f"No job changes since update_time[{t}]={_time_text(t)}",
                "source": "op_handler_jobs"})
            return done(empty(), errors)
        return done(answer(msg), errors)

    def get_job(call):
        text = call.params["job_id"]
        sel = job_ids.parse(text)
        if sel is None:
            raise _rejected(422, "op_handler_job", "Rejecting request. Failure parsing parameters")
        _since(call, 500, "_handle_job_get", typed_text)  # refused when malformed, else unused
        flags, errors = _show_flags(call, 500, "_handle_job_get", strict_flags)
        warnings = call.warnings
        if sel.array_task_id != job_ids.NO_VAL:
            warnings.append({"description": "Job array Ids are not currently supported for job "
                             "searches. Showing all jobs in array instead.",
                             "source": "_handle_job_get"})
        if sel.step_id != job_ids.NO_VAL:
            warnings.append({"description": "Job steps are not supported for job searches. "
                             "Showing whole job instead.", "source": "_handle_job_get"})
        number_id = sel.job_id + (0 if sel.het_job_offset == job_ids.NO_VAL
                                  else sel.het_job_offset)
        try:
            msg = v38._load("slurm_load_job",
                            lambda out: lib.slurm_load_job(out, number_id, flags))
        except SlurmError as e:
            raise _failed(e, "_handle_job_get", f"Unable to query JobId={text}",
                          empty(), errors) from None
        return done(answer(msg), errors)

    def get_jobs_state(call):
        value = call.query.get("job_id")
        filters = []
        for part in (value.split(",") if value is not None else ()):
            sel = job_ids.parse(part)
            if sel is None:
                raise _rejected(422, "op_handler_job_states",
                                "Rejecting request. Failure parsing query")
            filters.append(sel)
        try:
            with slurm.owned("slurm_load_jobs", lib.slurm_free_job_info_msg, "job_info_msg_t",
                             lambda out: lib.slurm_load_jobs(0, out, lib.SHOW_ALL)) as msg:
                records = [job_state.Record(msg.job_array[i]) for i in range(msg.record_count)]
        except SlurmError as e:
            raise ApiError(_status(e.errno), e.errno, "slurm_load_job_state()",
                           "Unable to query job states", payload={"jobs": []}) from None
        return {"jobs": [{"job_id": text, "state": JOB_STATE.listed(state)}
                         for text, state in job_state.states(records, filters)]}

    update_time = Param("update_time", "query", Str, "Filter jobs since update timestamp")
    flags = Param("flags", "query", Scalar("string", enum=SHOW_FLAGS_NAMES.items.enum),
                  "Query flags")
    return [
        Operation("GET", "jobs/", "get_jobs", "get list of jobs", "slurm", get_jobs, response,
                  [update_time, flags]),
        Operation("GET", "jobs/state/", "get_jobs_state", "get list of job states", "slurm",
                  get_jobs_state, JOB_STATE_RESP,
                  [Param("job_id", "query", Str, "Search for CSV list of Job IDs")]),
        Operation("GET", "job/{job_id}", "get_job", "get job info", "slurm", get_job, response,
                  [Param("job_id", "path", Str, "Job ID", True), update_time, flags]),
    ]


OPERATIONS = job_operations(JOB_INFO, NUMBER_OBJECTS_40, strict_flags=True)
