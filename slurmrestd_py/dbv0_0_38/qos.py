"""GET and POST /slurmdb/v0.0.38/qos (query: with_deleted); GET and DELETE /qos/{qos_name}."""
from __future__ import annotations

from typing import Callable

from ..routes import Operation, Param
from ..schema import Array, Field, Obj, Str
from ..slurm import NO_VAL, ffi, lib
from ..kinds import F64, U32
from ..slurmdb.readers import flags
from ..slurmdb.qos import preempt_names, qos_ids
from ..slurmdb.session import ENV, Conditions, partial
from ..slurmdb.writers import Store, entries, flag_names
from .common import (TRES_LIST, Names, Text, W, addition, list_and_one, listing, response,
                     with_deleted)

# QOS_FLAG_* of <slurm/slurmdb.h>, in the reference's order.
QOS_FLAGS = (
    (1 << 0, "PARTITION_MINIMUM_NODE"),
    (1 << 1, "PARTITION_MAXIMUM_NODE"),
    (1 << 2, "PARTITION_TIME_LIMIT"),
    (1 << 3, "ENFORCE_USAGE_THRESHOLD"),
    (1 << 4, "NO_RESERVE"),
    (1 << 5, "REQUIRED_RESERVATION"),
    (1 << 6, "DENY_LIMIT"),
    (1 << 7, "OVERRIDE_PARTITION_QOS"),
    (1 << 8, "NO_DECAY"),
    (1 << 9, "USAGE_FACTOR_SAFE"),
)
# PREEMPT_MODE_* of <slurm/slurm.h>; OFF is the empty list.
PREEMPT_MODES = ((0x0001, "SUSPEND"), (0x0002, "REQUEUE"), (0x0008, "CANCEL"),
                 (0x8000, "GANG"))

QOS = Obj("qos", [
    W("description", Text, description="QOS description"),
    Field("flags", Names, flags("flags", QOS_FLAGS), "List of properties of QOS",
          flag_names("flags", QOS_FLAGS)),
    W("id", U32, description="Database id"),
    W("limits/grace_time", U32, "grace_time", "Preemption grace time"),
    W("limits/max/active_jobs/accruing", U32, "grp_jobs_accrue",
      "Max jobs of this QOS accruing priority"),
    W("limits/max/active_jobs/count", U32, "grp_jobs", "Max running jobs of this QOS"),
    W("limits/max/tres/total", TRES_LIST, "grp_tres", "Max TRES of this QOS"),
    W("limits/max/tres/minutes/per/qos", TRES_LIST, "grp_tres_run_mins",
      "Max TRES minutes running in this QOS"),
    W("name", Text, description="Assigned name of QOS"),
    W("limits/max/wall_clock/per/qos", U32, "grp_wall", "Max wallclock per QOS"),
    W("limits/factor", F64, "limit_factor",
      "factor to apply to TRES count for associations using this QOS"),
    W("limits/max/jobs/active_jobs/per/account", U32, "max_jobs_pa",
      "Max running jobs per account"),
    W("limits/max/jobs/active_jobs/per/user", U32, "max_jobs_pu", "Max running jobs per user"),
    W("limits/max/accruing/per/account", U32, "max_jobs_accrue_pa",
      "Max jobs accruing priority per account"),
    W("limits/max/accruing/per/user", U32, "max_jobs_accrue_pu",
      "Max jobs accruing priority per user"),
    W("limits/max/jobs/per/account", U32, "max_submit_jobs_pa",
      "Max submitted jobs per account"),
    W("limits/max/jobs/per/user", U32, "max_submit_jobs_pu", "Max submitted jobs per user"),
    W("limits/max/tres/minutes/per/job", TRES_LIST, "max_tres_mins_pj",
      "Max TRES minutes per job"),
    W("limits/max/tres/per/account", TRES_LIST, "max_tres_pa", "Max TRES per account"),
    W("limits/max/tres/per/job", TRES_LIST, "max_tres_pj", "Max TRES per job"),
    W("limits/max/tres/per/node", TRES_LIST, "max_tres_pn", "Max TRES per node"),
    W("limits/max/tres/per/user", TRES_LIST, "max_tres_pu", "Max TRES per user"),
    W("limits/max/tres/minutes/per/account", TRES_LIST, "max_tres_run_mins_pa",
      "Max TRES minutes running per account"),
    W("limits/max/tres/minutes/per/user", TRES_LIST, "max_tres_run_mins_pu",
      "Max TRES minutes running per user"),
    W("limits/max/wall_clock/per/job", U32, "max_wall_pj", "Max wallclock per job"),
    W("limits/min/priority_threshold", U32, "min_prio_thresh", "Min priority threshold"),
    W("limits/min/tres/per/job", TRES_LIST, "min_tres_pj", "Min TRES per job"),
    Field("preempt/list", Names, preempt_names, "List of preemptable QOS",
          qos_ids("preempt_list")),
    Field("preempt/mode", Names, flags("preempt_mode", PREEMPT_MODES), "List of preemption modes",
          flag_names("preempt_mode", PREEMPT_MODES)),
    W("preempt/exempt_time", U32, "preempt_exempt_time",
      "Grace period (s) before jobs can preempted"),
    W("priority", U32, description="QOS priority"),
    W("usage_factor", F64, description="Usage factor"),
    W("usage_threshold", F64, "usage_thres", "Usage threshold"),
], "QOS description", objects={"limits": "Assigned limits", "limits/max": "Limits on max settings",
                       "limits/min": "Min limit settings", "preempt": "Preemption settings"})

