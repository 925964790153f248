"""GET /slurm/v0.0.38/partitions and /partition/{partition_name}.

Both load every partition with SHOW_ALL (update_time applies to both: a
single partition answers 304 when no partition changed); the single one is
picked by name, case-insensitively, as the reference does.
"""
from __future__ import annotations

from .. import slurm
from ..envelope import response_obj
from ..errors import ESLURM_INVALID_PARTITION_NAME, SlurmError
from ..routes import Operation, Param
from ..schema import Array, Field, Int, Obj, Scalar, Str
from ..slurm import lib
from .nodes import UPDATE_TIME, Text
from .reservations import named, update_time

NO_VAL = slurm.NO_VAL
INFINITE = slurm.INFINITE
NO_VAL16 = slurm.NO_VAL16
NO_VAL64 = slurm.NO_VAL64
MEM_PER_CPU = lib.MEM_PER_CPU

NullInt = Scalar("integer", "int64", nullable=True)

FLAG_NAMES = (
    (lib.PART_FLAG_DEFAULT, "default"),
    (lib.PART_FLAG_HIDDEN, "hidden"),
    (lib.PART_FLAG_NO_ROOT, "no_root"),
    (lib.PART_FLAG_ROOT_ONLY, "root_only"),
    (lib.PART_FLAG_REQ_RESV, "reservation_required"),
    (lib.PART_FLAG_LLN, "least_loaded_nodes"),
    (lib.PART_FLAG_EXCLUSIVE_USER, "exclusive_user"),
)
PREEMPT_NAMES = (
    (lib.PREEMPT_MODE_SUSPEND, "suspend"),
    (lib.PREEMPT_MODE_REQUEUE, "requeue"),
    (lib.PREEMPT_MODE_GANG, "gang_schedule"),
    (lib.PREEMPT_MODE_WITHIN, "within"),
)
STATES = {
    lib.PARTITION_UP: "UP",
    lib.PARTITION_DOWN: "DOWN",
    lib.PARTITION_INACTIVE: "INACTIVE",
    lib.PARTITION_DRAIN: "DRAIN",
}


def _flags(p) -> list[str]:
    f = p.flags
    return [name for bit, name in FLAG_NAMES if f & bit]


def preemption_reader(table):
    """A reader of the preemption mode named by `table` (each version has its own)."""
    def preemption(p) -> list[str]:
        mode = p.preempt_mode
        if mode == lib.PREEMPT_MODE_OFF or mode == NO_VAL16:
            return ["disabled"]
        return [name for bit, name in table if mode & bit]
    return preemption


def _limit(attr: str, no_val_is_null: bool):
    """A uint32 limit: INFINITE is -1; NO_VAL is null or, where the reference
    does not check for it, 4294967294."""
    def read(p):
        v = getattr(p, attr)
        if v == INFINITE:
            return -1
        if no_val_is_null and v == NO_VAL:
            return None
        return v
    return read


def _memory(attr: str, per_cpu: bool):
    """One half of a memory limit: the value has the MEM_PER_CPU bit for a
    per-CPU limit, none for a per-node one; 0 and NO_VAL64 are unset (null)."""
    def read(p):
        v = getattr(p, attr)
        amount = v & ~MEM_PER_CPU
        if v == NO_VAL64 or not amount or bool(v & MEM_PER_CPU) != per_cpu:
            return None
        return amount
    return read


def _default_time(p):
    # Unlike the other limits, the reference writes INFINITE as is here.
    v = p.default_time
    return None if v == NO_VAL else v


def _over_time(p):
    v = p.over_time_limit
    return None if v == NO_VAL16 else v


