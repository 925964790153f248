"""GET and POST /slurmdb/v0.0.38/config: every area at once, in the
reference's order (clusters, TRES, accounts, users, QOS, wckeys,
associations); a GET stops at the first that fails."""
from __future__ import annotations

from ..routes import Operation, Param
from ..schema import Array, Field, Obj, Str
from . import accounts, associations, clusters, qos, tres, users, wckeys
from ..errors import ESLURM_DATA_PATH_NOT_FOUND
from ..slurmdb.session import DbError, answer, soft_error
from .common import TRES_LIST, addition, operation, response

# key, its listed object, the area's dump(db, query) and add(db, body).
AREAS = (
    ("clusters", Array(clusters.CLUSTER), clusters.dump, clusters.add),
    ("TRES", TRES_LIST, tres.dump, tres.add),
    ("accounts", Array(accounts.ACCOUNT), accounts.dump, accounts.add),
    ("users", Array(users.USER), users.dump, users.add),
    ("QOS", Array(qos.QOS), qos.dump, qos.add),
    ("wckeys", Array(wckeys.WCKEY), wckeys.dump, wckeys.add),
    ("associations", Array(associations.ASSOCIATION), associations.dump, associations.add),
)


def replaced(areas, own: dict):
    """`areas` with the (listed, dump, add) of each key in `own` replaced."""
    return tuple((key, *own.get(key, rest)) for key, *rest in areas)


def dump(db, query: dict, areas=AREAS) -> dict:
    out: dict = {}
    for _, _, area, _ in areas:
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


def add(db, body, areas=AREAS) -> None:
    """The areas the body holds, committed together or not at all (the
    reference stops at TRES, which it never takes, having committed what
    came before; an area the body lacks is an error there)."""
    present = [add for key, _, _, add in areas if isinstance(body, dict) and key in body]
    if not present:
        raise DbError(ESLURM_DATA_PATH_NOT_FOUND, "config", "Query parameter not found", 400, {})
    for add_area in present:
        add_area(db, body)


def config_operations(areas, query: list[Param]) -> list[Operation]:
    """GET and POST /config over `areas` (as AREAS); GET takes `query`."""
    info = response("config_info", [
        Field(key, listed, description=f"Array of {key}") for key, listed, _, _ in areas])
    return [
        operation("GET", "/config", "get_config", "Dump all configuration information",
                  lambda call: answer(dump, call.query, areas), info, query),
        addition("/config", "set_config", "Load all configuration information",
                 Obj("set_config", [Field(key, listed) for key, listed, _, _ in areas]),
                 "config_response", lambda db, body: add(db, body, areas)),
    ]


OPERATIONS = config_operations(AREAS, [
    Param("with_deleted", "query", Str, "Include deleted accounts, users and QOS (a Boolean; "
          "default false; any other key is a 400)")])
