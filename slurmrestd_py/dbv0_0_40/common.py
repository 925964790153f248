"""What the /slurmdb v0.0.40 to v0.0.42 areas share: the string and TRES
forms of these versions, the dialect v0.0.38's declarations are derived in
(number objects, "" for a NULL string), the short association and
coordinator records, string lists, and the builders of their operations.
Records are read from the same slurmdb structs as dbv0_0_38's (its
declarations are derived here).
"""
from __future__ import annotations

from typing import Callable

from ..dbv0_0_38 import common as c38
from ..envelope import response_40
from ..errors import SLURM_NO_CHANGE_IN_DATA, SlurmError
from ..routes import Operation, Param
from ..kinds import F64, NUMBER_OBJECTS, NumberObj
from ..schema import ArrayOf, Bool, CStr, Field, Int, Obj, Scalar, Str, Type
from ..slurm import INFINITE, ffi, text
from ..slurmdb.readers import list_of
from ..slurmdb.session import ENV, answer
from ..slurmdb.tres import parse_tres
from ..slurmdb.writers import new_assoc, objects

INT32 = Scalar("integer", "int32")
INT64 = Int
# STRING: a NULL char* is "" (JSON and YAML alike).
Text = Scalar("string", convert=lambda p: text(p) or "")
STRING_LIST = ArrayOf("string_list", Str)
# v0.0.38's types as v0.0.40 writes them: NO_VAL/INFINITE numbers as
# {set, infinite, number}; a NULL char * as "".
DIALECT = {**NUMBER_OBJECTS, CStr: Text}


def typed(obj: Obj, **types: Type) -> dict:
    """`replace` entries of obj.derive: the fields at these keys (path keys
    with "__" for "/") read as before but typed anew (v0.0.38's nullable
    uint32 a plain int32, ...)."""
    out = {}
    for key, t in types.items():
        key = key.replace("__", "/")
        f = next(e for e in obj.entries if key in e.keys)
        out[key] = Field(f.key, t, f.read, f.description, f.write, f.required)
    return out


def _number_input(write: Callable, infinite, no_val) -> Callable:
    def number(rec, value, store):
        if isinstance(value, dict):  # {set, infinite, number}
            if value.get("infinite"):
                value = infinite
            elif not value.get("set", "number" in value):
                value = no_val
            else:
                value = value.get("number")
        write(rec, value, store)
    return number


def number_inputs(obj: Obj) -> Obj:
    """`obj` with each number object's writer taking {set, infinite, number}
    as well as a plain number (-1 and -2 INFINITE and NO_VAL, as before)."""
    entries = []
    for e in obj.entries:
        form = DIALECT.get(e.type) if isinstance(e, Field) and e.write else None
        if isinstance(form, NumberObj):
            real = e.type is F64
            e = Field(e.key, e.type, e.read, e.description,
                      _number_input(e.write, float(INFINITE) if real else -1,
                                    None if real else -2), e.required)
        entries.append(e)
    return obj.rebuilt(obj.name, entries, obj.description, obj.required)

TRES = Obj("tres", [
    Field("type", Str, description="TRES type (CPU, MEM, etc)", required=True),
    Field("name", Str, description="TRES name (if applicable)"),
    Field("id", INT32, description="ID used in the database"),
    Field("count", Int, description="TRES count (0 if listed generically)"),
], required=["type"])
TRES_LIST = ArrayOf("tres_list", TRES)


def _signed(v: int) -> int:
    return v - (1 << 64) if v >= 1 << 63 else v


def tres_rows(ptr) -> list[dict]:
    """A TRES string ("1=2,4=1") as {type, name, id, count} records; the
    count is written as the int64 it is (NO_VAL64 is -2, as the reference)."""
    if ptr == ffi.NULL:
        return []
    s = ffi.string(ptr)
    if not s:
        return []
    out = []
    for tid, count in parse_tres(s):
        ty, name = ENV.tres.get(tid, (None, None))
        out.append({"type": ty or "", "name": name or "", "id": tid, "count": _signed(count)})
    return out


class tres_field(c38.tres_field):
    """The reader of the TRES string `attr` in this form."""

    __slots__ = ()

    def __call__(self, o) -> list[dict]:
        return tres_rows(getattr(o, self.attr))


