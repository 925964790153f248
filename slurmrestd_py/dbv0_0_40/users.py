"""GET and POST /slurmdb/v0.0.40/users/, GET and DELETE /user/{name},
POST /users_association/ (v0.0.41 serves the same).

The user is dbv0.0.38's with its old name and wckeys; its administrator
level and flags are lists. users_association/ (24.11's
slurmdb_users_add_cond, which 22.05 lacks) adds the users, their
associations (each user in each account, cluster and partition named) and
wckeys, and answers with the summary slurmdbd 24.11 writes for it."""
from __future__ import annotations

from typing import Callable

from .. import slurm, words
from ..dbv0_0_38 import users as u38
from ..envelope import response_40
from ..errors import ESLURM_REST_FAIL_PARSING
from ..routes import Param
from ..schema import ArrayOf, Enum, Field, Obj, Str
from ..slurm import ffi
from ..slurmdb.session import Conditions, DbError, partial
from ..slurmdb.writers import Failed, Store, admin_level, flag_names, string
from . import wckeys
from .associations import ASSOC_REC_SET
from .accounts import associations, condition, csv, parse_into, summary
from .common import (ASSOC_SHORT_LIST, COORD_LIST, OPENAPI_RESP, STRING_LIST, Text,
                     coordinators, coordinators_input, getter, operation, poster,
                     read_assoc_shorts, remover, write_assoc_shorts)

USER_FLAGS = u38.USER_FLAGS
ADMIN_LVL = ArrayOf("admin_lvl", Enum(*u38.ADMIN_LEVELS.values()))


def _admin_level(attr: str) -> Callable:
    """ADMIN_LVL: a level's name, or a list of one."""
    write = admin_level(attr)

    def parse(rec, value, store):
        if isinstance(value, list):
            if len(value) != 1:
                raise Failed(ESLURM_REST_FAIL_PARSING)
            value = value[0]
        write(rec, value, store)
    return parse


def _user_flags(u) -> list[str]:
    return [name for bit, name in USER_FLAGS if u.flags & bit] or ["NONE"]


def _text(key: str, attr: str, description: str, required: bool = False) -> Field:
    return Field(key, Text, attr, description, string(attr), required)


def user(wckey: Obj) -> Obj:
    """The user, its wckeys read as `wckey`."""
    wckey_list = wckey.read
    return u38.USER.derive(description="", replace={
        "administrator_level": Field(
            "administrator_level", ADMIN_LVL,
            lambda u: [u38.ADMIN_LEVELS.get(u.admin_level, "Not Set")],
            "AdminLevel granted to the user", _admin_level("admin_level")),
        "associations": Field("associations", ASSOC_SHORT_LIST, read_assoc_shorts,
                              "Associations created for this user", write_assoc_shorts),
        "coordinators": Field("coordinators", COORD_LIST, coordinators("coord_accts"),
                              "Accounts this user is a coordinator for",
                              coordinators_input("coord_accts")),
        "default/account": _text("default/account", "default_acct", "Default account"),
        "default/wckey": _text("default/wckey", "default_wckey", "Default WCKey"),
        "flags": Field("flags", ArrayOf("user_flags", Enum("NONE", *(n for _, n in USER_FLAGS))),
                       _user_flags, "Flags associated with this user",
                       flag_names("flags", USER_FLAGS)),
        "name": _text("name", "name", "User name", True),
    }, add=[
        ("name", _text("old_name", "old_name", "Previous user name")),
        ("old_name", Field("wckeys", ArrayOf("wckey_list", wckey),
                           lambda u: [wckey_list(w) for w in slurm.records(
                               u.wckey_list, "slurmdb_wckey_rec_t *")],
                           "List of available WCKeys")),
    ])


USER = user(wckeys.WCKEY)

# The user condition's query keys: flags (-> member) and lists.
FLAGS = (("with_assocs", "with_assocs"), ("with_coords", "with_coords"),
         ("with_deleted", "with_deleted"), ("with_wckeys", "with_wckeys"),
         ("without_defaults", "without_defaults"))
LISTS = (("default_account", "def_acct_list"), ("default_wckey", "def_wckey_list"))
ONE = FLAGS[:4]  # user/{name}'s


def dumper(obj: Obj) -> Callable:
    """dump(db, query, name=None): the users the query (or the name) selects."""
    def dump(db, query: dict, name: str | None = None) -> dict:
        out = {"users": []}
        with partial(out), Conditions() as cond:
            assoc_cond = ffi.new("slurmdb_assoc_cond_t *")
            user_cond = ffi.new("slurmdb_user_cond_t *", {"assoc_cond": assoc_cond})
            if name is not None:
                assoc_cond.user_list = cond.exact(name)
            for key, member in FLAGS:
                if key in query and words.truth(query[key]):
                    setattr(user_cond, member, 1)
            for key, member in LISTS:
                if key in query and name is None:
                    setattr(user_cond, member, cond.chars(query[key]))
            if "admin_level" in query and name is None:
                levels = {v.lower(): k for k, v in u38.ADMIN_LEVELS.items()}
                user_cond.admin_level = levels.get(query["admin_level"].lower(), 0)
            found = db.get("slurmdb_users_get", user_cond, "slurmdb_user_rec_t *")
            db.tres()
            db.qos()
        out["users"] = [obj.read(u) for u in found]
        return out
    return dump


