"""GET /slurm/v0.0.38/ping, /diag and /licenses.

`diag_operation` makes /diag for any shape of the statistics object (older
versions derive theirs from STATISTICS)."""
from __future__ import annotations

from .. import slurm
from ..controllers import ping_all
from ..envelope import response_obj
from ..routes import Operation
from ..schema import Array, Bool, CStr, Enum, Expr, Field, Inline, Int, Obj, Str
from ..slurm import ffi, lib

UP_DOWN = Expr('"UP" if j.pinged else "DOWN"')
PING = Obj("ping", [
    Field("hostname", Str, description="slurm controller hostname"),
    Field("ping", Enum("UP", "DOWN"), UP_DOWN, "slurm controller host up"),
    Field("status", Int, description="slurm controller status"),
    Field("mode", Str, description="slurm controller mode"),
])
PINGS = response_obj("pings", [
    Field("pings", Array(PING), description="slurm controller pings"),
])


def ping_operation(obj: Obj, response: Obj, name: str = "ping", op_id: str = "ping") -> Operation:
    """GET /ping answered with a list of `obj` (read from controllers.Ping) in `response`."""
    read = obj.read

    def ping(call) -> dict:
        return {"pings": [read(p) for p in ping_all(call.identity.token is not None)]}

    return Operation("GET", name, op_id, "ping test", "slurm", ping, response)


def mean(total_attr: str, count_attr: str):
    """A reader of `total_attr` per `count_attr` (0 with no count)."""
    def read(s):
        count = getattr(s, count_attr)
        return getattr(s, total_attr) // count if count else 0
    return read


def _per_minute(s) -> int:
    minutes = (s.req_time - s.req_time_start) // 60
    return s.schedule_cycle_counter // minutes if s.req_time - s.req_time_start > 60 else 0


def _rpc_stats(name: str, key: Field, id_key: Field) -> Obj:
    return Obj(name, [
        key, id_key,
        Field("count", Int, description="rpc count"),
        Field("average_time", Int, description="average time"),
        Field("total_time", Int, description="total time"),
    ])


RPC_BY_TYPE = _rpc_stats("diag_rpcm", Field("message_type", Str, description="message type"),
                         Field("type_id", Int, description="message type id"))
RPC_BY_USER = _rpc_stats("diag_rpcu", Field("user", Str, description="user name"),
                         Field("user_id", Int, description="user id"))


