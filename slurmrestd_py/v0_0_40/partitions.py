"""GET /slurm/v0.0.40/partitions/ and /partition/{partition_name}.

v0.0.38's partition, its keys nested as Slurm 24.11 writes them, its limits
as number objects, and what 24.11 adds read from the fields 22.05's
partition_info_t already has. 22.05 has no MaxCPUsPerSocket: that limit
reads unlimited, as an unset one does in 24.11.
"""
from __future__ import annotations

from .. import slurm
from ..envelope import response_40
from ..errors import ESLURM_REST_INVALID_QUERY, ApiError
from ..kinds import NUMBER_OBJECTS, U16, U32, U64, flag_list
from ..routes import Operation, Param
from ..schema import ArrayOf, Field, Scalar, Str
from ..slurm import lib
from ..v0_0_38 import partitions as v38
from ..v0_0_38.reservations import named
from . import query

_INT32 = Scalar("integer", "int32")
U32_OBJ, U64_OBJ = NUMBER_OBJECTS[U32], NUMBER_OBJECTS[U64]
NO_VAL64 = slurm.NO_VAL64
MEM_PER_CPU = lib.MEM_PER_CPU


# Each state equals the whole value.
STATES, _states = flag_list("partition_states", tuple(
    (name, 0xFFFF, value) for name, value in (
        ("INACTIVE", lib.PARTITION_INACTIVE), ("UNKNOWN", slurm.NO_VAL16),
        ("UP", lib.PARTITION_UP), ("DOWN", lib.PARTITION_DOWN),
        ("DRAIN", lib.PARTITION_DRAIN))))
OVERSUBSCRIBE, _oversubscribe = flag_list("oversubscribe_flags", (
    ("force", lib.SHARED_FORCE, lib.SHARED_FORCE),))


def _memory(attr: str, per_cpu: bool):
    """One half of a memory limit as a number object: the value with the
    MEM_PER_CPU bit is per CPU, without it per node; the other half is unset."""
    number = U64_OBJ.converter()

    def read(p):
        v = getattr(p, attr)
        if bool(v & MEM_PER_CPU) != per_cpu:
            return number(NO_VAL64)
        return number(v & ~MEM_PER_CPU if per_cpu else v)
    return read


def _raw_memory(attr: str):
    """The whole memory limit, MEM_PER_CPU bit included, as a signed integer
    (that is how the reference writes it); NO_VAL64 and INFINITE64 are null."""
    def read(p):
        v = getattr(p, attr)
        if v >= NO_VAL64:
            return None
        return v - (1 << 64) if v >= 1 << 63 else v
    return read


_UNLIMITED = U32_OBJ.converter()(slurm.INFINITE)
_Memory = Scalar("integer", "int64", nullable=True)

