"""GET and POST /slurmdb/v0.0.40/qos/, GET and DELETE /qos/{qos} (v0.0.41
the same): v0.0.38's QOS records in v0.0.40's dialect."""
from __future__ import annotations

from typing import Callable

from .. import words
from ..dbv0_0_38 import qos as v38
from ..envelope import response_40
from ..routes import Param
from ..schema import ArrayOf, Field, Obj, Str
from ..slurm import ffi
from ..slurmdb.readers import flags
from ..slurmdb.session import answer, partial
from ..slurmdb.writers import flag_names
from .common import DIALECT, INT32, number_inputs, operation, retyped, typed

# QOS_FLAG_* and PREEMPT_MODE_* as 24.11 names them (22.05 has no RELATIVE;
# OFF is DISABLED).
QOS_FLAGS = v38.QOS_FLAGS
PREEMPT_MODES = v38.PREEMPT_MODES


def _preempt_mode(q) -> list[str]:
    return flags("preempt_mode", PREEMPT_MODES)(q) or ["DISABLED"]


def _write_mode(rec, value, store) -> None:
    """DISABLED (OFF) is no bit; the others as v0.0.38 writes them."""
    if isinstance(value, list):
        value = [v for v in value if not (isinstance(v, str) and v.upper() == "DISABLED")]
    flag_names("preempt_mode", PREEMPT_MODES)(rec, value, store)


QOS = number_inputs(v38.QOS.derive(
    "qos", dialect=DIALECT, description="",
    replace={
        **typed(v38.QOS, id=INT32, limits__grace_time=INT32),
        **retyped(v38.QOS),
        "flags": Field("flags", ArrayOf("qos_flags", Str), flags("flags", QOS_FLAGS),
                       "Flags, to avoid modifying current values specify NOT_SET",
                       flag_names("flags", QOS_FLAGS)),
        "preempt/mode": Field("preempt/mode", ArrayOf("qos_preempt_modes", Str), _preempt_mode,
                              "PreemptMode", _write_mode),
        "preempt/list": Field("preempt/list", ArrayOf("qos_preempt_list", Str),
                              lambda q: v38.preempt_names(q) or [],
                              "Other QOS's this QOS can preempt",
                              v38.QOS.writers()["preempt/list"].write),
    }))

def dumper(qos: Obj) -> Callable:
    """dump(db, query, name, deleted): the QOS as `qos` reads them: the one named
    (deleted ones too when the query says with_deleted), or every QOS not
    deleted. The list ignores its query: the reference reads the QOS
    condition from the path's parameters (it has none), so it filters
    nothing."""
    def dump(db, query: dict, name: str | None = None, deleted: bool | None = None) -> dict:
        if deleted is None:  # (config asks for the deleted ones too)
            deleted = name is not None and any(
                words.truth(v) for k, v in query.items() if k.lower() == "with_deleted")
        with partial({}):
            everything = db.qos(int(deleted))
        out = {"qos": []}
        with partial(out, status=200):
            db.tres()
        want = None if name is None else name.encode()
        out["qos"] = [qos.read(q) for q in everything
                      if want is None or (q.name != ffi.NULL and ffi.string(q.name) == want)]
        return out
    return dump


QUERY = [Param(k, "query", Str, d) for k, d in (
    ("description", "CSV description list"), ("id", "CSV QOS id list"),
    ("format", "Ignored; process JSON manually to control output format"),
    ("name", "CSV QOS name list"),
    ("preempt_mode", "PreemptMode used when jobs in this QOS are preempted"),
    ("with_deleted", "Include deleted QOS"))]


def qos_operations(qos: Obj, query: list[Param] = QUERY) -> list:
    """GET/POST qos/, GET/DELETE qos/{qos} for records declared by `qos`."""
    dump, add = dumper(qos), v38.adder(qos, "qos")
    resp = response_40("openapi_slurmdbd_qos_resp", [
        Field("qos", ArrayOf("qos_list", qos), description="List of QOS")])
    removed = response_40("openapi_slurmdbd_qos_removed_resp", [
        Field("removed_qos", ArrayOf("string_list", Str), description="removed QOS")])
    name = Param("qos", "path", Str, "QOS name", True)

    def post(call):
        def build(db):
            add(db, call.body)
            db.commit()
            return {}
        return answer(build)

    def remove(call):
        call.params["qos_name"] = call.params["qos"]  # v0.0.38's name for it
        return answer(lambda db: {"removed_qos": v38.remove(db, call)})

    return [
        operation("GET", "qos/", "get_qos", "Get QOS list",
                  lambda call: answer(dump, call.query), resp, query),
        operation("POST", "qos/", "post_qos", "Add or update QOSs", post,
                  response_40("openapi_resp", []), query, body=resp),
        operation("GET", "qos/{qos}", "get_single_qos", "Get QOS info",
                  lambda call: answer(dump, call.query, call.params["qos"]), resp,
                  [name, Param("with_deleted", "query", Str, "Query includes deleted QOS")]),
        operation("DELETE", "qos/{qos}", "delete_single_qos", "Delete QOS", remove, removed,
                  [name]),
    ]


OPERATIONS = qos_operations(QOS)
