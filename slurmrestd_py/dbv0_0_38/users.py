"""GET /slurmdb/v0.0.38/users and /user/{user_name}; DELETE /user/{user_name}."""
from __future__ import annotations

from ..routes import Param
from ..schema import Array, Field, Str
from ..slurm import ffi
from .common import (ASSOC_SHORT, ASSOC_SHORT_LIST, COORDINATOR, PLUGIN, Names, P, Text,
                     Conditions, coordinators, flags, list_and_one, partial, response,
                     tree, with_deleted)

ADMIN_LEVELS = {0: "Not Set", 1: "None", 2: "Operator", 3: "Administrator"}
USER_FLAGS = ((1, "DELETED"),)  # SLURMDB_USER_FLAG_DELETED

USER = tree(f"{PLUGIN}_user", [
    P("administrator_level", Str, lambda u: ADMIN_LEVELS.get(u.admin_level, "Unknown"),
      "Description of administrator level"),
    P("associations", Array(ASSOC_SHORT), ASSOC_SHORT_LIST, "Assigned associations"),
    P("coordinators", Array(COORDINATOR), coordinators("coord_accts"),
      "List of assigned coordinators"),
    P("default/account", Text, "default_acct", "Default account name"),
    P("default/wckey", Text, "default_wckey", "Default wckey"),
    P("flags", Names, flags("flags", USER_FLAGS), "List of properties of user"),
    P("name", Text, description="User name"),
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