def _tres_rows(rows: list[dict]) -> list[dict]:
    # v0.0.38's rows with an unnamed TRES's name (and unknown type) as "",
    # and an unset count as 0, as STRING and INT64 dump them.
    for r in rows:
        r["type"], r["name"] = r["type"] or "", r["name"] or ""
        if r["count"] is None:
            r["count"] = 0
    return rows


def tres_list(field: Field) -> Field:
    """v0.0.38's TRES list `field` (same member, same writer) in this form."""
    read = field.read
    if isinstance(read, c38.tres_field):  # the member itself, read anew
        read = tres_field(read.attr)
    else:
        read = lambda o, _read=read: _tres_rows(_read(o))  # noqa: E731
    return Field(field.key, TRES_LIST, read, field.description, field.write, field.required)


def retyped(obj: Obj) -> dict[str, Field]:
    """`replace` for derive: each TRES list of `obj` in this form."""
    return {e.key: tres_list(e) for e in obj.entries
            if isinstance(e, Field) and e.type is c38.TRES_LIST}


def read_tres_record(t) -> dict:
    return {"type": text(t.type) or "", "name": text(t.name) or "", "id": t.id & 0xFFFFFFFF,
            "count": _signed(t.count)}


ASSOC_SHORT = c38.ASSOC_SHORT.derive("assoc_short", add=[
    ("user", Field("id", INT32, description="Numeric association ID")),
], replace={k: Field(k, Text, f.read, f.description, f.write, f.required)
            for f in c38.ASSOC_SHORT.entries for k in f.keys}, description="")
ASSOC_SHORT.required = ["user"]
COORD = c38.COORDINATOR.derive("coord", replace={
    "name": Field("name", Text, "name", "User name", c38.COORDINATOR.writers()["name"].write,
                  True),
    "direct": Field("direct", Bool, lambda c: bool(c.direct),
                    "Indicates whether the coordinator was directly assigned to this account",
                    c38.COORDINATOR.writers()["direct"].write),
})
ASSOC_SHORT_LIST = ArrayOf("assoc_short_list", ASSOC_SHORT)
COORD.required = ["name"]
COORD_LIST = ArrayOf("coord_list", COORD)
read_assoc_shorts = list_of(ASSOC_SHORT, "assoc_list", "slurmdb_assoc_rec_t *")
write_assoc_shorts = objects("assoc_list", "slurmdb_assoc_rec_t *", lambda: ASSOC_SHORT.inputs,
                             new_assoc)


def assoc_short(attr: str) -> Callable:
    """A reader of the association record `attr` points to ({} without one)."""
    read = ASSOC_SHORT.read
    return lambda o: {} if getattr(o, attr) == ffi.NULL else read(getattr(o, attr))


def coordinators(attr: str) -> Callable:
    return list_of(COORD, attr, "slurmdb_coord_rec_t *")


def coordinators_input(attr: str) -> Callable:
    return objects(attr, "slurmdb_coord_rec_t *", lambda: COORD.inputs)


# ---- answers and operations ----

OPENAPI_RESP = response_40("openapi_resp", [])


def removed(name: str, key: str) -> Obj:
    """A removal's answer: the names removed under `key`."""
    return response_40(name, [Field(key, STRING_LIST, description="removed")])


def operation(method: str, path: str, op_id: str, summary: str, handler, response,
              params: list[Param] = (), body: Obj | None = None) -> Operation:
    op = Operation(method, path, op_id, summary, "slurmdb", handler, response, list(params))
    op.body = body
    return op


def getter(dump: Callable, param: str | None = None) -> Callable:
    """A handler answering dump(db, query[, the path parameter `param`])."""
    if param is None:
        return lambda call: answer(dump, call.query)
    return lambda call: answer(dump, call.query, call.params[param])


def poster(add: Callable) -> Callable:
    """A handler storing a body with add(db, body, query) -> payload, committed."""
    def post(call):
        def build(db):
            out = add(db, call.body, call.query) or {}
            db.commit()
            return out
        return answer(build)
    return post


def remover(remove: Callable, key: str | None) -> Callable:
    """A handler answering {key: remove(db, call)} (no key: {}); nothing
    removed is 304 (no body), as the reference answers."""
    def removal(db, call):
        names = remove(db, call)
        if not names:
            raise SlurmError(SLURM_NO_CHANGE_IN_DATA, remove.__name__)
        return {key: names} if key else {}
    return lambda call: answer(removal, call)
