"""GET and POST /slurmdb/v0.0.40/clusters/; GET and DELETE
/cluster/{cluster_name} (v0.0.41 and v0.0.42 the same): v0.0.38's cluster
records with the root association filled in and no select plugin (24.11
removed it: "")."""
from __future__ import annotations

from ..dbv0_0_38 import clusters as v38
from ..envelope import response_40
from ..routes import Param
from ..schema import ArrayOf, Field, Str
from ..slurmdb.readers import flags
from ..slurmdb.session import answer
from ..slurmdb.writers import flag_names
from .common import (ASSOC_SHORT, DIALECT, INT32, TRES_LIST, assoc_short, operation, typed,
                     tres_field)

# CLUSTER_FLAG_* as 24.11 names them (REGISTERING is 22.05's unused bit 0).
CLUSTER_FLAGS = ((1 << 0, "REGISTERING"), (1 << 7, "MULTIPLE_SLURMD"), (1 << 9, "FRONT_END"),
                 (1 << 11, "FEDERATION"), (1 << 12, "EXTERNAL"))

CLUSTER = v38.CLUSTER.derive(
    "cluster_rec", dialect=DIALECT, description="",
    replace={
        **typed(v38.CLUSTER, controller__port=INT32, rpc_version=INT32),
        "flags": Field("flags", ArrayOf("cluster_rec_flags", Str),
                       flags("flags", CLUSTER_FLAGS), "Flags",
                       flag_names("flags", CLUSTER_FLAGS)),
        "select_plugin": Field("select_plugin", Str, lambda c: "",
                               "Removed in 24.05 (always \"\"; ignored when given)",
                               lambda rec, value, store: None),
        "associations/root": Field("associations/root", ASSOC_SHORT, assoc_short("root_assoc"),
                                   "Root association information"),
        "tres": Field("tres", TRES_LIST, tres_field("tres_str"), "Trackable resources",
                      v38.CLUSTER.writers()["tres"].write),
    })
CLUSTERS = response_40("openapi_clusters_resp", [
    Field("clusters", ArrayOf("cluster_rec_list", CLUSTER), description="clusters")])
REMOVED = response_40("openapi_clusters_removed_resp", [
    Field("deleted_clusters", ArrayOf("string_list", Str), description="deleted_clusters")])
RESP = response_40("openapi_resp", [])


def dump(db, query=None, name: str | None = None) -> dict:
    return v38.dump(db, query, name, CLUSTER)


def add(db, body) -> None:
    v38.add(db, body, CLUSTER)


# 24.11's cluster condition; only the path's name selects here.
_COND = ("classification", "cluster", "federation", "flags", "format", "rpc_version",
         "usage_end", "usage_start", "with_deleted", "with_usage")
_NAME = Param("cluster_name", "path", Str, "Cluster name", True)
_QUERY = [_NAME, *(Param(k, "query", Str, "") for k in _COND)]


def _post(call):
    def build(db):
        add(db, call.body)
        db.commit()
        return {}
    return answer(build)


OPERATIONS = [
    operation("GET", "clusters/", "get_clusters", "get cluster list",
              lambda call: answer(dump, call.query), CLUSTERS,
              [Param("update_time", "query", Str, "Query reservations updated more recently "
                     "than this time (UNIX timestamp)")]),
    operation("POST", "clusters/", "post_clusters", "update cluster list", _post, RESP,
              [Param("update_time", "query", Str, "")], body=CLUSTERS),
    operation("GET", "cluster/{cluster_name}", "get_cluster", "get cluster info",
              lambda call: answer(dump, call.query, call.params["cluster_name"]), CLUSTERS,
              _QUERY),
    operation("DELETE", "cluster/{cluster_name}", "delete_cluster", "delete cluster",
              lambda call: answer(lambda db: {"deleted_clusters": v38.remove(db, call)}),
              REMOVED, _QUERY),
]
