"""GET and POST /slurmdb/v0.0.38/accounts; GET and DELETE /account/{account_name}."""
from __future__ import annotations

from typing import Callable

from ..routes import Operation, Param
from ..schema import Array, Field, Str, Obj
from ..slurm import conditions, ffi
from ..slurmdb.readers import flags
from ..slurmdb.session import Conditions, partial
from ..slurmdb.writers import Store, entries, flag_names, string
from .common import (ASSOC_SHORT, ASSOC_SHORT_INPUT, ASSOC_SHORT_LIST, COORDINATOR, Names, Text,
                     addition, coordinators, coordinators_input, list_and_one, listing, response,
                     with_deleted)

ACCOUNT_FLAGS = ((1, "DELETED"),)  # SLURMDB_ACCT_FLAG_DELETED

ACCOUNT = Obj("account", [
    Field("associations", Array(ASSOC_SHORT), ASSOC_SHORT_LIST, "List of assigned associations",
          ASSOC_SHORT_INPUT),
    Field("coordinators", Array(COORDINATOR), coordinators("coordinators"),
          "List of assigned coordinators", coordinators_input("coordinators")),
    Field("description", Text, description="Description of account", write=string("description")),
    Field("name", Text, description="Name of account", write=string("name")),
    Field("organization", Text, description="Assigned organization of account",
          write=string("organization")),
    Field("flags", Names, flags("flags", ACCOUNT_FLAGS), "List of properties of account",
          flag_names("flags", ACCOUNT_FLAGS)),
], "Account description")
ACCOUNT_INFO = response("account_info", [
    Field("accounts", Array(ACCOUNT), description="List of accounts"),
])


def dumper(deleted: Callable = with_deleted) -> Callable:
    """dump(db, query, name): the accounts, deleted ones as `deleted(query,
    strict)` says."""
    return lambda db, query, name=None: _dump(db, deleted(query, strict=name is not None),
                                              name)


def _dump(db, deleted: int, name: str | None) -> dict:
    # The list goes on after a bad query key (an error entry); one account does not.
    out = {"accounts": []}
    with partial(out), Conditions() as cond:
        db.tres()
        db.qos()
        acct_cond = conditions.new("slurmdb_account_cond_t *", {
            "with_assocs": 1, "with_coords": 1, "with_deleted": deleted})
        if name is not None:
            assoc_cond = ffi.new("slurmdb_assoc_cond_t *", {"acct_list": cond.exact(name)})
            acct_cond.assoc_cond = assoc_cond
        found = db.get("slurmdb_accounts_get", acct_cond, "slurmdb_account_rec_t *")
    out["accounts"] = [ACCOUNT.read(a) for a in found]
    return out


def remove(db, call) -> list[str]:
    """The account's associations (the account itself with its last one)."""
    with Conditions() as cond:
        assoc_cond = ffi.new("slurmdb_assoc_cond_t *", {
            "acct_list": cond.exact(call.params["account_name"]), "user_list": cond.exact()})
        acct_cond = ffi.new("slurmdb_account_cond_t *", {"assoc_cond": assoc_cond})
        return db.remove("slurmdb_accounts_remove", acct_cond)


def add(db, body, account: Obj = ACCOUNT) -> None:
    """The accounts of a body, parsed as `account` declares them."""
    store = Store()

    def lists(acct, store):
        acct.assoc_list, acct.coordinators = store.list(), store.list()
    made = entries(body, "accounts", account, "slurmdb_account_rec_t *", store, lists)
    for acct in made:  # sacctmgr's defaults, as the reference applies them
        for attr in ("organization", "description"):
            if getattr(acct, attr) == ffi.NULL:
                setattr(acct, attr, acct.name)
    db.add("slurmdb_accounts_add", store.list(made))


dump = dumper()


def account_operations(dump: Callable, query: list[Param]) -> list[Operation]:
    """The account operations, read by `dump` (see `dumper`) which takes `query`."""
    return list_and_one(
        "accounts", "account", "account_name", ("get_accounts", "get_account", "delete_account"),
        ("Get account list", "Get account info", "Delete account"), dump, ACCOUNT_INFO,
        "Slurm Account Name", query, ("response_account_delete", "removed_associations", remove)
    ) + [addition("/accounts", "update_account", "Update accounts",
                  listing("update_account", "accounts", ACCOUNT), "account_response", add)]


OPERATIONS = account_operations(dump, [
    Param("with_deleted", "query", Str, "Include deleted accounts (a Boolean; default false)")])