# Every key in the reference's order (its spelling "min nodes per job" included).
PARTITION = Obj("partition", [
    Field("flags", Array(Str), _flags, "partition options"),
    Field("preemption_mode", Array(Str), preemption_reader(PREEMPT_NAMES), "preemption type"),
    Field("allowed_allocation_nodes", Text, "allow_alloc_nodes",
          "list names of allowed allocating nodes"),
    Field("allowed_accounts", Text, "allow_accounts", "comma delimited list of accounts"),
    Field("allowed_groups", Text, "allow_groups", "comma delimited list of groups"),
    Field("allowed_qos", Text, "allow_qos", "comma delimited list of qos"),
    Field("alternative", Text, "alternate", "name of alternate partition"),
    Field("billing_weights", Text, "billing_weights_str", "TRES billing weights"),
    Field("default_memory_per_cpu", NullInt, _memory("def_mem_per_cpu", True),
          "default MB memory per allocated CPU"),
    Field("default_memory_per_node", NullInt, _memory("def_mem_per_cpu", False),
          "default MB memory per allocated node"),
    Field("default_time_limit", NullInt, _default_time,
          "default time limit (minutes; unlimited: 4294967295)"),
    Field("denied_accounts", Text, "deny_accounts", "comma delimited list of denied accounts"),
    Field("denied_qos", Text, "deny_qos", "comma delimited list of denied qos"),
    Field("preemption_grace_time", Int, "grace_time", "preemption grace time (seconds)"),
    Field("maximum_cpus_per_node", NullInt, _limit("max_cpus_per_node", True),
          "maximum allocated CPUs per node (-1: unlimited)"),
    Field("maximum_memory_per_cpu", NullInt, _memory("max_mem_per_cpu", True),
          "maximum memory per allocated CPU (MiB)"),
    Field("maximum_memory_per_node", NullInt, _memory("max_mem_per_cpu", False),
          "maximum memory per allocated node (MiB)"),
    Field("maximum_nodes_per_job", Int, _limit("max_nodes", False),
          "Max nodes per job (-1: unlimited)"),
    Field("max_time_limit", Int, _limit("max_time", False),
          "Max time limit per job (minutes; -1: unlimited)"),
    Field("min nodes per job", Int, "min_nodes", "Min number of nodes per job"),
    Field("name", Text, description="Partition name"),
    Field("nodes", Text, description="list names of nodes in partition"),
    Field("over_time_limit", NullInt, _over_time,
          "job's time limit can be exceeded by this number of minutes before cancellation"),
    Field("priority_job_factor", Int, description="job priority weight factor"),
    Field("priority_tier", Int, description="tier for scheduling and preemption"),
    Field("qos", Text, "qos_char", "partition QOS name"),
    Field("state", Scalar("string", enum=("UP", "DOWN", "INACTIVE", "DRAIN", "UNKNOWN")),
          lambda p: STATES.get(p.state_up, "UNKNOWN"), "Partition state"),
    Field("total_cpus", Int, description="Total cpus in partition"),
    Field("total_nodes", Int, description="Total number of nodes in partition"),
    Field("tres", Text, "tres_fmt_str", "configured TRES in partition"),
])
def _load(since: int):
    """The partitions buffer (SlurmError "no change" when none changed since `since`)."""
    return slurm.load("slurm_load_partitions", lib.slurm_free_partition_info_msg,
                      "partition_info_msg_t",
                      lambda out: lib.slurm_load_partitions(since, out, lib.SHOW_ALL))


def _invalid():
    return SlurmError(ESLURM_INVALID_PARTITION_NAME, "slurm_load_partitions")


def partition_operations(partition: Obj = PARTITION, since=update_time) -> list[Operation]:
    """GET /partitions and /partition/{name} answered with `partition`;
    `since` reads update_time (None: the version has none)."""
    read = partition.read

    def get_partitions(call):
        msg = _load(since(call) if since else 0)
        if msg.record_count == 0:
            lib.slurm_free_partition_info_msg(msg)
            raise _invalid()
        return {"partitions": slurm.stream(msg, lib.slurm_free_partition_info_msg,
                                           msg.partition_array, msg.record_count, read)}

    def get_partition(call):
        msg = _load(since(call) if since else 0)
        found = named(msg, msg.partition_array, call.params["partition_name"], read,
                      lib.slurm_free_partition_info_msg)
        if not found:
            raise _invalid()
        return {"partitions": found}

    response = response_obj("partitions_response", [
        Field("partitions", Array(partition), description="partition info"),
    ])
    one_since = [Param("update_time", "query", Int,
                       "Filter if there were no partition changes (not limited to partition "
                       "in URL endpoint) since update_time.")] if since else []
    return [
        Operation("GET", "partitions", "get_partitions", "get all partition info", "slurm",
                  get_partitions, response, [UPDATE_TIME] if since else [], errors="errno"),
        Operation("GET", "partition/{partition_name}",
                  "get_partition", "get partition info", "slurm", get_partition,
                  response,
                  [Param("partition_name", "path", Str, "Slurm Partition Name", True),
                   *one_since], errors="errno"),
    ]


OPERATIONS = partition_operations()
