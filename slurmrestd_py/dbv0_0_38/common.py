"""What every /slurmdb/v0.0.38 area shares, and the older versions derive
from: value types, the TRES list and short association records, the
with_deleted query rule and the builders of operations. The session,
readers and writers behind them are version-free (slurmrestd_py/slurmdb/).

The reference builds each record from a table of slash-separated key paths
("max/jobs/per/count") whose nested objects get their keys in the order the
paths first name them; an `Obj` declared with such keys nests the same way,
so key order, schema and reader come from one list.
"""
from __future__ import annotations

from typing import Callable

from .. import slurm, words
from ..envelope import response_obj
from ..errors import ESLURM_REST_INVALID_QUERY
from ..routes import Operation, Param
from ..kinds import F64, I64, U16, U32, base
from ..schema import Array, ArrayOf, CStr, Field, Inline, Obj, Str, Type
from ..slurm import ffi
from ..slurmdb.readers import list_of
from ..slurmdb.session import ENV, DbError, answer, soft_error
from ..slurmdb.tres import parse_tres, tres_string
from ..slurmdb.writers import new_assoc, objects, real, string, unsigned

_u32, _i64 = base(U32), base(I64)

Text = CStr  # char *: NULL is null
Names = Array(Str)


# ---- TRES ----

TRES = Inline([
    Field("type", Text, description="TRES type"),
    Field("name", Text, description="TRES name (optional)"),
    Field("id", U32, description="database id"),
    Field("count", I64, description="count of TRES"),
])
TRES_LIST = ArrayOf("tres_list", TRES, "TRES list of attributes")


def tres_list(ptr) -> list[dict]:
    """A TRES string as the reference's list of {type, name, id, count}."""
    if ptr == ffi.NULL:
        return []
    s = ffi.string(ptr)
    if not s:
        return []
    rows = ENV.tres_rows.get(s)
    if rows is None:
        rows = []
        for tid, count in parse_tres(s):
            ty, name = ENV.tres.get(tid, (None, None))
            rows.append((ty, name, tid, _i64(count)))
        ENV.tres_rows[s] = rows
    # Fresh dicts: shared ones would become YAML aliases.
    return [{"type": ty, "name": name, "id": tid, "count": count}
            for ty, name, tid, count in rows]


class tres_field:
    """The reader of the TRES string `attr` as a TRES list (it names its
    member, so later versions can read the same member their way)."""

    __slots__ = ("attr",)

    def __init__(self, attr: str):
        self.attr = attr

    def __call__(self, o) -> list[dict]:
        return tres_list(getattr(o, self.attr))


def W(path: str, type: Type, attr: str | None = None, description: str = "",
      required: bool = False) -> Field:
    """A plain member, read and written as its type says (a TRES list as
    slurmdbd's "id=count" string); `attr` defaults to the path's last key."""
    attr = attr or path.rsplit("/", 1)[-1]
    if type is TRES_LIST:
        return Field(path, type, tres_field(attr), description, tres_string(attr), required)
    write = {id(Text): string, id(F64): real, id(U16): lambda a: unsigned(a, 16),
             id(U32): lambda a: unsigned(a, 32)}[id(type)]
    return Field(path, type, attr, description, write(attr), required)


def read_tres_record(t) -> dict:
    return {"type": slurm.text(t.type), "name": slurm.text(t.name), "id": _u32(t.id),
            "count": _i64(t.count)}


# ---- records shared by several areas ----

ASSOC_SHORT = Obj("association_short_info", [
    Field("account", Text, "acct", "Account name", string("acct"), True),
    Field("cluster", Text, description="Cluster name", write=string("cluster")),
    Field("partition", Text, description="Partition name (optional)", write=string("partition")),
    Field("user", Text, description="User name", write=string("user"), required=True),
])
COORDINATOR = Obj("coordinator_info", [
    Field("name", Text, description="Name of user", write=string("name"), required=True),
    Field("direct", U16, description="If user is coordinator of this account directly or "
                                 "coordinator status was inherited from a higher account "
                                 "in the tree", write=unsigned("direct", 16)),
])


