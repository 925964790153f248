"""GET and POST /slurmdb/v0.0.38/users; GET and DELETE /user/{user_name}."""
from __future__ import annotations

from typing import Callable

from ..routes import Operation, Param
from ..schema import Array, Field, Obj, Str
from ..slurm import ffi, records
from ..slurmdb.readers import flags
from ..slurmdb.session import Conditions, partial
from ..slurmdb.writers import Store, admin_level, entries, flag_names, string
from .common import (ASSOC_SHORT, ASSOC_SHORT_INPUT, ASSOC_SHORT_LIST, COORDINATOR, Names, Text,
                     addition, coordinators, coordinators_input, list_and_one, listing, response,
                     with_deleted)

ADMIN_LEVELS = {0: "Not Set", 1: "None", 2: "Operator", 3: "Administrator"}
USER_FLAGS = ((1, "DELETED"),)  # SLURMDB_USER_FLAG_DELETED

USER = Obj("user", [
    Field("administrator_level", Str, lambda u: ADMIN_LEVELS.get(u.admin_level, "Unknown"),
          "Description of administrator level", admin_level("admin_level")),
    Field("associations", Array(ASSOC_SHORT), ASSOC_SHORT_LIST, "Assigned associations",
          ASSOC_SHORT_INPUT),
    Field("coordinators", Array(COORDINATOR), coordinators("coord_accts"),
          "List of assigned coordinators", coordinators_input("coord_accts")),
    Field("default/account", Text, "default_acct", "Default account name", string("default_acct")),
    Field("default/wckey", Text, "default_wckey", "Default wckey", string("default_wckey")),
    Field("flags", Names, flags("flags", USER_FLAGS), "List of properties of user",
          flag_names("flags", USER_FLAGS)),
    Field("name", Text, description="User name", write=string("name"), required=True),
], "User description", objects={"default": "Default settings"})


def dumper(user: Obj = USER, deleted: Callable = with_deleted) -> Callable:
    """dump(db, query, name): the users as `user` reads them, deleted ones
    as `deleted(query)` says."""
    read = user.read

    def dump(db, query: dict, name: str | None = None) -> dict:
        value = deleted(query)
        out = {"users": []}
        with partial(out), Conditions() as cond:
            assoc_cond = ffi.new("slurmdb_assoc_cond_t *")
            if name is not None:
                assoc_cond.user_list = cond.exact(name)
            user_cond = ffi.new("slurmdb_user_cond_t *", {
                "assoc_cond": assoc_cond, "with_assocs": 1, "with_coords": 1,
                "with_deleted": value, "with_wckeys": 1})
            found = db.get("slurmdb_users_get", user_cond, "slurmdb_user_rec_t *")
            db.tres()
            db.qos()
        out["users"] = [read(u) for u in found]
        return out
    return dump


def remove(db, call, param: str = "user_name") -> list[str]:
    """The user the path parameter `param` names."""
    with Conditions() as cond:
        assoc_cond = ffi.new("slurmdb_assoc_cond_t *", {
            "user_list": cond.exact(call.params[param])})
        user_cond = ffi.new("slurmdb_user_cond_t *", {
            "assoc_cond": assoc_cond, "with_assocs": 1, "with_coords": 1, "with_wckeys": 1})
        return db.remove("slurmdb_users_remove", user_cond)


def adder(user: Obj = USER) -> Callable:
    """add(db, body): the users of a body, parsed as `user` declares them."""
    return lambda db, body: _add(db, body, user)


def _add(db, body, user_obj: Obj) -> None:
    """The users, then the accounts each coordinates directly (as the
    reference: after every user is in)."""
    store = Store()

    def lists(user, store):
        user.assoc_list, user.coord_accts = store.list(), store.list()
    made = entries(body, "users", user_obj, "slurmdb_user_rec_t *", store, lists)
    db.add("slurmdb_users_add", store.list(made))
    for user in made:
        accounts = [c.name for c in records(user.coord_accts, "slurmdb_coord_rec_t *")
                    if c.direct]
        if accounts:
            assoc_cond = store.new("slurmdb_assoc_cond_t *")
            assoc_cond.user_list = store.list([user.name])
            user_cond = store.new("slurmdb_user_cond_t *")
            user_cond.assoc_cond = assoc_cond
            db.add("slurmdb_coord_add", store.list(accounts), user_cond)


def user_operations(user: Obj, dump: Callable, add: Callable,
                    query: list[Param]) -> list[Operation]:
    """The user operations for records declared by `user`, read by `dump`
    (which takes `query`) and stored by `add`."""
    return list_and_one(
        "users", "user", "user_name", ("get_users", "get_user", "delete_user"),
        ("Get user list", "Get user info", "Delete user"), dump,
        response("user_info", [Field("users", Array(user), description="Array of users")]),
        "Slurm User Name", query, ("response_user_delete", "removed_users", remove)
    ) + [addition("/users", "update_users", "Update user", listing("update_users", "users", user),
                  "response_user_update", add)]


dump, add = dumper(), adder()
OPERATIONS = user_operations(USER, dump, add, [
    Param("with_deleted", "query", Str, "Include deleted users (a Boolean; default false)")])