def _rpcs(s, size: str, ids: str, counts: str, times: str, name, key: str, id_key: str):
    out = []
    id_arr, cnt_arr, time_arr = getattr(s, ids), getattr(s, counts), getattr(s, times)
    for i in range(getattr(s, size)):
        count, total = cnt_arr[i], time_arr[i]
        out.append({key: name(id_arr[i]), id_key: id_arr[i], "count": count,
                    "average_time": total // count if count else 0, "total_time": total})
    return out


def _rpcs_by_type(s):
    from ..slurm.rpc_names import rpc_name
    return _rpcs(s, "rpc_type_size", "rpc_type_id", "rpc_type_cnt", "rpc_type_time",
                 rpc_name, "message_type", "type_id")


def _rpcs_by_user(s):
    return _rpcs(s, "rpc_user_size", "rpc_user_id", "rpc_user_cnt", "rpc_user_time",
                 slurm.user_name, "user", "user_id")


STATISTICS = Inline([
    Field("rpcs_by_message_type", Array(RPC_BY_TYPE), _rpcs_by_type, "RPCs by message type"),
    Field("rpcs_by_user", Array(RPC_BY_USER), _rpcs_by_user, "RPCs by user"),
    Field("parts_packed", Int, description="partition records packed"),
    Field("req_time", Int, description="generation time"),
    Field("req_time_start", Int, description="data since"),
    Field("server_thread_count", Int, description="Server thread count"),
    Field("agent_queue_size", Int, description="Agent queue size"),
    Field("agent_count", Int, description="Agent count"),
    Field("agent_thread_count", Int, description="Agent thread count"),
    Field("dbd_agent_queue_size", Int, description="DBD Agent queue size"),
    Field("gettimeofday_latency", Int, description="Latency for 1000 calls to gettimeofday()"),
    Field("schedule_cycle_max", Int, description="Main Schedule max cycle"),
    Field("schedule_cycle_last", Int, description="Main Schedule last cycle"),
    Field("schedule_cycle_total", Int, "schedule_cycle_counter", "Main Schedule cycle iterations"),
    Field("schedule_cycle_mean", Int, mean("schedule_cycle_sum", "schedule_cycle_counter"),
          "Average time for Schedule Max cycle"),
    Field("schedule_cycle_mean_depth", Int, mean("schedule_cycle_depth", "schedule_cycle_counter"),
          "Average depth for Schedule Max cycle"),
    Field("schedule_cycle_per_minute", Int, _per_minute, "Cycles per minute"),
    Field("schedule_queue_length", Int, "schedule_queue_len", "Main Schedule queue length"),
    Field("jobs_submitted", Int, description="Job submitted"),
    Field("jobs_started", Int, description="Job started"),
    Field("jobs_completed", Int, description="Job completed"),
    Field("jobs_canceled", Int, description="Job canceled"),
    Field("jobs_failed", Int, description="Job failed"),
    Field("jobs_pending", Int, description="Job pending"),
    Field("jobs_running", Int, description="Job running"),
    Field("job_states_ts", Int, description="Job states timestamp"),
    Field("bf_backfilled_jobs", Int, description="Total backfilled jobs (since last slurm start)"),
    Field("bf_last_backfilled_jobs", Int, description="Total backfilled jobs (since last stats cycle start)"),
    Field("bf_backfilled_het_jobs", Int, description="Total backfilled heterogeneous job components"),
    Field("bf_cycle_counter", Int, description="Backfill Schedule Total cycles"),
    Field("bf_cycle_mean", Int, mean("bf_cycle_sum", "bf_cycle_counter"),
          "Backfill Schedule Mean cycle"),
    Field("bf_depth_mean", Int, mean("bf_depth_sum", "bf_cycle_counter"),
          "Backfill Schedule Mean cycle depth"),
    Field("bf_depth_mean_try", Int, mean("bf_depth_try_sum", "bf_cycle_counter"),
          "Backfill Schedule Mean cycle depth tried"),
    Field("bf_cycle_last", Int, description="Backfill Schedule Last cycle time"),
    Field("bf_cycle_max", Int, description="Backfill Schedule Max cycle time"),
    Field("bf_queue_len", Int, description="Backfill Schedule Last queue length"),
    Field("bf_queue_len_mean", Int, mean("bf_queue_len_sum", "bf_cycle_counter"),
          "Backfill Schedule Mean queue length"),
    Field("bf_table_size", Int, description="Backfill Schedule Last table size"),
    Field("bf_table_size_mean", Int, mean("bf_table_size_sum", "bf_cycle_counter"),
          "Backfill Schedule Mean table size"),
    Field("bf_when_last_cycle", Int, description="Last cycle timestamp"),
    Field("bf_active", Bool, description="Backfill Schedule currently active"),
], description="Slurm statistics")


def diag_operation(statistics: Obj = STATISTICS, errors: str = "error_number",
                   name: str = "diag", op_id: str = "diag", response: Obj | None = None
                   ) -> Operation:
    """GET /diag answered with `statistics` (in `response`, by default
    v0.0.38's) and error entries of style `errors`."""
    read = statistics.read
    if response is None:
        response = response_obj("diag", [Field("statistics", statistics)])

    def diag(call) -> dict:
        req = ffi.new("stats_info_request_msg_t *", {"command_id": lib.STAT_COMMAND_GET})
        with slurm.owned("slurm_get_statistics", lib.slurm_free_stats_response_msg,
                         "stats_info_response_msg_t",
                         lambda out: lib.slurm_get_statistics(out, req)) as stats:
            return {"statistics": read(stats)}

    return Operation("GET", name, op_id, "get diagnostics", "slurm", diag, response,
                     errors=errors)


LICENSE = Obj("license", [
    Field("LicenseName", CStr, "name", "name of license"),
    Field("Total", Int, "total", "total number of licenses"),
    Field("Used", Int, "in_use", "number of licenses in use"),
    Field("Free", Int, "available", "number of licenses available"),
    Field("Reserved", Int, "reserved", "number of licenses reserved"),
    Field("Remote", Bool, "remote", "license is remote"),
])
LICENSES = response_obj("licenses", [
    Field("licenses", Array(LICENSE), description="licenses info"),
])


def licenses(call) -> dict:
    with slurm.owned("slurm_load_licenses", lib.slurm_free_license_info_msg,
                     "license_info_msg_t",
                     lambda out: lib.slurm_load_licenses(0, out, 0)) as msg:
        return {"licenses": [LICENSE.read(msg.lic_array[i]) for i in range(msg.num_lic)]}


def _op(name: str, op_id: str, summary: str, handler, response) -> Operation:
    return Operation("GET", name, op_id, summary, "slurm", handler, response)


PING_OPERATION = ping_operation(PING, PINGS)
OPERATIONS = [
    diag_operation(),
    _op("licenses", "slurmctld_get_licenses", "get all Slurm tracked license info",
        licenses, LICENSES),
    PING_OPERATION,
]