PARTITION = v38.PARTITION.derive(
    name="partition_info",
    drop=("flags", "preemption_mode"),
    rename={
        "allowed_allocation_nodes": "nodes/allowed_allocation",
        "allowed_accounts": "accounts/allowed",
        "allowed_groups": "groups/allowed",
        "allowed_qos": "qos/allowed",
        "alternative": "alternate",
        "billing_weights": "tres/billing_weights",
        "denied_accounts": "accounts/deny",
        "denied_qos": "qos/deny",
        "nodes": "nodes/configured",
        "qos": "qos/assigned",
        "tres": "tres/configured",
    },
    replace={
        "default_memory_per_cpu": Field("defaults/memory_per_cpu", _Memory,
                                        _raw_memory("def_mem_per_cpu"),
                                        "DefMemPerCPU or DefMemPerNode"),
        "default_memory_per_node": Field("defaults/partition_memory_per_node", U64_OBJ,
                                         _memory("def_mem_per_cpu", False), "DefMemPerNode"),
        "default_time_limit": Field("defaults/time", U32, "default_time",
                                    "DefaultTime in minutes"),
        "preemption_grace_time": Field("grace_time", _INT32, description="GraceTime"),
        "maximum_cpus_per_node": Field("maximums/cpus_per_node", U32, "max_cpus_per_node",
                                       "MaxCPUsPerNode"),
        "maximum_memory_per_cpu": Field("maximums/memory_per_cpu", _Memory,
                                        _raw_memory("max_mem_per_cpu"),
                                        "MaxMemPerCPU or MaxMemPerNode"),
        "maximum_memory_per_node": Field("maximums/partition_memory_per_node", U64_OBJ,
                                         _memory("max_mem_per_cpu", False), "MaxMemPerNode"),
        "maximum_nodes_per_job": Field("maximums/nodes", U32, "max_nodes", "MaxNodes"),
        "max_time_limit": Field("maximums/time", U32, "max_time", "MaxTime"),
        "min nodes per job": Field("minimums/nodes", _INT32, "min_nodes", "MinNodes"),
        "over_time_limit": Field("maximums/over_time_limit", U16, "over_time_limit",
                                 "OverTimeLimit"),
        "priority_job_factor": Field("priority/job_factor", _INT32, "priority_job_factor",
                                     "PriorityJobFactor"),
        "priority_tier": Field("priority/tier", _INT32, "priority_tier", "PriorityTier"),
        "state": Field("partition/state", STATES, lambda p: _states(p.state_up),
                       "Current state(s)"),
        "total_cpus": Field("cpus/total", _INT32, "total_cpus", "TotalCPUs"),
        "total_nodes": Field("nodes/total", _INT32, "total_nodes", "TotalNodes"),
    },
    add=[
        ("tres/billing_weights", Field("cluster", v38.Text, "cluster_name", "Cluster name")),
        ("cluster", Field("cpus/task_binding", _INT32, "cpu_bind", "CpuBind")),
        ("defaults/memory_per_cpu", Field("defaults/partition_memory_per_cpu", U64_OBJ,
                                          _memory("def_mem_per_cpu", True), "DefMemPerCPU")),
        ("grace_time", Field("defaults/job", v38.Text, "job_defaults_str", "JobDefaults")),
        ("maximums/cpus_per_node", Field("maximums/cpus_per_socket", U32_OBJ,
                                         lambda p: _UNLIMITED, "MaxCPUsPerSocket")),
        ("maximums/memory_per_cpu", Field("maximums/partition_memory_per_cpu", U64_OBJ,
                                          _memory("max_mem_per_cpu", True), "MaxMemPerCPU")),
        ("maximums/nodes", Field("maximums/shares", _INT32, "max_share", "OverSubscribe")),
        ("maximums/shares", Field("maximums/oversubscribe/jobs", _INT32,
                                  lambda p: p.max_share & ~lib.SHARED_FORCE,
                                  "Maximum number of jobs allowed to oversubscribe resources")),
        ("maximums/oversubscribe/jobs", Field(
            "maximums/oversubscribe/flags", OVERSUBSCRIBE, lambda p: _oversubscribe(p.max_share),
            "Flags applicable to the OverSubscribe setting")),
        ("nodes/configured", Field("node_sets", v38.Text, "nodesets", "NodeSets")),
        ("qos/assigned", Field("timeouts/resume", U16, "resume_timeout",
                               "ResumeTimeout (GLOBAL if both set and infinite are false)")),
        ("partition/state", Field("suspend_time", U32, "suspend_time",
                                  "SuspendTime (GLOBAL if both set and infinite are false)")),
        ("suspend_time", Field("timeouts/suspend", U16, "suspend_timeout",
                               "SuspendTimeout (GLOBAL if both set and infinite are false)")),
    ],
    dialect=NUMBER_OBJECTS)


def _load(since: int, flags: int):
    return slurm.load("slurm_load_partitions", lib.slurm_free_partition_info_msg,
                      "partition_info_msg_t",
                      lambda out: lib.slurm_load_partitions(since, out, flags))


def partition_operations(partition, update_time: str, typed: bool = False) -> list[Operation]:
    """GET partitions/ and partition/{partition_name} answered with
    `partition`; `update_time` describes that parameter, `typed` says how
    it is read (query.timestamp)."""
    read = partition.read
    last_update = U64_OBJ.converter()
    response = response_40("openapi_partition_resp", [
        Field("partitions", ArrayOf("partition_info_msg", partition),
              description="List of partitions"),
        Field("last_update", U64_OBJ,
              description="Time of last partition change (UNIX timestamp)"),
    ])

    def get_partitions(call):
        since, flags, errors = query.read(call, "op_handler_partitions", typed)
        msg = _load(since, flags)
        return query.answer({
            "partitions": slurm.stream(msg, lib.slurm_free_partition_info_msg,
                                       msg.partition_array, msg.record_count, read),
            "last_update": last_update(msg.last_update)}, errors)

    def get_partition(call):
        since, flags, errors = query.read(call, "op_handler_partition", typed)
        msg = _load(since, flags or lib.SHOW_ALL)
        stamp = last_update(msg.last_update)
        wanted = call.params["partition_name"]
        found = named(msg, msg.partition_array, wanted, read, lib.slurm_free_partition_info_msg)
        if not found:
            raise ApiError(422, ESLURM_REST_INVALID_QUERY, "op_handler_partition",
                           f"Unable to find partition {wanted}", payload={})
        # Two partitions may differ only by case: the first is the one.
        return query.answer({"partitions": found[:1], "last_update": stamp}, errors)

    params = [query.update_time_param(update_time), query.FLAGS]
    return [
        Operation("GET", "partitions/", "get_partitions", "get all partition info", "slurm",
                  get_partitions, response, params),
        Operation("GET", "partition/{partition_name}", "get_partition", "get partition info",
                  "slurm", get_partition, response,
                  [Param("partition_name", "path", Str, "Partition name", True), *params]),
    ]


OPERATIONS = partition_operations(PARTITION, "Filter partitions since update timestamp")
