"""GET and POST /slurmdb/v0.0.40/wckeys/ (WCKEY_CONDITION query); GET and
DELETE /wckey/{id} (by database id, where v0.0.38 took a name).

The wckey is dbv0.0.38's with its accounting records (which slurmdbd sends
with usage only) and no DEFAULT flag (24.11 writes none)."""
from __future__ import annotations

from typing import Callable

from .. import words
from ..dbv0_0_38 import wckeys as w38
from ..envelope import response_40
from ..routes import Param
from ..schema import ArrayOf, Enum, Field, Obj, Str
from ..slurm import ffi
from ..slurmdb.session import Conditions, answer, partial
from ..slurmdb.writers import flag_names, unsigned
from .associations import ACCOUNTING, accounting
from .common import INT32, OPENAPI_RESP, Text, getter, operation, removed

WCKEY_FLAGS = ((w38.WCKEY_FLAG_DELETED, "DELETED"),)


def _required(key: str, description: str) -> Field:
    return Field(key, Text, key, description, w38.WCKEY.writers()[key].write, True)


def wckey(accounting_obj: Obj) -> Obj:
    """The wckey with its accounting records read as `accounting_obj`."""
    obj = w38.WCKEY.derive(replace={
        "accounts": accounting(accounting_obj),
        "cluster": _required("cluster", "Cluster name"),
        "id": Field("id", INT32, "id", "Unique ID for this user-cluster-wckey combination",
                    unsigned("id", 32)),
        "name": _required("name", "WCKey name"),
        "user": _required("user", "User name"),
        "flags": Field("flags", ArrayOf("wckey_flags", Enum(*(n for _, n in WCKEY_FLAGS))),
                       lambda w: ["DELETED"] if w.flags & w38.WCKEY_FLAG_DELETED else [],
                       "Flags associated with this WCKey", flag_names("flags", WCKEY_FLAGS)),
    })
    obj.required = ["cluster", "name", "user"]
    return obj


WCKEY = wckey(ACCOUNTING)

# The WCKEY_CONDITION query: list filters, flags, times (query key -> member).
LISTS = (("cluster", "cluster_list"), ("format", None), ("id", "id_list"),
         ("name", "name_list"), ("user", "user_list"))
FLAGS = (("only_defaults", "only_defs"), ("with_usage", "with_usage"),
         ("with_deleted", "with_deleted"))
TIMES = (("usage_end", "usage_end"), ("usage_start", "usage_start"))
PARAMS = sorted([Param(k, "query", Str, f"CSV {k} list") for k, _ in LISTS]
                + [Param(k, "query", Str, k) for k, _ in FLAGS + TIMES], key=lambda p: p.name)


def dumper(obj: Obj) -> Callable:
    """dump(db, query, id=None): the wckeys the query (or the id) selects."""
    def dump(db, query: dict, wckey_id: str | None = None) -> dict:
        out = {"wckeys": []}
        with partial(out), Conditions() as cond:
            wckey_cond = ffi.new("slurmdb_wckey_cond_t *")
            for key, member in LISTS:
                if member and key in query and wckey_id is None:
                    setattr(wckey_cond, member, cond.chars(query[key]))
            for key, member in FLAGS:
                if key in query and words.truth(query[key]):
                    setattr(wckey_cond, member, 1)
            for key, member in TIMES:
                if key in query:
                    setattr(wckey_cond, member, words.rounded(query[key]) or 0)
            if wckey_id is not None:
                wckey_cond.id_list = cond.exact(wckey_id)
            db.tres()
            found = db.get("slurmdb_wckeys_get", wckey_cond, "slurmdb_wckey_rec_t *")
        out["wckeys"] = [obj.read(w) for w in found]
        return out
    return dump


def remove(db, call) -> list[str]:
    with Conditions() as cond:
        wckey_cond = ffi.new("slurmdb_wckey_cond_t *", {"id_list": cond.exact(call.params["id"])})
        return db.remove("slurmdb_wckeys_remove", wckey_cond)


def operations(obj: Obj) -> list:
    resp = response_40("openapi_wckey_resp", [
        Field("wckeys", ArrayOf("wckey_list", obj), description="wckeys")])
    wckey_id = Param("id", "path", Str, "wckey id", True)

    def post(call):
        def build(db):
            w38.add(db, call.body, obj)
            db.commit()
            return {}
        return answer(build)
    return [
        operation("GET", "wckeys/", "get_wckeys", "Get wckey list", getter(dumper(obj)), resp,
                  PARAMS),
        operation("POST", "wckeys/", "post_wckeys", "Add or update wckeys", post, OPENAPI_RESP,
                  PARAMS, body=resp),
        operation("GET", "wckey/{id}", "get_wckey", "Get wckey info", getter(dumper(obj), "id"),
                  resp, [wckey_id]),
        # Nothing removed is 200 with an empty list here (the reference's way too).
        operation("DELETE", "wckey/{id}", "delete_wckey", "Delete wckey",
                  lambda call: answer(lambda db: {"deleted_wckeys": remove(db, call)}),
                  removed("openapi_wckey_removed_resp", "deleted_wckeys"), [wckey_id]),
    ]


OPERATIONS = operations(WCKEY)
