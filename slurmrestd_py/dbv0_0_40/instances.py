"""GET /slurmdb/v0.0.40/instances/ and /instance/ (v0.0.41 and v0.0.42 the
same): cloud node instances. Slurm 22.05's accounting keeps none (it has
no slurmdb_instances_get), so every query finds nothing, answered as the
24.11 reference answers that: no "instances" key (it also warns)."""
from __future__ import annotations

from ..envelope import response_40
from ..routes import Param
from ..schema import ArrayOf, CText, Field, Obj, Str
from .common import INT64, operation

INSTANCE = Obj("instance", [
    Field("cluster", CText, description="Cluster name"),
    Field("extra", CText, description="Arbitrary string used for node filtering if extra "
                                      "constraints are enabled"),
    Field("instance_id", CText, description="Cloud instance ID"),
    Field("instance_type", CText, description="Cloud instance type"),
    Field("node_name", CText, description="NodeName"),
    Field("time/time_end", INT64, description="When the instance will end (UNIX timestamp)"),
    Field("time/time_start", INT64, description="When the instance will start (UNIX "
                                                "timestamp)"),
])
INSTANCES = response_40("openapi_instances_resp", [
    Field("instances", ArrayOf("instance_list", INSTANCE), description="instances")])
# An answer that found nothing has no "instances" (here, every answer).
INSTANCES.required = []
PARAMS = [Param(k, "query", Str, d) for k, d in (
    ("cluster", "CSV clusters list"), ("extra", "CSV extra list"),
    ("format", "Ignored; process JSON manually to control output format"),
    ("instance_id", "CSV instance_id list"), ("instance_type", "CSV instance_type list"),
    ("node_list", "Ranged node string"), ("time_end", "Time end (UNIX timestamp)"),
    ("time_start", "Time start (UNIX timestamp)"))]


def nothing(call) -> dict:
    return {}


OPERATIONS = [
    operation("GET", "instances/", "get_instances", "Get instance list", nothing, INSTANCES,
              PARAMS),
    operation("GET", "instance/", "get_instance", "Get instance info", nothing, INSTANCES,
              PARAMS),
]
