"""GET /slurm/v0.0.42/licenses/ and /diag/: v0.0.40's, with the statistics
of Slurm 24.11's v0.0.41 and v0.0.42 (more sums, the exit reasons moved,
RPC records of their own, pending RPCs); /ping/ is in ping.py."""
from __future__ import annotations

from types import SimpleNamespace

from .. import slurm
from ..kinds import NUMBER_OBJECTS, U64, USER
from ..schema import ArrayOf, Field, Int, Obj, Scalar, Str
from ..slurm import NO_VAL64
from ..v0_0_40 import diag
from ..v0_0_40.diag import lacking

_INT32 = Scalar("integer", "int32")


def _rpc_name(r) -> str:
    from ..slurm.rpc_names import rpc_name
    return rpc_name(r.id)


_TYPE_ID = Field("type_id", _INT32, "id", "Message type as integer")
_MESSAGE_TYPE = Field("message_type", Str, _rpc_name, "Message type as string")
_TOTAL_TIME = Field("total_time", Int, "time", "Total time spent processing RPC in seconds")
_AVERAGE_TIME = Field("average_time", U64, description="Average time spent processing RPC "
                                                       "in seconds")


def _record(name: str, fields: list[Field]) -> Obj:
    # Every key required, as the reference declares them.
    return Obj(name, fields, required=[f.key for f in fields], dialect=NUMBER_OBJECTS)


# 22.05 has no RPC queue (rpc_queue_enabled): queued, dropped and the cycles read 0.
RPC_TYPE = _record("stats_msg_rpc_type", [
    _TYPE_ID, _MESSAGE_TYPE,
    Field("count", _INT32, description="Number of RPCs received"),
    Field("queued", _INT32, lacking, "Number of RPCs queued"),
    Field("dropped", Int, lacking, "Number of RPCs dropped"),
    Field("cycle_last", _INT32, lacking,
          "Number of RPCs processed within the last RPC queue cycle"),
    Field("cycle_max", _INT32, lacking,
          "Maximum number of RPCs processed within a RPC queue cycle since start"),
    _TOTAL_TIME, _AVERAGE_TIME,
])
RPC_USER = _record("stats_msg_rpc_user", [
    Field("user_id", _INT32, "id", "User ID (numeric)"),
    Field("user", USER, "id", "User name"),
    Field("count", _INT32, description="Number of RPCs received"),
    _TOTAL_TIME, _AVERAGE_TIME,
])
RPC_QUEUE = _record("stats_msg_rpc_queue", [
    _TYPE_ID, _MESSAGE_TYPE, Field("count", _INT32, description="Number of pending RPCs queued"),
])
RPC_DUMP = _record("stats_msg_rpc_dump", [
    _TYPE_ID, _MESSAGE_TYPE,
    Field("count", ArrayOf("hostlist_string", Str), lambda r: slurm.hostnames(r.hostlist),
          "Number of RPCs received"),
])


def _timed(prefix: str, read: Obj):
    """A reader of the RPC records of `prefix` ("rpc_type", "rpc_user"): their
    mean time is unset where no time or no call was counted."""
    def rpcs(s) -> list[dict]:
        ids, counts, times = (getattr(s, f"{prefix}_{a}") for a in ("id", "cnt", "time"))
        out = []
        for i in range(getattr(s, f"{prefix}_size")):
            count, time = counts[i], times[i]
            out.append(read.read(SimpleNamespace(
                id=ids[i], count=count, time=time,
                average_time=time // count if time > 0 and count > 0 else NO_VAL64)))
        return out
    return rpcs


def _pending(s) -> list[dict]:
    return [RPC_QUEUE.read(SimpleNamespace(id=s.rpc_queue_type_id[i],
                                           count=s.rpc_queue_count[i]))
            for i in range(s.rpc_queue_type_count)]


def _pending_hosts(s) -> list[dict]:
    return [RPC_DUMP.read(SimpleNamespace(id=s.rpc_dump_types[i],
                                          hostlist=s.rpc_dump_hostlist[i]))
            for i in range(s.rpc_dump_count)]


_EXITS = {f.key: f for f in (diag.SCHEDULE_EXIT, diag.BF_EXIT)}
STATISTICS = diag.STATISTICS.derive(
    drop=["schedule_exit", "bf_exit", "rpcs_by_message_type", "rpcs_by_user"],
    add=[
        ("schedule_cycle_last", Field("schedule_cycle_sum", _INT32, description="Total run "
                                      "time in microseconds for all scheduling cycles since "
                                      "last reset")),
        ("schedule_cycle_per_minute", Field("schedule_cycle_depth", _INT32, description="Total "
                                            "number of jobs processed in scheduling cycles")),
        ("schedule_cycle_depth", _EXITS["schedule_exit"]),
        ("bf_cycle_last", Field("bf_cycle_max", _INT32, description="Execution time in "
                                "microseconds of longest backfill scheduling cycle")),
        ("bf_cycle_max", _EXITS["bf_exit"]),
        ("bf_table_size", Field("bf_table_size_sum", _INT32, description="Total number of "
                                "different time slots tested by the backfill scheduler")),
        ("bf_active", Field("rpcs_by_message_type", ArrayOf("stats_msg_rpcs_by_type", RPC_TYPE),
                            _timed("rpc_type", RPC_TYPE),
                            "Most frequently issued remote procedure calls (RPCs)")),
        ("rpcs_by_message_type", Field("rpcs_by_user",
                                       ArrayOf("stats_msg_rpcs_by_user", RPC_USER),
                                       _timed("rpc_user", RPC_USER), "RPCs issued by user ID")),
        ("rpcs_by_user", Field("pending_rpcs", ArrayOf("stats_msg_rpcs_queue", RPC_QUEUE),
                               _pending, "Pending RPC statistics")),
        ("pending_rpcs", Field("pending_rpcs_by_hostlist",
                               ArrayOf("stats_msg_rpcs_dump", RPC_DUMP), _pending_hosts,
                               "Pending RPCs hostlists")),
    ])
DIAG_OPERATION = diag.diag_operation(STATISTICS)
OPERATIONS = [DIAG_OPERATION, diag.LICENSES_OPERATION]
