"""/slurmdb/v0.0.37 associations: GET /associations (every one, deleted
included: no filters) and POST (add only); GET and DELETE /association,
whose filters are single values taken as given. Their QOS are listed by id."""
from __future__ import annotations

from typing import Callable

from ..dbv0_0_38 import associations
from ..dbv0_0_38.common import Names, addition, deletion, operation
from ..errors import ESLURM_REST_INVALID_QUERY
from ..routes import Operation
from ..schema import Array, Field, Obj
from ..slurm import conditions, ffi, strings
from ..slurmdb.session import Conditions, DbError
from ..slurmdb.qos import qos_ids
from ..slurmdb.writers import Store


def _qos(a) -> list[str]:
    # slurmdbd's strings as they come: QOS ids, in its order.
    return [] if a.qos_list == ffi.NULL else strings(a.qos_list)


ASSOCIATION = associations.ASSOCIATION.derive(replace={"qos": Field(
    "qos", Names, _qos, "Assigned QOS ids (a body gives QOS names)", qos_ids("qos_list"))})


def _every(cond: Conditions, query: dict):
    return conditions.new("slurmdb_assoc_cond_t *", {"with_deleted": 1})


def _exact(cond: Conditions, query: dict):
    assoc_cond = ffi.new("slurmdb_assoc_cond_t *")
    for key, member in associations.FILTERS:
        if key in query:
            setattr(assoc_cond, member, cond.exact(query[key]))
    return assoc_cond


def dumper(association: Obj) -> Callable:
    """GET /associations: every association, deleted ones included (no
    filters), read as `association` declares them."""
    return associations.dumper(association, _every)


def remove(db, call) -> list[str]:
    """Every association the filters select; account and user are required
    (without them the reference sends slurmdbd a NULL name)."""
    if "account" not in call.query or "user" not in call.query:
        raise DbError(ESLURM_REST_INVALID_QUERY, description="account and user are required",
                      status=400, payload={"removed_associations": []})
    return associations.remove(db, call, condition=_exact)


def adder(association: Obj) -> Callable:
    """add(db, body): the associations of a body (as `association` declares
    them), all added at once; one that exists is left as it is (dbv0.0.38
    changes it)."""
    def add(db, body) -> None:
        store = Store()
        db.add("slurmdb_associations_add",
               store.list(associations.parsed(db, body, association, store)))
    return add


def association_operations(association: Obj) -> list[Operation]:
    """The operations on associations declared by `association`."""
    info = associations.ASSOCIATIONS_INFO.derive(replace={"associations": Field(
        "associations", Array(association), description="Array of associations")})
    return [
        operation("GET", "/associations", "get_associations", "Get association list",
                  associations.getter(dumper(association)), info),
        addition("/associations", "update_associations", "Set associations info", info,
                 "response_associations", adder(association)),
        operation("GET", "/association", "get_association", "Get association info",
                  associations.getter(associations.dumper(association, _exact)), info,
                  associations.PARAMS),
        deletion("/association", "delete_association", "Delete association",
                 "response_association_delete", "removed_associations", remove,
                 associations.PARAMS),
    ]


dump, add = dumper(ASSOCIATION), adder(ASSOCIATION)
OPERATIONS = association_operations(ASSOCIATION)
