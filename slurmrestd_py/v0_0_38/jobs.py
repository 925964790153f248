"""GET /slurm/v0.0.38/jobs and /job/{job_id}.

Jobs are loaded with SHOW_ALL|SHOW_DETAIL like the reference and written
field for field as it writes them: its key order, its nulls for unset numbers
(NO_VAL, INFINITE ...), "" for NULL strings (null in YAML), its spellings
(including the key `cpu_frequency_minumum` it writes when a minimum CPU
frequency is set) and its quirks (e.g. `cpus_per_task` is null unless a CPU
frequency is set; a negative nice wraps to an unsigned 32-bit number).

A list of thousands of jobs must be fast, so the job's fields are read by
expressions (`Expr`) that the object compiles into a single dict display
reading the C struct inline (no per-field calls or metadata lookups). The
same table declares the OpenAPI schema.
"""
from __future__ import annotations

import re

from .. import slurm, words
from ..errors import ESLURM_REST_INVALID_JOBS_DESC, ApiError, SlurmError
from ..kinds import INF32, NV16, NV32, U16, U32
from ..envelope import response_obj
from ..routes import Operation, Param
from ..schema import (UNSET, Array, Bool, CText, Enum, Expr, Field, Inline, Int, Map, Nullable,
                      Obj, Scalar, Splice, Str, Type)
from ..slurm import ffi, lib
from .reservations import update_time

SHOW_FLAGS = lib.SHOW_ALL | lib.SHOW_DETAIL

Text = CText  # NULL is "" in JSON, null in YAML, as the reference writes it
NInt = Scalar("integer", "int64", nullable=True)
NStr = Scalar("string", nullable=True)
NBool = Scalar("boolean", nullable=True)
NNum = Scalar("number", "double", nullable=True)
StrList = Array(Str)
NStrList = Nullable(StrList)


# ---- names of numbers, as libslurm spells them ----