def remove(db, call) -> list[str]:
    return u38.remove(db, call, "name")


# ---- users_association/ ----

USERS_ADD_COND = Obj("users_add_cond", [
    Field("accounts", STRING_LIST, description="CSV accounts list"),
    Field("association", ASSOC_REC_SET, description="Association limits and options"),
    Field("clusters", STRING_LIST, description="CSV clusters list"),
    Field("partitions", STRING_LIST, description="CSV partitions list"),
    Field("users", STRING_LIST, description="CSV users list", required=True),
    Field("wckeys", STRING_LIST, description="CSV WCKeys list"),
], required=["users"])
USER_SHORT = Obj("user_short", [
    Field("adminlevel", ADMIN_LVL, description="AdminLevel granted to the user",
          write=_admin_level("admin_level")),
    Field("defaultaccount", Str, description="Default account", write=string("default_acct")),
    Field("defaultwckey", Str, description="Default WCKey", write=string("default_wckey")),
])
ADD_COND = response_40("openapi_users_add_cond_resp", [
    Field("association_condition", USERS_ADD_COND, description="Filters to select associations "
          "for users"),
    Field("user", USER_SHORT, description="Admin level of user, DefaultAccount, DefaultWCKey"),
])
ADDED = response_40("openapi_users_add_cond_resp_str", [
    Field("added_users", Str, description="added_users")])


def add_cond(db, body, query) -> dict:
    store = Store()
    cond, template = condition(db, body, store)
    if "users" not in cond:
        raise DbError(ESLURM_REST_FAIL_PARSING, "_parser_run", "Missing required field 'users'",
                      400, {})
    names = csv(cond["users"], "users")
    accounts = csv(cond.get("accounts") or [], "accounts")
    clusters = csv(cond.get("clusters") or [slurm.cluster_name()], "clusters")
    partitions = csv(cond.get("partitions") or [], "partitions") or [None]
    wckey_names = csv(cond.get("wckeys") or [], "wckeys")
    short = store.new("slurmdb_user_rec_t *")
    parse_into(USER_SHORT, short, body.get("user"), "user", store)
    admin_set = short.admin_level != 0
    # The summary names the defaults given; sacctmgr's defaults (the first
    # account and wckey named) are set all the same.
    text = " Adding User(s)\n" + "".join(f"  {n}\n" for n in names) + " Settings\n"
    if short.default_acct != ffi.NULL:
        text += f"  Default Account = {slurm.text(short.default_acct)}\n"
    if short.default_wckey != ffi.NULL:
        text += f"  Default WCKey   = {slurm.text(short.default_wckey)}\n"
    if admin_set:
        text += f"  Admin Level     = {u38.ADMIN_LEVELS[short.admin_level]}\n"
    if short.default_acct == ffi.NULL and accounts:
        short.default_acct = store.string(accounts[0])
    if short.default_wckey == ffi.NULL and wckey_names:
        short.default_wckey = store.string(wckey_names[0])
    made = []
    for name in names:
        rec = store.new("slurmdb_user_rec_t *")
        rec[0] = short[0]
        rec.name = store.string(name)
        if not admin_set:
            rec.admin_level = 1  # SLURMDB_ADMIN_NONE
        made.append(rec)
    db.add("slurmdb_users_add", store.list(made))
    if accounts:
        assocs = associations(store, template, clusters, accounts, names, partitions)
        db.add("slurmdb_associations_add", store.list(assocs))
        text += summary(assocs)
    if wckey_names:
        keys = []
        for cluster in clusters:
            for name in names:
                for key in wckey_names:
                    w = store.new("slurmdb_wckey_rec_t *")
                    w.cluster, w.user, w.name = (store.string(cluster), store.string(name),
                                                 store.string(key))
                    w.is_def = int(key == slurm.text(short.default_wckey))
                    keys.append(w)
        db.add("slurmdb_wckeys_add", store.list(keys))
    return {"added_users": text}


def operations(obj: Obj) -> list:
    resp = response_40("openapi_users_resp", [
        Field("users", ArrayOf("user_list", obj), description="users")])
    name = Param("name", "path", Str, "User name", True)
    return [
        operation("GET", "users/", "get_users", "Get user list", getter(dumper(obj)), resp,
                  sorted([Param(k, "query", Str, k) for k, _ in FLAGS + LISTS]
                         + [Param("admin_level", "query", Str, "Administrator level")],
                         key=lambda p: p.name)),
        operation("POST", "users/", "post_users", "Update users", poster(
            lambda db, body, query: u38.adder(obj)(db, body)), OPENAPI_RESP, body=resp),
        operation("GET", "user/{name}", "get_user", "Get user info", getter(dumper(obj), "name"),
                  resp, [name] + [Param(k, "query", Str, k) for k, _ in ONE]),
        operation("DELETE", "user/{name}", "delete_user", "Delete user",
                  remover(remove, None), OPENAPI_RESP, [name]),
        operation("POST", "users_association/", "post_users_association",
                  "Add users with conditional association", poster(add_cond), ADDED,
                  [Param("update_time", "query", Str, "Ignored"),
                   Param("flags", "query", Str, "Ignored")], body=ADD_COND),
    ]


OPERATIONS = operations(USER)
