"""GET /slurmdb/v0.0.38/clusters and /cluster/{cluster_name}; DELETE /cluster/{cluster_name}."""
from __future__ import annotations

from ..schema import Array, Field
from ..slurm import NO_VAL, ffi
from .common import (ASSOC_SHORT, PLUGIN, TRES_LIST, U16, U32, Conditions, Names,
                     Nullable, P, Text, flags, list_and_one, partial, response,
                     tres_field, tree)

# CLUSTER_FLAG_* of <slurm/slurmdb.h>, in the reference's order.
CLUSTER_FLAGS = ((1 << 7, "MULTIPLE_SLURMD"), (1 << 9, "FRONT_END"), (1 << 10, "CRAY_NATIVE"),
                 (1 << 11, "FEDERATION"), (1 << 12, "EXTERNAL"))
# Select plugins by plugin_id, as their plugins name themselves (select/...).
SELECT_PLUGINS = {101: "cons_res", 102: "linear", 107: "cray_aries", 109: "cons_tres"}

CLUSTER = tree(f"{PLUGIN}_cluster", [
    P("controller/host", Text, "control_host", "Hostname"),
    P("controller/port", U32, "control_port", "Port number"),
    P("flags", Names, flags("flags", CLUSTER_FLAGS), "List of properties of cluster"),
    P("name", Text, description="Cluster name"),
    P("nodes", Text, description="Assigned nodes"),
    P("select_plugin", Text, lambda c: SELECT_PLUGINS.get(c.plugin_id_select),
      "Configured select plugin"),
    # The reference never fills it in.
    P("associations/root", Nullable(ASSOC_SHORT), lambda c: None,
      "Root association (always null)"),
    P("rpc_version", U16, description="Number rpc version"),
    P("tres", TRES_LIST, tres_field("tres_str"), "List of TRES in cluster"),
], "Cluster description", {"controller": "Information about controller",
                           "associations": "Information about associations"})
CLUSTERS_INFO = response("cluster_info", [
    Field("clusters", Array(CLUSTER), description="Array of clusters"),
])


def dump(db, query: dict | None = None, name: str | None = None) -> dict:
    out = {"clusters": []}
    with partial(out), Conditions() as cond:
        db.tres()
        cluster_cond = ffi.new("slurmdb_cluster_cond_t *", {
            "cluster_list": cond.exact(*([name] if name is not None else [])),
            "with_deleted": 1, "with_usage": 1, "flags": NO_VAL})
        found = db.get("slurmdb_clusters_get", cluster_cond, "slurmdb_cluster_rec_t *")
    out["clusters"] = [CLUSTER.read(c) for c in found]
    return out


def remove(db, call) -> list[str]:
    with Conditions() as cond:
        # flags NO_VAL: any cluster (the reference's 0 matches none, so it
        # never removes one and answers 304).
        cluster_cond = ffi.new("slurmdb_cluster_cond_t *", {
            "cluster_list": cond.exact(call.params["cluster_name"]), "flags": NO_VAL})
        return db.remove("slurmdb_clusters_remove", cluster_cond)


OPERATIONS = list_and_one(
    "clusters", "cluster", "cluster_name", ("get_clusters", "get_cluster", "delete_cluster"),
    ("Get cluster list", "Get cluster info", "Delete cluster"), dump, CLUSTERS_INFO,
    "Slurm cluster name", removal=("response_cluster_delete", "deleted_clusters", remove))