def dumper(qos: Obj = QOS, deleted: Callable = with_deleted) -> Callable:
    """dump(db, query, name): the QOS as `qos` reads them, deleted ones as
    `deleted(query)` says."""
    return lambda db, query, name=None: _dump(db, qos.read, deleted(query), name)


def _dump(db, read: Callable, deleted: int, name: str | None) -> dict:
    with partial({}):
        everything = db.qos(deleted)
    out = {"QOS": []}
    # The reference answers 200 even when the TRES query fails.
    with partial(out, status=200):
        db.tres()
    out["QOS"] = [read(q) for q in everything
                  if name is None or (q.name != ffi.NULL and ffi.string(q.name) == name.encode())]
    return out


def remove(db, call) -> list[str]:
    with Conditions() as cond:
        qos_cond = ffi.new("slurmdb_qos_cond_t *", {
            "name_list": cond.exact(call.params["qos_name"])})
        return db.remove("slurmdb_qos_remove", qos_cond)


dump = dumper()


def qos_operations(qos: Obj, dump: Callable, query: list[Param]) -> list[Operation]:
    """GET /qos, /qos/{qos_name} (records declared by `qos`, read by `dump`,
    which takes `query`), DELETE /qos/{qos_name}."""
    return list_and_one(
        "qos", "qos", "qos_name", ("get_qos", "get_single_qos", "delete_qos"),
        ("Get QOS list", "Get QOS info", "Delete QOS"), dump,
        response("qos_info", [Field("QOS", Array(qos), description="Array of QOS")]),
        "Slurm QOS Name", query, ("response_qos_delete", "removed_qos", remove))


def adder(qos: Obj = QOS, key: str = "QOS") -> Callable:
    """add(db, body): the QOS the body lists under `key`, parsed as `qos`
    declares them."""
    return lambda db, body: _add(db, body, qos, key)


def _add(db, body, qos_obj: Obj, key: str = "QOS") -> None:
    """Each QOS is changed if one has its name (only what the body gives,
    flags and preemption mode included), added otherwise. Its preemption
    list takes QOS names (the reference's lookup has no QOS list and refuses
    every name)."""
    db.tres()
    db.qos()
    known = {name.lower() for name in ENV.qos.values() if name}
    store = Store()

    def prepare(qos, store):  # NO_VAL: unchanged; flags and mode: none unless given
        lib.slurmdb_init_qos_rec(qos, False, NO_VAL)
        qos.flags = qos.preempt_mode = 0
    new = []
    for qos in entries(body, key, qos_obj, "slurmdb_qos_rec_t *", store, prepare,
                       "each QOS entry must be a dictionary"):
        name = ffi.string(qos.name).decode() if qos.name != ffi.NULL else ""
        if name.lower() in known:
            cond = store.new("slurmdb_qos_cond_t *")
            cond.name_list = store.list([qos.name])
            db.modify("slurmdb_qos_modify", cond, qos)
        else:
            new.append(qos)
    if new:
        db.add("slurmdb_qos_add", store.list(new))


add = adder()
OPERATIONS = qos_operations(QOS, dump, [
    Param("with_deleted", "query", Str, "Include deleted QOS (a Boolean; default false)")]) + [
    addition("/qos", "update_qos", "Set QOS info",
             # The list is read as "QOS" (the reference documents "qos").
             listing("update_qos", "QOS", QOS), "response_qos", add)]
