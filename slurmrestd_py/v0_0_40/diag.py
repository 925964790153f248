"""GET /slurm/v0.0.40/licenses/ (v0.0.41 serves the same) and /diag/
(v0.0.38's statistics as Slurm 24.11's v0.0.40 writes them); /ping/ is in
ping.py."""
from __future__ import annotations

from .. import slurm
from ..envelope import response_40
from ..errors import ApiError, SlurmError
from ..kinds import NUMBER_OBJECTS, U64
from ..routes import Operation
from ..schema import ArrayOf, Bool, CStr, Field, Int, Obj, Scalar
from ..slurm import lib
from ..v0_0_38 import diag as v38

_INT32 = Scalar("integer", "int32")

# What 22.05 does not keep (remote licenses' last reconciliation) reads 0.
LICENSE = Obj("license", [
    Field("LicenseName", CStr, "name", "Name of the license"),
    Field("Total", _INT32, "total", "Total number of licenses present"),
    Field("Used", _INT32, "in_use", "Number of licenses in use"),
    Field("Free", _INT32, "available", "Number of licenses currently available"),
    Field("Remote", Bool, "remote", "Indicates whether licenses are served by the database"),
    Field("Reserved", _INT32, "reserved", "Number of licenses reserved"),
    Field("LastConsumed", _INT32, lambda lic: 0, "Last known number of licenses that were "
          "consumed in the license manager (Remote Only)"),
    Field("LastDeficit", _INT32, lambda lic: 0,
          "Number of \"missing licenses\" from the cluster's perspective"),
    Field("LastUpdate", Int, lambda lic: 0,
          "When the license information was last updated (UNIX Timestamp)"),
])
LAST_UPDATE = NUMBER_OBJECTS[U64]
LICENSES = response_40("openapi_licenses_resp", [
    Field("licenses", ArrayOf("licenses", LICENSE), description="List of licenses"),
    Field("last_update", LAST_UPDATE, description="Time of last licenses change (UNIX timestamp)"),
])


def licenses(call) -> dict:
    with slurm.owned("slurm_load_licenses", lib.slurm_free_license_info_msg,
                     "license_info_msg_t",
                     lambda out: lib.slurm_load_licenses(0, out, 0)) as msg:
        return {"licenses": [LICENSE.read(msg.lic_array[i]) for i in range(msg.num_lic)],
                "last_update": LAST_UPDATE.converter()(msg.last_update)}


# ---- /diag/


def lacking(s) -> int:
    """A count Slurm 22.05 does not keep: 0, the unset value of its type."""
    return 0


def _exit_count(key: str, i: int):
    """The `i`th count of the array `key` (24.11), 0 where not kept (22.05)."""
    if not slurm.declared("stats_info_response_msg_t", key):
        return lacking
    return lambda s: getattr(s, key)[i] if i < getattr(s, key + "_cnt") else 0


def _exits(key: str, name: str, description: str, reasons) -> Field:
    """The counts of why a scheduler's cycles exited (22.05 does not keep them)."""
    obj = Obj(name, [Field(reason, _INT32, _exit_count(key, i), desc)
                     for reason, desc, i in reasons])
    return Field(key, obj, obj.read, description)


# (key, description, index in slurmctld's array: its schedule_exit_t, bf_exit_t)
SCHEDULE_EXIT = _exits("schedule_exit", "schedule_exit_fields",
                       "Reasons for which the scheduling cycle exited since last reset", [
    ("end_job_queue", "Reached end of queue", 0),
    ("default_queue_depth", "Reached number of jobs allowed to be tested", 1),
    ("max_job_start", "Reached number of jobs allowed to start", 2),
    ("max_rpc_cnt", "Reached RPC limit", 4),
    ("max_sched_time", "Reached maximum allowed scheduler time", 5),
    ("licenses", "Blocked on licenses", 3),
])
BF_EXIT = _exits("bf_exit", "bf_exit_fields",
                 "Reasons for which the backfill scheduling cycle exited since last reset", [
    ("end_job_queue", "Reached end of queue", 0),
    ("bf_max_job_start", "Reached number of jobs allowed to start", 1),
    ("bf_max_job_test", "Reached number of jobs allowed to be tested", 2),
    ("bf_max_time", "Reached maximum allowed scheduler time", 5),
    ("bf_node_space_size", "Reached table size limit", 4),
    ("state_changed", "System state changed", 3),
])


def _per_minute(s) -> int:
    # 24.11 counts a cycle rate from a minute on (22.05: past a minute).
    span = s.req_time - s.req_time_start
    return s.schedule_cycle_counter // (span // 60) if span >= 60 else 0