# slurm_job_reason_string() for enum job_state_reason 0..WAIT_RESV_DELETED;
# any other number is written as the number.
REASONS = (
    "None Priority Dependency Resources PartitionNodeLimit PartitionTimeLimit "
    "PartitionDown PartitionInactive JobHeldAdmin BeginTime Licenses "
    "AssociationJobLimit AssociationResourceLimit AssociationTimeLimit Reservation "
    "ReqNodeNotAvail JobHeldUser FrontEndDown SchedDefer PartitionDown NodeDown "
    "BadConstraints SystemFailure JobLaunchFailure NonZeroExitCode TimeLimit "
    "InactiveLimit InvalidAccount InvalidQOS QOSUsageThreshold QOSJobLimit "
    "QOSResourceLimit QOSTimeLimit BlockMaxError BlockFreeAction Cleaning Prolog "
    "QOSNotAllowed AccountNotAllowed DependencyNeverSatisfied QOSGrpCpuLimit "
    "QOSGrpCPUMinutesLimit QOSGrpCPURunMinutesLimit QOSGrpJobsLimit QOSGrpMemLimit "
    "QOSGrpNodeLimit QOSGrpSubmitJobsLimit QOSGrpWallLimit QOSMaxCpuPerJobLimit "
    "QOSMaxCpuMinutesPerJobLimit QOSMaxNodePerJobLimit QOSMaxWallDurationPerJobLimit "
    "QOSMaxCpuPerUserLimit QOSMaxJobsPerUserLimit QOSMaxNodePerUserLimit "
    "QOSMaxSubmitJobPerUserLimit QOSMinCpuNotSatisfied AssocGrpCpuLimit "
    "AssocGrpCPUMinutesLimit AssocGrpCPURunMinutesLimit AssocGrpJobsLimit "
    "AssocGrpMemLimit AssocGrpNodeLimit AssocGrpSubmitJobsLimit AssocGrpWallLimit "
    "AssocMaxJobsLimit AssocMaxCpuPerJobLimit AssocMaxCpuMinutesPerJobLimit "
    "AssocMaxNodePerJobLimit AssocMaxWallDurationPerJobLimit AssocMaxSubmitJobLimit "
    "JobHoldMaxRequeue JobArrayTaskLimit BurstBufferResources BurstBufferStageIn "
    "BurstBufferOperation PowerNotAvail PowerReserved AssocGrpUnknown "
    "AssocGrpUnknownMinutes AssocGrpUnknownRunMinutes AssocMaxUnknownPerJob "
    "AssocMaxUnknownPerNode AssocMaxUnknownMinutesPerJob AssocMaxCpuPerNode "
    "AssocGrpMemMinutes AssocGrpMemRunMinutes AssocMaxMemPerJob AssocMaxMemPerNode "
    "AssocMaxMemMinutesPerJob AssocGrpNodeMinutes AssocGrpNodeRunMinutes "
    "AssocMaxNodeMinutesPerJob AssocGrpEnergy AssocGrpEnergyMinutes "
    "AssocGrpEnergyRunMinutes AssocMaxEnergyPerJob AssocMaxEnergyPerNode "
    "AssocMaxEnergyMinutesPerJob AssocGrpGRES AssocGrpGRESMinutes "
    "AssocGrpGRESRunMinutes AssocMaxGRESPerJob AssocMaxGRESPerNode "
    "AssocMaxGRESMinutesPerJob AssocGrpLicense AssocGrpLicenseMinutes "
    "AssocGrpLicenseRunMinutes AssocMaxLicensePerJob AssocMaxLicenseMinutesPerJob "
    "AssocGrpBB AssocGrpBBMinutes AssocGrpBBRunMinutes AssocMaxBBPerJob "
    "AssocMaxBBPerNode AssocMaxBBMinutesPerJob QOSGrpUnknown QOSGrpUnknownMinutes "
    "QOSGrpUnknownRunMinutes QOSMaxUnknownPerJob QOSMaxUnknownPerNode "
    "QOSMaxUnknownPerUser QOSMaxUnknownMinutesPerJob QOSMinUnknown QOSMaxCpuPerNode "
    "QOSGrpMemoryMinutes QOSGrpMemoryRunMinutes QOSMaxMemoryMinutesPerJob "
    "QOSMaxMemoryPerJob QOSMaxMemoryPerNode QOSMaxMemoryPerUser QOSMinMemory "
    "QOSGrpEnergy QOSGrpEnergyMinutes QOSGrpEnergyRunMinutes QOSMaxEnergyPerJob "
    "QOSMaxEnergyPerNode QOSMaxEnergyPerUser QOSMaxEnergyMinutesPerJob QOSMinEnergy "
    "QOSGrpNodeMinutes QOSGrpNodeRunMinutes QOSMaxNodeMinutesPerJob QOSMinNode "
    "QOSGrpGRES QOSGrpGRESMinutes QOSGrpGRESRunMinutes QOSMaxGRESPerJob "
    "QOSMaxGRESPerNode QOSMaxGRESPerUser QOSMaxGRESMinutesPerJob QOSMinGRES "
    "QOSGrpLicense QOSGrpLicenseMinutes QOSGrpLicenseRunMinutes QOSMaxLicensePerJob "
    "QOSMaxLicensePerUser QOSMaxLicenseMinutesPerJob QOSMinLicense QOSGrpBB "
    "QOSGrpBBMinutes QOSGrpBBRunMinutes QOSMaxBBPerJob QOSMaxBBPerNode QOSMaxBBPerUser "
    "AssocMaxBBMinutesPerJob QOSMinBB DeadLine MaxBBPerAccount MaxCpuPerAccount "
    "MaxEnergyPerAccount MaxGRESPerAccount MaxNodePerAccount MaxLicensePerAccount "
    "MaxMemoryPerAccount MaxUnknownPerAccount MaxJobsPerAccount "
    "MaxSubmitJobsPerAccount PartitionConfig AccountingPolicy FedJobLock OutOfMemory "
    "MaxMemPerLimit AssocGrpBilling AssocGrpBillingMinutes AssocGrpBillingRunMinutes "
    "AssocMaxBillingPerJob AssocMaxBillingPerNode AssocMaxBillingMinutesPerJob "
    "QOSGrpBilling QOSGrpBillingMinutes QOSGrpBillingRunMinutes QOSMaxBillingPerJob "
    "QOSMaxBillingPerNode QOSMaxBillingPerUser QOSMaxBillingMinutesPerJob "
    "MaxBillingPerAccount QOSMinBilling ReservationDeleted"
).split()


def _libslurm_reasons(limit: int = 1024) -> list[str]:
    """The installed libslurm's names, up to the first number from which it
    names every one alike (its name of an unknown reason)."""
    names = [ffi.string(lib.slurm_job_reason_string(i)).decode() for i in range(limit)]
    return names[:max(i for i, name in enumerate(names) if name != names[-1]) + 1]


if slurm.VERSION >= (24, 11, 0):
    # 24.11 renamed four (33 is RaisedSignal, defunct ones "InvaildReason")
    # and added more: its own names, as its slurmctld numbers them.
    REASONS = _libslurm_reasons()

