"""GET, POST and DELETE /slurmdb/v0.0.38/associations; GET and DELETE
/association (filters: cluster, account, user, partition)."""
from __future__ import annotations

from typing import Callable

from ..routes import Param
from ..schema import Array, Field, Inline, Nullable, Obj, Str
from ..slurm import ffi
from ..errors import ESLURM_REST_INVALID_QUERY
from ..kinds import F64, U16, U32, U64
from ..slurmdb.qos import qos_id, qos_ids, qos_names
from ..slurmdb.session import ENV, Conditions, DbError, answer, partial
from ..slurmdb.writers import Store, entries, flag_names, new_assoc
from .common import TRES_LIST, Names, Text, W, addition, deletion, operation, response

ASSOC_FLAG_DELETED = 0x0001


def _flags(a) -> list[str]:
    out = ["DELETED"] if a.flags & ASSOC_FLAG_DELETED else []
    if a.is_def:
        out.append("DEFAULT")
    return out


def _default_qos(a):
    return ENV.qos.get(a.def_qos_id) if a.def_qos_id else None


USAGE = Inline([
    Field("accrue_job_count", U32, "accrue_cnt", "Jobs accruing priority"),
    Field("group_used_wallclock", F64, "grp_used_wall", "Group used wallclock time (s)"),
    Field("fairshare_factor", F64, "fs_factor", "Fairshare factor"),
    Field("fairshare_shares", U32, "level_shares", "Fairshare shares"),
    Field("normalized_priority", F64, "priority_norm", "Normalized priority"),
    Field("normalized_shares", F64, "shares_norm", "Normalized shares"),
    Field("effective_normalized_usage", F64, "usage_efctv", "Effective normalized usage"),
    Field("normalized_usage", F64, "usage_norm", "Normalized usage"),
    Field("raw_usage", U64, lambda u: int(u.usage_raw), "Raw usage"),
    Field("active_jobs", U32, "used_jobs", "Active jobs"),
    Field("job_count", U32, "used_submit_jobs", "Total jobs submitted"),
    Field("fairshare_level", F64, "level_fs", "Fairshare level"),
], "Association usage (null: slurmdbd does not send it)")


def _usage(a):
    return None if a.usage == ffi.NULL else USAGE.read(a.usage)


ASSOCIATION = Obj("association", [
    W("account", Text, "acct", "Assigned account", required=True),
    W("cluster", Text, description="Assigned cluster"),
    Field("default/qos", Text, _default_qos, "Default QOS", qos_id("def_qos_id")),
    Field("flags", Names, _flags, "List of properties of association",
          flag_names("flags", ((ASSOC_FLAG_DELETED, "DELETED"),), (("is_def", "DEFAULT"),))),
    W("max/jobs/per/count", U32, "grp_jobs", "Max jobs of the group of associations"),
    W("max/jobs/per/accruing", U32, "grp_jobs_accrue",
      "Max jobs accruing priority of the group of associations"),
    W("max/jobs/per/submitted", U32, "grp_submit_jobs",
      "Max jobs submitted by the group of associations"),
    W("max/tres/total", TRES_LIST, "grp_tres", "Max TRES of the group"),
    W("max/tres/minutes/per/job", TRES_LIST, "max_tres_mins_pj", "Max TRES minutes per job"),
    W("max/tres/group/minutes", TRES_LIST, "grp_tres_mins", "Max TRES minutes of the group"),
    W("max/tres/group/active", TRES_LIST, "grp_tres_run_mins",
      "Max TRES minutes the group may have running"),
    W("is_default", U16, "is_def", "Is the user's default association"),
    W("max/jobs/active", U32, "max_jobs", "Max running jobs"),
    W("max/jobs/accruing", U32, "max_jobs_accrue", "Max jobs accruing priority"),
    W("max/jobs/total", U32, "max_submit_jobs", "Max submitted jobs"),
    W("max/tres/minutes/total", TRES_LIST, "max_tres_run_mins", "Max TRES minutes running"),
    W("max/per/account/wall_clock", U32, "grp_wall", "Max wallclock per account"),
    W("max/tres/per/job", TRES_LIST, "max_tres_pj", "Max TRES per job"),
    W("max/tres/per/node", TRES_LIST, "max_tres_pn", "Max TRES per node"),
    W("max/jobs/per/wall_clock", U32, "max_wall_pj", "Max wallclock per job"),
    W("min/priority_threshold", U32, "min_prio_thresh", "Min priority threshold"),
    W("parent_account", Text, "parent_acct", "Parent account name"),
    W("partition", Text, description="Assigned partition"),
    W("priority", U32, description="Assigned priority"),
    Field("qos", Nullable(Array(Str)), qos_names, "Assigned QOS (null when none)",
          qos_ids("qos_list")),
    W("shares_raw", U32, description="Raw fairshare shares"),
    # Usage is slurmctld's to compute: a body's is ignored.
    Field("usage", Nullable(USAGE), _usage, "Association usage"),
    W("user", Text, description="Assigned user", required=True),
], "Association description", objects={
    "default": "Default settings", "max": "Max settings", "max/jobs": "Max jobs settings",
    "max/jobs/per": "Max jobs per settings", "max/tres": "Max TRES settings",
    "max/per": "Max per settings", "min": "Min settings"})
