"""GET /slurmdb/v0.0.40/diag/: slurmdbd's statistics (slurmdb_get_stats),
v0.0.38's records with plain integers and "" for an unknown user."""
from __future__ import annotations

from typing import Callable

from ..dbv0_0_38 import diag as v38
from ..envelope import response_40
from ..schema import ArrayOf, CText, Field, Obj, Type
from ..slurm import ffi, lib, user_or_null
from ..slurmdb.readers import list_of
from ..slurmdb.session import DbError, answer
from .common import DIALECT, INT32, INT64, operation, typed

RPC = v38.RPC.derive("stats_rpc", dialect=DIALECT,
                     replace=typed(v38.RPC, count=INT32, time__average=INT64,
                                     time__total=INT64))
USER = v38.USER_RPC.derive("stats_user", dialect=DIALECT, replace={
    **typed(v38.USER_RPC, count=INT32, time__average=INT64, time__total=INT64),
    "user": Field("user", CText, lambda r: user_or_null(r.id) or "", "User ID"),
})


def statistics(rollups: Type, read_rollups: Callable) -> Obj:
    """The stats_rec object, its rollups declared by `rollups` and read from
    the stats record by `read_rollups`."""
    return Obj("stats_rec", [
        Field("time_start", INT64, description="When data collection started (UNIX timestamp)"),
        Field("rollups", rollups, read_rollups, "Rollup statistics"),
        Field("RPCs", ArrayOf("stats_rpc_list", RPC),
              list_of(RPC, "rpc_list", "slurmdb_rpc_obj_t *"), "List of RPCs sent to the slurmdbd"),
        Field("users", ArrayOf("stats_user_list", USER),
              list_of(USER, "user_list", "slurmdb_rpc_obj_t *"), "List of users that issued RPCs"),
    ])


def diag_operations(stats: Obj) -> list:
    resp = response_40("openapi_slurmdbd_stats_resp", [
        Field("statistics", stats, description="statistics")])

    def dump(db) -> dict:
        out = ffi.new("slurmdb_stats_rec_t **")
        rc = lib.slurmdb_get_stats(db.conn[0], out)
        try:
            if rc:
                raise DbError(rc, "slurmdb_get_stats", "stats query failed",
                              payload={"statistics": {}})
            return {"statistics": stats.read(out[0])}
        finally:
            if out[0] != ffi.NULL:
                lib.slurmdb_destroy_stats_rec(out[0])

    return [operation("GET", "diag/", "get_diag", "Get slurmdb diagnostics",
                      lambda call: answer(dump), resp)]


# v0.0.40: the periods that ran, as v0.0.38 lists them.
STATS = statistics(ArrayOf("rollup_stats", v38.ROLLUP, "Rollup statistics"), v38._rollups)
OPERATIONS = diag_operations(STATS)
