"""GET and POST /slurmdb/v0.0.38/clusters; GET and DELETE /cluster/{cluster_name}."""
from __future__ import annotations

from ..errors import ESLURM_REST_FAIL_PARSING
from .. import slurm
from ..schema import Array, Field, Nullable, Obj
from ..slurm import NO_VAL, ffi, lib
from ..kinds import U16, U32
from ..slurmdb.readers import flags
from ..slurmdb.session import Conditions, partial
from ..slurmdb.writers import Failed, Store, entries, flag_names
from .common import (ASSOC_SHORT, TRES_LIST, Names, Text, W, addition, list_and_one, listing,
                     response)

# CLUSTER_FLAG_* of <slurm/slurmdb.h>, in the reference's order.
CLUSTER_FLAGS = ((1 << 7, "MULTIPLE_SLURMD"), (1 << 9, "FRONT_END"), (1 << 10, "CRAY_NATIVE"),
                 (1 << 11, "FEDERATION"), (1 << 12, "EXTERNAL"))
# Select plugins by plugin_id, as their plugins name themselves (select/...).
SELECT_PLUGINS = {101: "cons_res", 102: "linear", 107: "cray_aries", 109: "cons_tres"}
# Slurm 24.11 keeps no select plugin id: none is read, a valid name is not stored.
_KEPT = slurm.declared("slurmdb_cluster_rec_t", "plugin_id_select")

def _select_plugin(rec, value, store) -> None:
    """select/<name> or <name> as its plugin id (the reference stores 1 for
    any valid name: it assigns a comparison's result)."""
    name = value[len("select/"):] if isinstance(value, str) and value.startswith(
        "select/") else value
    ids = [i for i, n in SELECT_PLUGINS.items() if n == name]
    if not ids:
        raise Failed(ESLURM_REST_FAIL_PARSING)
    if _KEPT:
        rec.plugin_id_select = ids[0]


CLUSTER = Obj("cluster", [
    W("controller/host", Text, "control_host", "Hostname"),
    W("controller/port", U32, "control_port", "Port number"),
    Field("flags", Names, flags("flags", CLUSTER_FLAGS), "List of properties of cluster",
          flag_names("flags", CLUSTER_FLAGS)),
    W("name", Text, description="Cluster name"),
    W("nodes", Text, description="Assigned nodes"),
    Field("select_plugin", Text, (lambda c: SELECT_PLUGINS.get(c.plugin_id_select))
          if _KEPT else (lambda c: None), "Configured select plugin", _select_plugin),
    # The reference never fills it in (and a body's is ignored).
    Field("associations/root", Nullable(ASSOC_SHORT), lambda c: None,
          "Root association (always null)"),
    W("rpc_version", U16, description="Number rpc version"),
    W("tres", TRES_LIST, "tres_str", "List of TRES in cluster"),
], "Cluster description", objects={"controller": "Information about controller",
                           "associations": "Information about associations"})
CLUSTERS_INFO = response("cluster_info", [
    Field("clusters", Array(CLUSTER), description="Array of clusters"),
])


def dump(db, query: dict | None = None, name: str | None = None,
         cluster: Obj = CLUSTER) -> dict:
    """The clusters (named `name`, or all) read as `cluster` declares them."""
    out = {"clusters": []}
    with partial(out), Conditions() as cond:
        db.tres()
        cluster_cond = ffi.new("slurmdb_cluster_cond_t *", {
            "cluster_list": cond.exact(*([name] if name is not None else [])),
            "with_deleted": 1, "with_usage": 1, "flags": NO_VAL})
        found = db.get("slurmdb_clusters_get", cluster_cond, "slurmdb_cluster_rec_t *")
    out["clusters"] = [cluster.read(c) for c in found]
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


def add(db, body, declared: Obj = CLUSTER) -> None:
    """Each cluster (parsed as `declared` declares it) from
    slurmdb_init_cluster_rec, as the reference makes them; nothing is added
    when one fails to parse (the reference adds those before it)."""
    db.tres()
    store = Store()

    def prepare(cluster, store):
        lib.slurmdb_init_cluster_rec(cluster, False)
        cluster.accounting_list = store.list()
    db.add("slurmdb_clusters_add", store.list(entries(body, "clusters", declared,
                                                       "slurmdb_cluster_rec_t *", store, prepare)))


OPERATIONS.append(addition("/clusters", "add_clusters", "Add clusters",
                           listing("clusters_properties", "clusters", CLUSTER),
                           "response_cluster_add", add))
