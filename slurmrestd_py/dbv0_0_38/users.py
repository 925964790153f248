"""GET and POST /slurmdb/v0.0.38/users; GET and DELETE /user/{user_name}."""
from __future__ import annotations

from ..routes import Param
from ..schema import Array, Field, Str
from ..slurm import ffi
from .common import (ASSOC_SHORT, ASSOC_SHORT_INPUT, ASSOC_SHORT_LIST, COORDINATOR,
                     Names, P, Text, Conditions, addition, coordinators, coordinators_input,
                     entries, flags, list_and_one, listing, partial, records, response, Tree,
                     with_deleted)
from .parse import Store, admin_level, flag_names, string

ADMIN_LEVELS = {0: "Not Set", 1: "None", 2: "Operator", 3: "Administrator"}
USER_FLAGS = ((1, "DELETED"),)  # SLURMDB_USER_FLAG_DELETED

USER = Tree("user", [
    P("administrator_level", Str, lambda u: ADMIN_LEVELS.get(u.admin_level, "Unknown"),
      "Description of administrator level", admin_level("admin_level")),
    P("associations", Array(ASSOC_SHORT), ASSOC_SHORT_LIST, "Assigned associations",
      ASSOC_SHORT_INPUT),
    P("coordinators", Array(COORDINATOR), coordinators("coord_accts"),
      "List of assigned coordinators", coordinators_input("coord_accts")),
    P("default/account", Text, "default_acct", "Default account name", string("default_acct")),
    P("default/wckey", Text, "default_wckey", "Default wckey", string("default_wckey")),
    P("flags", Names, flags("flags", USER_FLAGS), "List of properties of user",
      flag_names("flags", USER_FLAGS)),
    P("name", Text, description="User name", write=string("name"), required=True),
], "User description", {"default": "Default settings"})
USER_INFO = response("user_info", [Field("users", Array(USER), description="Array of users")])


def dump(db, query: dict, name: str | None = None) -> dict:
    deleted = with_deleted(query)
    out = {"users": []}
    with partial(out), Conditions() as cond:
        assoc_cond = ffi.new("slurmdb_assoc_cond_t *")
        if name is not None:
            assoc_cond.user_list = cond.exact(name)
        user_cond = ffi.new("slurmdb_user_cond_t *", {
            "assoc_cond": assoc_cond, "with_assocs": 1, "with_coords": 1,
            "with_deleted": deleted, "with_wckeys": 1})
        found = db.get("slurmdb_users_get", user_cond, "slurmdb_user_rec_t *")
        db.tres()
        db.qos()
    out["users"] = [USER.read(u) for u in found]
    return out


def remove(db, call) -> list[str]:
    with Conditions() as cond:
        assoc_cond = ffi.new("slurmdb_assoc_cond_t *", {
            "user_list": cond.exact(call.params["user_name"])})
        user_cond = ffi.new("slurmdb_user_cond_t *", {
            "assoc_cond": assoc_cond, "with_assocs": 1, "with_coords": 1, "with_wckeys": 1})
        return db.remove("slurmdb_users_remove", user_cond)


OPERATIONS = list_and_one(
    "users", "user", "user_name", ("get_users", "get_user", "delete_user"),
    ("Get user list", "Get user info", "Delete user"), dump, USER_INFO, "Slurm User Name",
    [Param("with_deleted", "query", Str, "Include deleted users (a Boolean; default false)")],
    ("response_user_delete", "removed_users", remove))


def add(db, body) -> None:
    """The users, then the accounts each coordinates directly (as the
    reference: after every user is in)."""
    store = Store()

    def lists(user, store):
        user.assoc_list, user.coord_accts = store.list(), store.list()
    made = entries(body, "users", USER, "slurmdb_user_rec_t *", store, lists)
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


OPERATIONS.append(addition("/users", "update_users", "Update user",
                           listing("update_users", "users", USER), "response_user_update", add))