ASSOCIATIONS_INFO = response("associations_info", [
    Field("associations", Array(ASSOCIATION), description="Array of associations"),
])

# Filters in the order the reference reads them (query key -> condition list).
FILTERS = (("partition", "partition_list"), ("cluster", "cluster_list"),
           ("account", "acct_list"), ("user", "user_list"))


def _condition(cond: Conditions, query: dict):
    assoc_cond = ffi.new("slurmdb_assoc_cond_t *")
    for key, member in FILTERS:
        if key in query:
            setattr(assoc_cond, member, cond.chars(query[key]))
    return assoc_cond


def dumper(association: Obj = ASSOCIATION, condition: Callable = _condition,
           only_one: bool = False) -> Callable:
    """dump(db, query): the associations `condition(cond, query)` selects,
    read as `association` declares them; with `only_one`, more than one is
    a 400."""
    read = association.read

    def dump(db, query: dict) -> dict:
        out: dict = {}
        with partial(out), Conditions() as cond:
            found = db.get("slurmdb_associations_get", condition(cond, query),
                           "slurmdb_assoc_rec_t *")
            db.tres()
            db.qos()
        out["associations"] = []
        if only_one and len(found) > 1:
            raise DbError(ESLURM_REST_INVALID_QUERY, description="Ambiguous request: More than "
                          "1 association would have been dumped.", status=400, payload=out)
        out["associations"] = [read(a) for a in found]
        return out
    return dump


dump = dumper()


def remove(db, call, only_one: bool = False, condition: Callable = _condition,
           keys: frozenset = frozenset(key for key, _ in FILTERS)) -> list[str]:
    """What the filters select. Unlike the reference, no filter at all (which
    would select every association) and unknown query keys (a misspelt
    filter widens the selection) are refused, and /association removes at
    most one, as it dumps at most one. `keys`: the query keys `condition` reads."""
    payload = {"removed_associations": []}
    if not call.query or set(call.query) - keys:
        raise DbError(ESLURM_REST_INVALID_QUERY, description="Unknown query field" if call.query
                      else "No filter given (cluster, account, user or partition)",
                      status=400, payload=payload)
    with Conditions() as cond:
        assoc_cond = condition(cond, call.query)
        if only_one and len(db.get("slurmdb_associations_get", assoc_cond,
                                   "slurmdb_assoc_rec_t *")) > 1:
            raise DbError(ESLURM_REST_INVALID_QUERY, description="Ambiguous request: More than 1 "
                          "association would have been removed.", status=400, payload=payload)
        return db.remove("slurmdb_associations_remove", assoc_cond)


def parsed(db, body, association: Obj, store: Store) -> list:
    """The associations of a body, parsed as `association` declares them."""
    db.tres()
    db.qos()
    return entries(body, "associations", association, "slurmdb_assoc_rec_t *", store,
                   lambda a, _: new_assoc(a), "Associations must be a list of dictionaries")


def add(db, body, association: Obj = ASSOCIATION) -> None:
    """Each association (parsed as `association` declares them) is added
    when none has its account, cluster, partition and user (unset: ""),
    changed when one has, refused when more have. (The reference crashes
    changing one.)"""
    store = Store()
    for assoc in parsed(db, body, association, store):
        cond = store.new("slurmdb_assoc_cond_t *")
        for attr, member in (("acct", "acct_list"), ("cluster", "cluster_list"),
                             ("partition", "partition_list"), ("user", "user_list")):
            value = getattr(assoc, attr)
            setattr(cond, member, store.list([store.string("") if value == ffi.NULL else value]))
        with partial({}, status=400):
            try:
                found = db.get("slurmdb_associations_get", cond, "slurmdb_assoc_rec_t *")
            except DbError:  # as the reference: a failed lookup means a new one
                found = []
            if not found:
                db.add("slurmdb_associations_add", store.list([assoc]))
            elif len(found) > 1:
                raise DbError(ESLURM_REST_INVALID_QUERY, "slurmdb_associations_get",
                              "ambiguous modify request", 400)
            else:
                db.modify("slurmdb_associations_modify", cond, assoc)


def getter(dump: Callable) -> Callable:
    return lambda call: answer(dump, call.query)


PARAMS = [
    Param("cluster", "query", Str, "Cluster name"),
    Param("account", "query", Str, "Account name"),
    Param("user", "query", Str, "User name"),
    Param("partition", "query", Str, "Partition name"),
]
OPERATIONS = [
    operation("GET", "/associations", "get_associations", "Get association list",
              getter(dump), ASSOCIATIONS_INFO, PARAMS),
    deletion("/associations", "delete_associations", "Delete associations",
             "response_associations_delete", "removed_associations", remove, PARAMS),
    addition("/associations", "update_associations", "Set associations info",
             ASSOCIATIONS_INFO, "response_associations", add),
    operation("GET", "/association", "get_association", "Get association info",
              getter(dumper(only_one=True)), ASSOCIATIONS_INFO, PARAMS),
    deletion("/association", "delete_association", "Delete association",
             "response_associations_delete", "removed_associations",
             lambda db, call: remove(db, call, only_one=True), PARAMS),
]
