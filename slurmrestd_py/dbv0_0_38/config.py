"""GET /slurmdb/v0.0.38/config: every list at once, as the reference
builds it: clusters, TRES, accounts, users, QOS, wckeys, associations, in
that order, stopping at the first that fails."""
from __future__ import annotations

from ..routes import Param
from ..schema import Array, Field, Str
from . import accounts, associations, clusters, qos, tres, users, wckeys
from .common import DbError, answer, operation, response, soft_error

CONFIG_INFO = response("config_info", [
    Field("clusters", Array(clusters.CLUSTER), description="Array of clusters"),
    Field("TRES", tres.TRES_INFO.fields[2].type, description="Array of TRES"),
    Field("accounts", Array(accounts.ACCOUNT), description="Array of accounts"),
    Field("users", Array(users.USER), description="Array of users"),
    Field("QOS", Array(qos.QOS), description="Array of QOS"),
    Field("wckeys", Array(wckeys.WCKEY), description="Array of wckeys"),
    Field("associations", Array(associations.ASSOCIATION),
          description="Array of associations"),
])

# Each area's dump(db, query): the query goes to all, as the reference passes it.
AREAS = (clusters.dump, tres.dump, accounts.dump, users.dump, qos.dump, wckeys.dump,
         associations.dump)


def dump(db, query: dict) -> dict:
    out: dict = {}
    for area in AREAS:
        try:
            out.update(area(db, query))
        except DbError as e:
            out.update(e.payload or {})
            if e.status != 200:
                e.payload = out
                raise
            # The TRES query failing does not stop the reference.
            soft_error(e.errno, e.source, e.description)
    return out


def get_config(call):
    return answer(dump, call.query)


OPERATIONS = [operation("GET", "/config", "get_config", "Dump all configuration information",
                        get_config, CONFIG_INFO,
                        [Param("with_deleted", "query", Str, "Include deleted accounts, users "
                               "and QOS (a Boolean; default false; any other key is a 400)")])]