ASSOC_SHORT_LIST = list_of(ASSOC_SHORT, "assoc_list", "slurmdb_assoc_rec_t *")
ASSOC_SHORT_INPUT = objects("assoc_list", "slurmdb_assoc_rec_t *", lambda: ASSOC_SHORT.inputs,
                            new_assoc)


def coordinators(attr: str) -> Callable:
    return list_of(COORDINATOR, attr, "slurmdb_coord_rec_t *")


def coordinators_input(attr: str) -> Callable:
    return objects(attr, "slurmdb_coord_rec_t *", lambda: COORDINATOR.inputs)


# ---- queries ----

def with_deleted(query: dict, strict: bool = True) -> int:
    """The with_deleted query value (default false), the only key the
    reference takes: any other is a 400 (`strict`) or an error entry."""
    value = 0
    for key, v in query.items():
        if key.lower() != "with_deleted":
            if strict:
                raise DbError(ESLURM_REST_INVALID_QUERY, description="Unknown query field",
                              status=400, payload={})
            soft_error(ESLURM_REST_INVALID_QUERY, description="Unknown query field")
            break
        value = int(words.truth(v))
    return value


# ---- operations ----

def response(name: str, fields: list[Field], description: str = "") -> Obj:
    return response_obj(name, fields, description)


def operation(method: str, path: str, op_id: str, summary: str, handler, response_obj,
              params: list[Param] | None = None) -> Operation:
    return Operation(method, path.lstrip("/"), op_id, summary, "slurmdb",
                     handler, response_obj, params or [], errors="slurmdb")


def listing(name: str, key: str, listed: Obj) -> Obj:
    """A request body that lists objects under `key`."""
    return Obj(name, [Field(key, Array(listed))])


def addition(path: str, op_id: str, summary: str, body: Obj, response_name: str,
             add: Callable) -> Operation:
    """POST `path`: `add(db, call.body)` stores what the `body` lists, then
    it is committed."""
    def post(call):
        def build(db):
            add(db, call.body)
            db.commit()
            return {}
        return answer(build)

    op = operation("POST", path, op_id, summary, post, response(response_name, []))
    op.body = body
    return op


def deletion(path: str, op_id: str, summary: str, schema: str, key: str, remove: Callable,
             params: list[Param]) -> Operation:
    """DELETE `path`: `remove(db, call) -> names` (call.params and call.query
    select what), answered as {key: names} in the response object `schema`."""
    def delete(call):
        return answer(lambda db: {key: remove(db, call)})

    removed = response(schema, [
        Field(key, Array(Str), description="Names of what was removed (empty when nothing "
                                           "matched)")])
    return operation("DELETE", path, op_id, summary, delete, removed, params)


def list_and_one(plural: str, single: str, param: str, op_ids: tuple[str, ...],
                 summaries: tuple[str, ...], dump: Callable, response_obj,
                 param_description: str, query: list[Param] = (),
                 removal: tuple[str, str, Callable] | None = None) -> list[Operation]:
    """GET /<plural> and /<single>/{param}, both answered by
    `dump(db, query, name)` (name None for the whole list). With `removal`
    (schema, key, remove), also DELETE /<single>/{param} (see `deletion`),
    whose op_id and summary come third in `op_ids` and `summaries`."""
    def get_all(call):
        return answer(dump, call.query)

    def get_one(call):
        return answer(dump, call.query, call.params[param])

    path, name = f"/{single}/{{{param}}}", Param(param, "path", Str, param_description, True)
    ops = [
        operation("GET", f"/{plural}", op_ids[0], summaries[0], get_all, response_obj,
                  list(query)),
        operation("GET", path, op_ids[1], summaries[1], get_one, response_obj, [name, *query]),
    ]
    if removal:
        ops.append(deletion(path, op_ids[2], summaries[2], *removal, [name]))
    return ops