_V38 = {f.key: f for f in v38.STATISTICS.entries}
# What 24.11 writes as int64 (the means it computes); every other count is int32.
_INT64 = {"schedule_cycle_mean", "schedule_cycle_mean_depth", "schedule_cycle_per_minute",
          "bf_cycle_mean", "bf_depth_mean", "bf_depth_mean_try", "bf_queue_len_mean",
          "bf_table_size_mean"}
# time_t values: number objects.
_TIMES = ("req_time", "req_time_start", "job_states_ts", "bf_when_last_cycle")


def _in_place(record: Obj, id_key: str) -> Obj:
    """v0.0.38's RPC record, written in place, its id an int32."""
    id_field = next(f for f in record.fields if f.key == id_key)
    return record.derive("", replace={id_key: id_field.retyped(_INT32)})


_RPCS_BY_TYPE = _in_place(v38.RPC_BY_TYPE, "type_id")
_RPCS_BY_USER = _in_place(v38.RPC_BY_USER, "user_id")

_DROPPED = ("rpcs_by_message_type", "rpcs_by_user", "bf_cycle_max")
STATISTICS = v38.STATISTICS.derive(
    "stats_msg", drop=_DROPPED,
    replace={
        **{k: f.retyped(_INT32) for k, f in _V38.items()
           if f.type is Int and k not in _INT64 and k not in _DROPPED},
        **{k: _V38[k].retyped(U64) for k in _TIMES},
        "schedule_cycle_per_minute": Field("schedule_cycle_per_minute", Int, _per_minute,
                                           _V38["schedule_cycle_per_minute"].description),
        # 24.11 writes the queue length's mean here too.
        "bf_table_size_mean": Field("bf_table_size_mean", Int,
                                    v38.mean("bf_queue_len_sum", "bf_cycle_counter"),
                                    "Mean number of different time slots tested by the "
                                    "backfill scheduler"),
    },
    add=[
        ("schedule_queue_length", SCHEDULE_EXIT),
        ("bf_depth_mean_try", Field("bf_cycle_sum", Int, description="Total time in "
                                    "microseconds of backfilling scheduling cycles since "
                                    "last reset")),
        ("bf_cycle_last", Field("bf_last_depth", _INT32, description="Number of processed "
                                "jobs during last backfilling scheduling cycle")),
        ("bf_last_depth", Field("bf_last_depth_try", _INT32, description="Number of processed "
                                "jobs during last backfilling scheduling cycle that had a "
                                "chance to start using available resources")),
        ("bf_last_depth_try", Field("bf_depth_sum", _INT32, description="Total number of jobs "
                                    "processed during all backfilling scheduling cycles since "
                                    "last reset")),
        ("bf_depth_sum", Field("bf_depth_try_sum", _INT32, description="Subset of bf_depth_sum "
                               "that the backfill scheduler attempted to schedule")),
        ("bf_queue_len_mean", Field("bf_queue_len_sum", _INT32, description="Total number of "
                                    "jobs pending to be processed by backfilling algorithm "
                                    "since last reset")),
        ("bf_active", BF_EXIT),
        ("bf_exit", _V38["rpcs_by_message_type"].retyped(
            ArrayOf("stats_msg_rpcs_by_type", _RPCS_BY_TYPE))),
        ("rpcs_by_message_type", _V38["rpcs_by_user"].retyped(
            ArrayOf("stats_msg_rpcs_by_user", _RPCS_BY_USER))),
    ],
    description="statistics", dialect=NUMBER_OBJECTS)


def diag_operation(statistics: Obj) -> Operation:
    """GET /diag/ answered with `statistics`; a failure answered as the
    reference's handler answers it (no statistics object at all)."""
    op = v38.diag_operation(statistics, name="diag/", op_id="get_diag", response=response_40(
        "openapi_diag_resp", [Field("statistics", statistics, description="statistics")]))
    get = op.handler

    def diag(call) -> dict:
        try:
            return get(call)
        except SlurmError as e:
            raise ApiError(500, e.errno, "op_handler_diag",
                           "slurm_get_statistics() failed to get slurmctld statistics",
                           {}) from None
    return op.replace(handler=diag)


DIAG_OPERATION = diag_operation(STATISTICS)
LICENSES_OPERATION = Operation("GET", "licenses/", "get_licenses",
                               "get all Slurm tracked license info", "slurm", licenses, LICENSES)
OPERATIONS = [DIAG_OPERATION, LICENSES_OPERATION]
