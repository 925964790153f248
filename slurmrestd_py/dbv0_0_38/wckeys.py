"""GET and POST /slurmdb/v0.0.38/wckeys; GET and DELETE /wckey/{wckey}."""
from __future__ import annotations

from ..schema import Array, Field, Obj
from ..slurm import ffi
from ..kinds import U32
from ..slurmdb.session import Conditions, partial
from ..slurmdb.writers import Store, entries, flag_names, string, unsigned
from .common import Names, Text, addition, list_and_one, response

WCKEY_FLAG_DELETED = 1  # SLURMDB_WCKEY_FLAG_DELETED


def _flags(w) -> list[str]:
    out = ["DELETED"] if w.flags & WCKEY_FLAG_DELETED else []
    if w.is_def:
        out.append("DEFAULT")
    return out


WCKEY = Obj("wckey", [
    # slurmdbd sends no accounting records without usage: always empty.
    Field("accounts", Names, lambda w: [], "Accounting records (always empty)"),
    Field("cluster", Text, description="Cluster name", write=string("cluster"), required=True),
    Field("id", U32, description="wckey database unique id", write=unsigned("id", 32),
          required=True),
    Field("name", Text, description="wckey name", write=string("name"), required=True),
    Field("user", Text, description="wckey user", write=string("user"), required=True),
    Field("flags", Names, _flags, "List of properties of wckey",
          flag_names("flags", ((WCKEY_FLAG_DELETED, "DELETED"),), (("is_def", "DEFAULT"),))),
])
WCKEY_INFO = response("wckey_info", [Field("wckeys", Array(WCKEY), description="List of wckeys")])


def dump(db, query: dict | None = None, name: str | None = None) -> dict:
    out = {"wckeys": []}
    with partial(out), Conditions() as cond:
        wckey_cond = ffi.new("slurmdb_wckey_cond_t *", {"with_deleted": 1})
        if name is not None:
            wckey_cond.name_list = cond.exact(name)
        found = db.get("slurmdb_wckeys_get", wckey_cond, "slurmdb_wckey_rec_t *")
    out["wckeys"] = [WCKEY.read(w) for w in found]
    return out


def remove(db, call) -> list[str]:
    """Every user's wckey of that name."""
    with Conditions() as cond:
        wckey_cond = ffi.new("slurmdb_wckey_cond_t *", {
            "with_deleted": 1, "name_list": cond.exact(call.params["wckey"])})
        return db.remove("slurmdb_wckeys_remove", wckey_cond)


OPERATIONS = list_and_one(
    "wckeys", "wckey", "wckey", ("get_wckeys", "get_wckey", "delete_wckey"),
    ("Get wckey list", "Get wckey info", "Delete wckey"), dump, WCKEY_INFO, "Slurm wckey name",
    removal=("response_wckey_delete", "deleted_wckeys", remove))


def add(db, body, wckey: Obj = WCKEY) -> None:
    """The wckeys of a body, parsed as `wckey` declares them."""
    store = Store()

    def lists(wckey, store):
        wckey.accounting_list = store.list()
    db.add("slurmdb_wckeys_add", store.list(entries(body, "wckeys", wckey,
                                                     "slurmdb_wckey_rec_t *", store, lists)))


OPERATIONS.append(addition("/wckeys", "add_wckeys", "Add wckeys", WCKEY_INFO,
                           "response_wckey_add", add))