# slurm_job_state_string(): the first flag that is set, in this order, else the base state.
STATE_FLAGS = (
    (lib.JOB_COMPLETING, "COMPLETING"), (lib.JOB_STAGE_OUT, "STAGE_OUT"),
    (lib.JOB_CONFIGURING, "CONFIGURING"), (lib.JOB_RESIZING, "RESIZING"),
    (lib.JOB_REQUEUE, "REQUEUED"), (lib.JOB_REQUEUE_FED, "REQUEUE_FED"),
    (lib.JOB_REQUEUE_HOLD, "REQUEUE_HOLD"), (lib.JOB_SPECIAL_EXIT, "SPECIAL_EXIT"),
    (lib.JOB_STOPPED, "STOPPED"), (lib.JOB_REVOKED, "REVOKED"),
    (lib.JOB_RESV_DEL_HOLD, "RESV_DEL_HOLD"), (lib.JOB_SIGNALING, "SIGNALING"),
)
BASE_STATES = ("PENDING", "RUNNING", "SUSPENDED", "COMPLETED", "CANCELLED", "FAILED",
               "TIMEOUT", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY")
JOB_STATES = BASE_STATES + tuple(name for _, name in STATE_FLAGS)

_states: dict[int, str] = {}


def job_state_name(state: int) -> str:
    name = _states.get(state)
    if name is None:
        for bit, flag_name in STATE_FLAGS:
            if state & bit:
                name = flag_name
                break
        else:
            base = state & lib.JOB_STATE_BASE
            name = BASE_STATES[base] if base < len(BASE_STATES) else "?"
        _states[state] = name
    return name


JOB_FLAGS = (
    (lib.KILL_INV_DEP, "KILL_INV_DEP"), (lib.NO_KILL_INV_DEP, "NO_KILL_INV_DEP"),
    (lib.HAS_STATE_DIR, "HAS_STATE_DIR"), (lib.BACKFILL_TEST, "BACKFILL_TEST"),
    (lib.GRES_ENFORCE_BIND, "GRES_ENFORCE_BIND"), (lib.TEST_NOW_ONLY, "TEST_NOW_ONLY"),
    (lib.SPREAD_JOB, "SPREAD_JOB"), (lib.USE_MIN_NODES, "USE_MIN_NODES"),
    (lib.JOB_KILL_HURRY, "JOB_KILL_HURRY"), (lib.TRES_STR_CALC, "TRES_STR_CALC"),
    (lib.SIB_JOB_FLUSH, "SIB_JOB_FLUSH"), (lib.HET_JOB_FLAG, "HET_JOB_FLAG"),
    (lib.JOB_CPUS_SET, "JOB_CPUS_SET"), (lib.TOP_PRIO_TMP, "TOP_PRIO_TMP"),
    (lib.JOB_ACCRUE_OVER, "JOB_ACCRUE_OVER"), (lib.GRES_DISABLE_BIND, "GRES_DISABLE_BIND"),
    (lib.JOB_WAS_RUNNING, "JOB_WAS_RUNNING"), (lib.JOB_MEM_SET, "JOB_MEM_SET"),
    # 22.05's flag (24.11 has no such bit)
    *([(lib.JOB_RESIZED, "JOB_RESIZED")] if hasattr(lib, "JOB_RESIZED") else []),
)
SHOW_FLAG_NAMES = (
    (lib.SHOW_ALL, "SHOW_ALL"), (lib.SHOW_DETAIL, "SHOW_DETAIL"), (lib.SHOW_MIXED, "SHOW_MIXED"),
    (lib.SHOW_LOCAL, "SHOW_LOCAL"), (lib.SHOW_SIBLING, "SHOW_SIBLING"),
    (lib.SHOW_FEDERATION, "SHOW_FEDERATION"), (lib.SHOW_FUTURE, "SHOW_FUTURE"),
)
PROFILES = (
    (lib.ACCT_GATHER_PROFILE_ENERGY, "Energy"), (lib.ACCT_GATHER_PROFILE_LUSTRE, "Lustre"),
    (lib.ACCT_GATHER_PROFILE_NETWORK, "Network"), (lib.ACCT_GATHER_PROFILE_TASK, "Task"),
)


def bit_names(table):
    """value -> tuple of names of the bits set, cached (few distinct values occur)."""
    cache: dict[int, tuple] = {}

    def names(value: int) -> tuple:
        found = cache.get(value)
        if found is None:
            found = cache[value] = tuple(n for bit, n in table if value & bit)
        return found
    return cache, names


_flag_cache, _flag_names = bit_names(JOB_FLAGS)
_show_cache, _show_names = bit_names(SHOW_FLAG_NAMES)


def _profile(value: int) -> list[str]:
    names = ["None"] if value == lib.ACCT_GATHER_PROFILE_NONE else []
    return names + [n for bit, n in PROFILES if value & bit]


SHARED = {lib.JOB_SHARED_NONE: "none", lib.JOB_SHARED_OK: "shared",
          lib.JOB_SHARED_USER: "user", lib.JOB_SHARED_MCS: "mcs", slurm.NO_VAL16: None}

def _text(p) -> str:
    return ffi.string(p).decode("utf-8", "replace") if p else UNSET


# ---- job_resources: opaque in <slurm/slurm.h>; read by its 22.05 layout (LP64) ----
# struct job_resources { bitstr_t *core_bitmap; bitstr_t *core_bitmap_used;
#   uint32_t cpu_array_cnt; uint16_t *cpu_array_value; uint32_t *cpu_array_reps;
#   uint16_t *cpus; uint16_t *cpus_used; uint16_t *cores_per_socket; uint16_t cr_type;
#   uint64_t *memory_allocated; uint64_t *memory_used; uint32_t nhosts;
#   bitstr_t *node_bitmap; uint32_t node_req; char *nodes; uint32_t ncpus;
#   uint32_t *sock_core_rep_count; uint16_t *sockets_per_node; ... }
# Word (8-byte) indices of the pointers, 4-byte indices of the counts:
_R_CORE_BITMAP, _R_CORE_BITMAP_USED = 0, 1
_R_CPUS_USED, _R_CORES_PER_SOCKET = 6, 7
_R_MEMORY_ALLOCATED, _R_MEMORY_USED = 9, 10
_R_NHOSTS32 = 22
_R_NODES = 14
_R_NCPUS32 = 30
_R_SOCK_CORE_REP_COUNT, _R_SOCKETS_PER_NODE = 16, 17
# bitstr_t: int64 words; [0] magic, [1] number of bits, then the bits.
_BITSTR_OVERHEAD = 2

_cpu_key: str | None = None


def _allocated_cpu_key() -> str | None:
    """allocated_cores or allocated_cpus, by SelectTypeParameters, as the reference."""
    global _cpu_key
    if _cpu_key is None:
        param = slurm.conf().select_type_param
        _cpu_key = ("allocated_cores" if param & (lib.CR_CORE | lib.CR_SOCKET)
                    else "allocated_cpus" if param & lib.CR_CPU else "")
    return _cpu_key or None


_RANGE = re.compile(r"([^\[]*)\[([^\]]*)\](.*)\Z", re.S)


def expand_hostlist(expr: str) -> list[str]:
    """Host names of a Slurm hostlist expression ("vm,node[01-03,7]-ib")."""
    hosts: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(expr + ","):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif depth <= 0 and ch in ", \t\n":
            if i > start:
                hosts.extend(_expand_one(expr[start:i]))
            start = i + 1
    return hosts


def _expand_one(token: str) -> list[str]:
    m = _RANGE.match(token)
    if not m:
        return [token]
    prefix, ranges, suffix = m.groups()
    out = []
    tails = _expand_one(suffix) if "[" in suffix else [suffix]
    for part in ranges.split(","):
        lo, sep, hi = part.partition("-")
        if not lo.isdigit() or (sep and not hi.isdigit()):
            return [token]
        width = len(lo)
        for n in range(int(lo), int(hi if sep else lo) + 1):
            out.extend(f"{prefix}{n:0{width}d}{t}" for t in tails)
    return out


def _bit_test(bits, i: int) -> bool:
    return bool((bits[_BITSTR_OVERHEAD + (i >> 6)] >> (i & 63)) & 1)


def _allocated_nodes(r, nhosts: int, nodes: str) -> list[dict]:
    """Per node: the allocated cores of each socket (as the reference's _dump_nodes_res)."""
    words = ffi.cast("void **", r)
    cores_per_socket = ffi.cast("uint16_t *", words[_R_CORES_PER_SOCKET])
    if not nhosts or cores_per_socket == ffi.NULL:
        return []
    sockets_per_node = ffi.cast("uint16_t *", words[_R_SOCKETS_PER_NODE])
    rep_count = ffi.cast("uint32_t *", words[_R_SOCK_CORE_REP_COUNT])
    cpus_used = ffi.cast("uint16_t *", words[_R_CPUS_USED])
    mem_used = ffi.cast("uint64_t *", words[_R_MEMORY_USED])
    mem_alloc = ffi.cast("uint64_t *", words[_R_MEMORY_ALLOCATED])
    bitmap = ffi.cast("int64_t *", words[_R_CORE_BITMAP])
    used = ffi.cast("int64_t *", words[_R_CORE_BITMAP_USED])
    size = bitmap[1] if bitmap != ffi.NULL else 0
    has_used = used != ffi.NULL
    names = expand_hostlist(nodes)
    out = []
    bit = sock_inx = sock_reps = 0
    for node in range(nhosts):
        if sock_reps >= rep_count[sock_inx]:
            sock_inx += 1
            sock_reps = 0
        sock_reps += 1
        sockets: dict[str, dict] = {}
        cps = cores_per_socket[sock_inx]
        for i in range(sockets_per_node[sock_inx] * cps):
            if bit >= size:
                break
            if _bit_test(bitmap, bit):
                cores = sockets.setdefault(str(i // cps), {"cores": {}})["cores"]
                cores[str(i % cps)] = ("allocated_and_in_use"
                                       if has_used and _bit_test(used, bit) else "allocated")
            bit += 1
        out.append({
            "sockets": sockets,
            "nodename": names[node] if node < len(names) else UNSET,
            "cpus_used": cpus_used[node] if cpus_used != ffi.NULL else 0,
            "memory_used": mem_used[node] if mem_used != ffi.NULL else 0,
            "memory_allocated": mem_alloc[node] if mem_alloc != ffi.NULL else 0,
        })
    return out


def _resources(r) -> dict:
    counts = ffi.cast("uint32_t *", r)
    nodes = _text(ffi.cast("char **", r)[_R_NODES])
    res = {"nodes": nodes}
    key = _allocated_cpu_key()
    if key:
        res[key] = counts[_R_NCPUS32]
    nhosts = counts[_R_NHOSTS32]
    res["allocated_hosts"] = nhosts
    res["allocated_nodes"] = _allocated_nodes(r, nhosts, nodes)
    return {"job_resources": res}


NODE_ALLOCATION = Obj("node_allocation", [
    Field("sockets", Map(Inline([
        Field("cores", Map(Enum("allocated", "allocated_and_in_use")),
              description="assignment status of each core by core id in each socket"),
    ])), description="assignment status of each socket by numeric socket id"),
    Field("nodename", Text, description="node name"),
    Field("cpus_used", Int, description="CPUs used by job steps on this node"),
    Field("memory_used", Int, description="memory (MB) used by job steps on this node"),
    Field("memory_allocated", Int, description="memory (MB) allocated to the job on this node"),
])
JOB_RESOURCES = Obj("job_resources", [
    Field("nodes", Text, description="list of assigned job nodes"),
    Field("allocated_cores", Int,
          description="number of assigned job cores (SelectTypeParameters CR_Core or CR_Socket)"),
    Field("allocated_cpus", Int,
          description="number of assigned job cpus (SelectTypeParameters CR_CPU)"),
    Field("allocated_hosts", Int, description="number of assigned job hosts"),
    Field("allocated_nodes", Array(NODE_ALLOCATION), description="array of allocated nodes"),
])


def _core_spec(cs: int) -> dict:
    # The reference's branches, keys in its order.
    if cs & lib.CORE_SPEC_THREAD:
        return {"core_spec": cs, "thread_spec": None}
    return {"thread_spec": cs & ~lib.CORE_SPEC_THREAD, "core_spec": None}


# ---- the job: one table for the schema and the compiled reader ----

def S(key: str, desc: str, attr: str | None = None) -> Field:
    """A char*: "" (UNSET) for NULL."""
    return Field(key, Text, Expr(
        f'(_s(_p).decode("utf-8", "replace") if (_p := j.{attr or key}) else U)'), desc)


def I(key: str, desc: str, attr: str | None = None, type: Type = Int) -> Field:
    """A number as it is."""
    return Field(key, type, Expr(f"j.{attr or key}"), desc)


def N(key: str, desc: str, expr: str, type: Type = NInt) -> Field:
    """Anything else: an expression of `j` (the struct)."""
    return Field(key, type, Expr(expr), desc)


JOB_TABLE = [
    S("account", "Charge resources used by this job to specified account"),
    I("accrue_time", "time job is eligible for running"),
    S("admin_comment", "administrator's arbitrary comment"),
    I("array_job_id", "job_id of a job array or 0 if N/A"),
    Field("array_task_id", NV32, "array_task_id", "task_id of a job array"),
    I("array_max_tasks", "Maximum number of running array tasks"),
    S("array_task_string", "string expression of task IDs in this record", "array_task_str"),
    I("association_id", "association id for job", "assoc_id"),
    S("batch_features", "features required for batch script's node"),
    N("batch_flag", "if batch: queued job with script", "j.batch_flag == 1", Bool),
    S("batch_host", "name of host running batch script"),
    N("flags", "Job flags",
      "[*(_fc[_b] if (_b := j.bitflags) in _fc else _fn(_b))]", StrList),
    S("burst_buffer", "burst buffer specifications"),
    S("burst_buffer_state", "burst buffer state info"),
    S("cluster", "name of cluster that the job is on"),
    S("cluster_features", "comma separated list of required cluster features"),
    S("command", "command to be executed"),
    S("comment", "arbitrary comment"),
    S("container", "absolute path to OCI container bundle"),
    N("contiguous", "job requires contiguous nodes",
      "(None if (_v := j.contiguous) == NV16 else _v == 1)", NBool),
    Splice("(_CORE_NULL if (_v := j.core_spec) == NV16 else _core_spec(_v))", [
        Field("core_spec", NInt, description="specialized core count (with the thread flag "
              "0x8000 when it counts threads)"),
        Field("thread_spec", NInt, description="specialized thread count"),
    ]),
    Field("cores_per_socket", NV16, "cores_per_socket", "cores per socket required by job"),
    N("billable_tres", "billable TRES", "(None if (_v := j.billable_tres) == NVF else _v)", NNum),
    N("cpus_per_task", "number of processors required for each task (null unless a CPU "
      "frequency minimum is set, as the reference writes it)",
      "(None if (_fmin := j.cpu_freq_min) == NV else j.cpus_per_task)"),
    Splice('(_FMIN_NULL if _fmin == NV else {"cpu_frequency_minumum": _fmin})', [
        Field("cpu_frequency_minimum", NInt, description="Minimum cpu frequency (null: unset)"),
        Field("cpu_frequency_minumum", Int,
              description="Minimum cpu frequency, when set (the reference's spelling)"),
    ]),
    Field("cpu_frequency_maximum", NV32, "cpu_freq_max", "Maximum cpu frequency"),
    Field("cpu_frequency_governor", NV32, "cpu_freq_gov", "cpu frequency governor"),
    S("cpus_per_tres", "semicolon delimited list of TRES=# values"),
    I("deadline", "job start deadline"),
    Field("delay_boot", NV32, "delay_boot", "delay boot for desired node state"),
    S("dependency", "synchronize job execution with other jobs"),
    I("derived_exit_code", "highest exit code of all job steps", "derived_ec"),
    I("eligible_time", "time job is eligible for running"),
    I("end_time", "time of termination, actual or expected"),
    S("excluded_nodes", "comma separated list of excluded nodes", "exc_nodes"),
    I("exit_code", "exit code for job (status from wait call)"),
    S("features", "comma separated list of required features"),
    S("federation_origin", "Origin cluster's name", "fed_origin_str"),
    S("federation_siblings_active", "string of active sibling names",
      "fed_siblings_active_str"),
    S("federation_siblings_viable", "string of viable sibling names",
      "fed_siblings_viable_str"),
    N("gres_detail", "Details of GRES count/index alloc per node",
      "(_gres(j) if j.gres_detail_cnt else [])", StrList),
    Splice('(_GROUP_NULL if (_v := j.group_id) == NV else '
           '{"group_id": _v, "group_name": _gn[_v]})', [
        Field("group_id", NInt, description="group job submitted as"),
        Field("group_name", NStr, description="group job submitted as (absent when the "
              "group id is unset; null when the group has no name)"),
    ]),
    Field("job_id", NV32, "job_id", "job ID"),
    Splice("(_res(_r) if (_r := _PL and j.job_resrcs) else _E)", [
        Field("job_resources", JOB_RESOURCES,
              description="resources allocated to the job (absent when none)"),
    ]),
    N("job_state", "state of the job", "(_st[_v] if (_v := j.job_state) in _st else _state(_v))",
      Enum(*JOB_STATES)),
    I("last_sched_evaluation", "last time job was evaluated for scheduling", "last_sched_eval"),
    S("licenses", "licenses required by the job"),
    Field("max_cpus", NV32, "max_cpus", "maximum number of cpus usable by job"),
    Field("max_nodes", NV32, "max_nodes", "maximum number of nodes usable by job"),
    S("mcs_label", "mcs_label if mcs plugin in use"),
    S("memory_per_tres", "semicolon delimited list of TRES=# values", "mem_per_tres"),
    S("name", "name of the job"),
    S("nodes", "list of nodes allocated to job"),
    N("nice", "requested priority change (a negative change reads as an unsigned 32-bit "
      "number, as the reference writes it)",
      "(None if (_v := j.nice) == NV or _v == NICE else (_v - NICE) & 0xFFFFFFFF)"),
    Field("tasks_per_core", U16, "ntasks_per_core", "number of tasks to invoke on each core"),
    I("tasks_per_node", "number of tasks to invoke on each node", "ntasks_per_node"),
    Field("tasks_per_socket", U16, "ntasks_per_socket",
          "number of tasks to invoke on each socket"),
    I("tasks_per_board", "number of tasks to invoke on each board", "ntasks_per_board"),
    N("cpus", "minimum number of cpus required by job",
      "(j.num_cpus if (_nt := j.num_tasks) != NV and _nt != INF else None)"),
    I("node_count", "minimum number of nodes required by job", "num_nodes"),
    N("tasks", "requested task count", "(_nt if _nt != NV and _nt != INF else None)"),
    I("het_job_id", "job ID of hetjob leader"),
    S("het_job_id_set", "job IDs for all components"),
    I("het_job_offset", "HetJob component offset from leader"),
    S("partition", "name of assigned partition"),
    S("prefer", "comma separated list of soft features"),
    N("memory_per_node", "minimum real memory per node",
      "(None if (_m := j.pn_min_memory) & MPC else (_m or None))"),
    N("memory_per_cpu", "minimum real memory per cpu", "((_m & M63) if _m & MPC else None)"),
    I("minimum_cpus_per_node", "minimum # CPUs per node", "pn_min_cpus"),
    I("minimum_tmp_disk_per_node", "minimum tmp disk per node", "pn_min_tmp_disk"),
    I("preempt_time", "preemption signal time"),
    I("pre_sus_time", "time job ran prior to last suspend"),
    Field("priority", U32, "priority", "relative priority of the job"),
    N("profile", "Job profiling requested", "(None if (_v := j.profile) == 0 else _profile(_v))",
      NStrList),
    S("qos", "Quality of Service"),
    N("reboot", "node reboot requested before start", "j.reboot != 0", Bool),
    S("required_nodes", "comma separated list of required nodes", "req_nodes"),
    N("requeue", "enable or disable job requeue option", "j.requeue != 0", Bool),
    I("resize_time", "time of latest size change"),
    I("restart_cnt", "count of job restarts"),
    S("resv_name", "reservation name"),
    N("shared", "type and if job can share nodes with other jobs",
      "_shared.get(_v := j.shared, _v)", Scalar("string", enum=["none", "shared", "user", "mcs", None],
                                                 nullable=True)),
    N("show_flags", "details requested",
      "[*(_sc[_v] if (_v := j.show_flags) in _sc else _sn(_v))]"
      if slurm.declared("slurm_job_info_t", "show_flags") else "[]", StrList),  # 24.11: none kept
    I("sockets_per_board", "sockets per board required by job"),
    Field("sockets_per_node", NV16, "sockets_per_node", "sockets per node required by job"),
    I("start_time", "time execution begins, actual or expected"),
    S("state_description", "optional details for state_reason", "state_desc"),
    N("state_reason", "reason job still pending or failed",
      "(_rs[_v] if (_v := j.state_reason) < _nrs else str(_v))", Str),
    S("standard_error", "pathname of job's stderr file", "std_err"),
    S("standard_input", "pathname of job's stdin file", "std_in"),
    S("standard_output", "pathname of job's stdout file", "std_out"),
    I("submit_time", "time of job submission"),
    I("suspend_time", "time job last suspended or resumed"),
    S("system_comment", "slurmctld's arbitrary comment"),
    Field("time_limit", INF32, "time_limit", "maximum run time in minutes (null: INFINITE)"),
    Field("time_minimum", INF32, "time_min", "minimum run time in minutes (null: INFINITE)"),
    Field("threads_per_core", NV16, "threads_per_core", "threads per core required by job"),
    S("tres_bind", "Task to TRES binding directives"),
    S("tres_freq", "TRES frequency directives"),
    S("tres_per_job", "semicolon delimited list of TRES=# values"),
    S("tres_per_node", "semicolon delimited list of TRES=# values"),
    S("tres_per_socket", "semicolon delimited list of TRES=# values"),
    S("tres_per_task", "semicolon delimited list of TRES=# values"),
    S("tres_req_str", "tres requested in the job"),
    S("tres_alloc_str", "tres used in the job"),
    N("user_id", "user id the job runs as", "(_uid := j.user_id)", Int),
    N("user_name", "user the job runs as",
      '(_s(_p).decode("utf-8", "replace") if (_p := j.user_name) '
      'else _un[_uid])', NStr),
    S("wckey", "wckey for job"),
    S("current_working_directory", "pathname of working directory", "work_dir"),
]


def _gres(j) -> list[str]:
    arr = j.gres_detail_str
    return [_text(arr[i]) for i in range(j.gres_detail_cnt)]


_GLOBALS = {
    "_s": ffi.string, "U": UNSET, "_E": {},
    "NV": slurm.NO_VAL, "NV16": slurm.NO_VAL16, "INF": slurm.INFINITE,
    "INF16": slurm.INFINITE16, "NVF": float(slurm.NO_VAL), "NICE": lib.NICE_OFFSET,
    "MPC": lib.MEM_PER_CPU, "M63": lib.MEM_PER_CPU - 1,
    "_fc": _flag_cache, "_fn": _flag_names, "_sc": _show_cache, "_sn": _show_names,
    "_st": _states, "_state": job_state_name, "_rs": tuple(REASONS), "_nrs": len(REASONS),
    "_shared": SHARED, "_profile": _profile, "_gres": _gres, "_res": _resources,
    "_core_spec": _core_spec, "_CORE_NULL": {"core_spec": None, "thread_spec": None},
    "_FMIN_NULL": {"cpu_frequency_minimum": None}, "_GROUP_NULL": {"group_id": None},
    "_gn": slurm.group_or_null, "_un": slurm.user_or_null,
    # job_resources read by 22.05's layout; unset where there is none to read by
    "_PL": slurm.PRIVATE_LAYOUTS,
}


JOB = Obj("job_response_properties", JOB_TABLE, names=_GLOBALS)

# ---- handlers ----

def _load(call: str, loader):
    return slurm.load(call, lib.slurm_free_job_info_msg, "job_info_msg_t", loader)


def job_id_text(value: str) -> str:
    """A {job_id} path segment as the reference hands it to slurm_xlate_job_id:
    typed by its look (YAML 1.1 style), then back to a string: yes/true/on...
    as "true", no/false/off... as "false", integers saturated to 64 bits,
    decimals rounded as lrint does."""
    if words.TRUE.match(value):
        return "true"
    if words.FALSE.match(value):
        return "false"
    number = words.rounded(value)
    return value if number is None else str(number)


_LONG = re.compile(rb"[ \t\n\v\f\r]*[+-]?[0-9]+")  # what strtol reads


def _strtol(text: bytes, pos: int, bits: int) -> tuple[int, int]:
    """strtol(text + pos) cast to an unsigned `bits`-bit integer, and where it stopped."""
    m = _LONG.match(text, pos)
    if not m:
        return 0, pos
    return max(-(1 << 63), min(int(m.group()), (1 << 63) - 1)) & ((1 << bits) - 1), m.end()


def _xlate(text: bytes) -> int:
    """slurm_xlate_job_id, or its reading where libslurm has none (24.11):
    "N"; "N_T", array task T's own job id (asked of slurmctld); "N+C", N + C;
    0 for anything else."""
    if hasattr(lib, "slurm_xlate_job_id"):
        return lib.slurm_xlate_job_id(text)
    job_id, end = _strtol(text, 0, 32)
    if end == len(text):
        return job_id
    if text[end:end + 1] == b"+":
        offset, end = _strtol(text, end + 1, 16)
        return (job_id + offset) & 0xFFFFFFFF if end == len(text) else 0
    if text[end:end + 1] != b"_":
        return 0
    task, end = _strtol(text, end + 1, 16)
    if end != len(text):
        return 0
    try:
        buf = _load("slurm_load_job", lambda out: lib.slurm_load_job(out, job_id, lib.SHOW_ALL))
    except SlurmError:
        return 0
    try:
        return next((j.job_id for j in (buf.job_array[i] for i in range(buf.record_count))
                     if j.array_task_id == task), 0)
    finally:
        lib.slurm_free_job_info_msg(buf)


def xlate_job_id(value: str) -> tuple[int, str]:
    """A {job_id} path segment as slurm_xlate_job_id reads it, and its text;
    a 400 when it names no job id."""
    text = job_id_text(value)
    slurm.init()
    job_id = _xlate(text.encode("utf-8", "surrogateescape"))
    if not job_id:
        raise ApiError(400, ESLURM_REST_INVALID_JOBS_DESC, "_handle_job_get",
                       f"Unable to find JobId={text}", payload={})
    return job_id, text


JOB_ID = Param("job_id", "path", Str, "Slurm JobID", True)


def job_operations(job: Obj = JOB, since=update_time, job_id=xlate_job_id,
                   id_param: Param = JOB_ID) -> list[Operation]:
    """GET /jobs and /job/{job_id} answered with `job`; `since` reads
    update_time (None: the version has none), `job_id` the path's job id."""
    def stream(msg):
        return slurm.stream(msg, lib.slurm_free_job_info_msg, msg.job_array, msg.record_count,
                            job.reader())

    def get_jobs(call):
        t = since(call) if since else 0
        try:
            msg = _load("slurm_load_jobs", lambda out: lib.slurm_load_jobs(t, out, SHOW_FLAGS))
        except SlurmError as e:
            e.description = "Failed while looking for jobs"
            raise
        return {"jobs": stream(msg)}

    def get_job(call):
        number, text = job_id(call.params["job_id"])
        try:
            msg = _load("slurm_load_job",
                        lambda out: lib.slurm_load_job(out, number, SHOW_FLAGS))
        except SlurmError as e:
            e.description = f"Unable to find JobId={text}"
            raise
        return {"jobs": stream(msg)}

    response = response_obj("jobs_response", [
        Field("jobs", Array(job), description="job descriptions"),
    ])
    return [
        Operation("GET", "jobs", "get_jobs", "get list of jobs",
                  "slurm", get_jobs, response,
                  [Param("update_time", "query", Int,
                         "Filter if changed since update_time. Use of this parameter can "
                         "result in faster replies.")] if since else []),
        Operation("GET", "job/{job_id}", "get_job", "get job info",
                  "slurm", get_job, response, [id_param]),
    ]


OPERATIONS = job_operations()
