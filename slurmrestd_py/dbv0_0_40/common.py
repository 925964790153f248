"""What the /slurmdb v0.0.40-42 areas share: the dialect their objects are
derived from v0.0.38's in (number objects; a NULL string is ""), plain
integer types, the TRES record and list, and the operation builder.
"""
from __future__ import annotations

from typing import Callable

from ..dbv0_0_38 import common as v38
from ..kinds import F64, NUMBER_OBJECTS, NumberObj
from ..routes import Operation, Param
from ..schema import ArrayOf, CStr, CText, Field, Obj, Scalar, Type
from ..slurm import INFINITE, ffi
from ..slurmdb.session import ENV
from ..slurmdb.tres import parse_tres

INT32 = Scalar("integer", "int32")
INT64 = Scalar("integer", "int64")
# v0.0.38's types as v0.0.40 writes them: NO_VAL/INFINITE numbers as
# {set, infinite, number}; a NULL char * as "".
DIALECT = {**NUMBER_OBJECTS, CStr: CText}


def retyped(obj: Obj, **types: Type) -> dict:
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


# ---- TRES ----

TRES = Obj("tres", [
    Field("type", CText, description="TRES type (CPU, MEM, etc)"),
    Field("name", CText, description="TRES name (if applicable)"),
    Field("id", INT32, description="ID used in database"),
    Field("count", INT64, description="TRES count (0 if listed generically)"),
], required=["type"])
TRES_LIST = ArrayOf("tres_list", TRES)


def _signed(v: int) -> int:
    return v - (1 << 64) if v >= 1 << 63 else v


def tres_list(ptr) -> list[dict]:
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


def tres_field(attr: str) -> Callable:
    return lambda o: tres_list(getattr(o, attr))


def tres_fields(obj: Obj) -> dict:
    """`replace` entries of obj.derive: each of v0.0.38's TRES lists read
    from the same member as v0.0.40's (and written as before)."""
    return {f.key: Field(f.key, TRES_LIST, tres_field(f.read.attr), f.description, f.write,
                         f.required)
            for f in obj.entries if getattr(f, "type", None) is v38.TRES_LIST}


def read_tres_record(t) -> dict:
    return {"type": _text(t.type), "name": _text(t.name), "id": t.id & 0xFFFFFFFF,
            "count": _signed(t.count)}


def _text(ptr) -> str:
    return "" if ptr == ffi.NULL else ffi.string(ptr).decode("utf-8", "replace")


# ---- records shared by several areas ----

ASSOC_SHORT = Obj("assoc_short", [
    Field("account", CText, "acct", "Account name"),
    Field("cluster", CText, description="Cluster name"),
    Field("partition", CText, description="Partition name"),
    Field("user", CText, description="User name"),
    Field("id", INT32, description="Numeric association ID"),
], required=["user"])


def assoc_short(attr: str) -> Callable:
    """A reader of the association record `attr` points to ({} without one)."""
    read = ASSOC_SHORT.read
    return lambda o: {} if getattr(o, attr) == ffi.NULL else read(getattr(o, attr))


# ---- operations ----

def operation(method: str, path: str, op_id: str, summary: str, handler, response_obj,
              params: list[Param] | None = None, body: Obj | None = None) -> Operation:
    """A /slurmdb operation of a parser version (path as the reference's
    document writes it, "jobs/"; op_id "get_jobs")."""
    op = Operation(method, path, op_id, summary, "slurmdb", handler, response_obj,
                   list(params or ()))
    op.body = body
    return op
