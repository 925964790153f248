"""GET /slurmdb/v0.0.38/diag: slurmdbd's statistics (slurmdb_get_stats)."""
from __future__ import annotations

from ..errors import ESLURM_DATA_CONV_FAILED
from ..schema import Array, Field, Inline, Int, Str, Obj
from ..slurm import ffi, lib, user_or_null
from ..kinds import U32
from ..slurmdb.dbd_names import dbd_name
from ..slurmdb.readers import list_of
from ..slurmdb.session import DbError, answer
from .common import Text, operation, response

_ROLLUP_TYPES = ("internal", "user")



def _time(what: str) -> list[Field]:
    return [Field("time/average", Int, "time_ave", f"Average time spent processing {what}"),
            Field("time/total", Int, "time", f"Total time spent processing {what}")]


RPC = Obj("", [
    Field("rpc", Str, lambda r: dbd_name(r.id), "RPC type"),
    Field("count", U32, "cnt", "Number of RPCs"),
    *_time("this RPC type"),
], "Statistics by RPC type", objects={"time": "Time values"})
USER_RPC = Obj("", [
    Field("user", Text, lambda r: user_or_null(r.id), "User name"),
    Field("count", U32, "cnt", "Number of RPCs"),
    *_time("each user RPC"),
], "Statistics by user RPCs", objects={"time": "Time values"})
ROLLUP = Inline([
    Field("type", Str, description="Type of rollup"),
    Field("last_run", Int, description="Timestamp of last rollup"),
    Field("last_cycle", Int, description="Timestamp of last cycle"),
    Field("max_cycle", Int, description="Max time of all cycles"),
    Field("total_time", Int, description="Total time (s) spent doing rollup"),
    Field("total_cycles", Int, description="Number of cycles"),
    Field("mean_cycles", Int, description="Average time (s) of cycle"),
], "Rollup statistics")


def _rollups(stats) -> list[dict]:
    r = stats.dbd_rollup_stats
    if r == ffi.NULL:
        raise DbError(ESLURM_DATA_CONV_FAILED, "slurmdb_get_stats")
    out = []
    for i in range(lib.DBD_ROLLUP_COUNT):
        total = r.time_total[i]
        if not total:
            continue
        count = r.count[i]
        out.append({"type": _ROLLUP_TYPES[i] if i < 2 else "unknown",
                    "last_run": r.timestamp[i], "last_cycle": r.time_last[i],
                    "max_cycle": r.time_max[i], "total_time": total,
                    "total_cycles": count, "mean_cycles": total // count if count > 1 else total})
    return out


STATISTICS = Inline([
    Field("time_start", U32, description="Unix timestamp of start time"),
    Field("rollups", Array(ROLLUP), _rollups),
    Field("RPCs", Array(RPC), list_of(RPC, "rpc_list", "slurmdb_rpc_obj_t *")),
    Field("users", Array(USER_RPC), list_of(USER_RPC, "user_list", "slurmdb_rpc_obj_t *")),
])
DIAG = response("diag", [Field("statistics", STATISTICS)])


def dump(db) -> dict:
    out = ffi.new("slurmdb_stats_rec_t **")
    rc = lib.slurmdb_get_stats(db.conn[0], out)
    try:
        if rc:
            raise DbError(rc, "slurmdb_get_stats", payload={})
        return {"statistics": STATISTICS.read(out[0])}
    finally:
        if out[0] != ffi.NULL:
            lib.slurmdb_destroy_stats_rec(out[0])


def get_diag(call):
    return answer(dump)


OPERATIONS = [operation("GET", "/diag", "diag", "Get slurmdb diagnostics", get_diag, DIAG)]
