"""GET and POST /slurmdb/v0.0.40/accounts/, GET and DELETE
/account/{account_name}, POST /accounts_association/ (v0.0.41 and v0.0.42
name the listing's flags otherwise).

The account is dbv0.0.38's. accounts_association/ (24.11's
slurmdb_accounts_add_cond, which 22.05 lacks) adds the accounts that do not
exist, then an association of each on each cluster named (default: this one)
where it has none, and answers with the summary slurmdbd 24.11 writes for it."""
from __future__ import annotations

from typing import Callable

from .. import slurm, words
from ..dbv0_0_38 import accounts as a38
from ..envelope import response_40
from ..routes import Param
from ..schema import ArrayOf, Enum, Field, Obj, Str
from ..slurm import conditions, ffi
from ..slurmdb.session import ENV, Conditions, DbError, partial
from ..slurmdb.writers import Failed, Store, flag_names, new_assoc, run, string
from ..errors import (ESLURM_DATA_PATH_NOT_FOUND, ESLURM_REST_FAIL_PARSING,
                      SLURM_NO_CHANGE_IN_DATA, SlurmError)
from .associations import ASSOC_REC_SET
from .common import (ASSOC_SHORT_LIST, COORD_LIST, OPENAPI_RESP, STRING_LIST, Text,
                     coordinators, coordinators_input, getter, operation, poster,
                     read_assoc_shorts, removed, remover, write_assoc_shorts)

ACCOUNT_FLAGS = a38.ACCOUNT_FLAGS


def _text(key: str, description: str) -> Field:
    return Field(key, Text, key, description, string(key), True)


ACCOUNT = a38.ACCOUNT.derive(description="", replace={
    "associations": Field("associations", ASSOC_SHORT_LIST, read_assoc_shorts,
                          "Associations involving this account (only populated if requested)",
                          write_assoc_shorts),
    "coordinators": Field("coordinators", COORD_LIST, coordinators("coordinators"),
                          "List of users that are a coordinator of this account (only "
                          "populated if requested)", coordinators_input("coordinators")),
    "description": _text("description", "Arbitrary string describing the account"),
    "name": _text("name", "Account name"),
    "organization": _text("organization", "Organization to which the account belongs"),
    "flags": Field("flags", ArrayOf("account_flags", Enum(*(n for _, n in ACCOUNT_FLAGS))),
                   a38.ACCOUNT.entries[-1].read, "Flags associated with this account",
                   flag_names("flags", ACCOUNT_FLAGS)),
})
ACCOUNT.required = ["description", "name", "organization"]
ACCOUNTS_RESP = response_40("openapi_accounts_resp", [
    Field("accounts", ArrayOf("account_list", ACCOUNT), description="accounts")])

# The account condition's flags: query key in v0.0.40 and v0.0.41, in
# v0.0.42 (None: not a query key there), condition member.
FLAGS = (("with_deleted", "DELETED", "with_deleted"),
         ("with_assocs", "WithAssociations", "with_assocs"),
         ("with_coords", "WithCoordinators", "with_coords"),
         (None, "NoUsersAreCoords", None), (None, "UsersAreCoords", None))
ONE = ("with_assocs", "with_coords", "with_deleted")  # account/{account_name}'s


def dumper(keys: dict[str, str]) -> Callable:
    """dump(db, query, name=None): the accounts, with what the query's flags
    (`keys`: query key -> condition member) ask for."""
    def dump(db, query: dict, name: str | None = None) -> dict:
        out = {"accounts": []}
        with partial(out), Conditions() as cond:
            db.tres()
            db.qos()
            acct_cond = ffi.new("slurmdb_account_cond_t *")
            for key, member in keys.items():
                if member and key in query and words.truth(query[key]):
                    conditions.set_flag(acct_cond, member)
            assoc_cond = ffi.new("slurmdb_assoc_cond_t *")
            if name is not None:
                assoc_cond.acct_list = cond.exact(name)
            acct_cond.assoc_cond = assoc_cond
            if name is None and "description" in query:
                acct_cond.description_list = cond.chars(query["description"])
            found = db.get("slurmdb_accounts_get", acct_cond, "slurmdb_account_rec_t *")
        out["accounts"] = [ACCOUNT.read(a) for a in found]
        return out
    return dump


# ---- accounts_association/ ----

ACCOUNTS_ADD_COND = Obj("accounts_add_cond", [
    Field("accounts", STRING_LIST, description="CSV accounts list", required=True),
    Field("association", ASSOC_REC_SET, description="Association limits and options"),
    Field("clusters", STRING_LIST, description="CSV clusters list"),
], required=["accounts"])
ACCOUNT_SHORT = Obj("account_short", [
    Field("description", Str, description="Arbitrary string describing the account",
          write=string("description")),
    Field("organization", Str, description="Organization to which the account belongs",
          write=string("organization")),
])
ADD_COND = response_40("openapi_accounts_add_cond_resp", [
    Field("association_condition", ACCOUNTS_ADD_COND, description="CSV list of accounts, "
          "association limits and options, CSV list of clusters"),
    Field("account", ACCOUNT_SHORT, description="Account organization and description"),
])
ADD_COND.required = []
ADDED = response_40("openapi_accounts_add_cond_resp_str", [
    Field("added_accounts", Str, description="added_accounts")])


def csv(value, key: str) -> list[str]:
    """A CSV_STRING_LIST: a list of strings, or one string of names split on commas."""
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(i, str) for i in items):
        raise DbError(ESLURM_REST_FAIL_PARSING, "_parser_run", f"Failed to parse field '{key}'",
                      400, {})
    return [n for i in items for n in i.split(",") if n]


def parse_into(obj: Obj, rec, data, key: str, store: Store) -> None:
    """`data` (a body's `key` object) written into `rec` by `obj`'s writers."""
    if data is None:
        return
    if not isinstance(data, dict):
        raise DbError(ESLURM_REST_FAIL_PARSING, "_parser_run", f"Failed to parse field '{key}'",
                      400, {})
    try:
        run(obj.inputs, rec, data, store)
    except Failed as e:
        raise DbError(e.errno, "_parser_run", e.errors[-1][1] if e.errors else
                      f"Failed to parse field '{key}'", 400, {}) from None


def condition(db, body, store: Store) -> tuple[dict, object]:
    """The association_condition of a body (checked) and its association
    settings as a record (every limit unset but what it sets)."""
    if not isinstance(body, dict) or not isinstance(body.get("association_condition"), dict):
        raise DbError(ESLURM_DATA_PATH_NOT_FOUND, "association_condition",
                      "Query parameter not found", 400, {})
    db.tres()
    db.qos()
    store.env = ENV
    cond = body["association_condition"]
    template = store.new("slurmdb_assoc_rec_t *")
    new_assoc(template)
    parse_into(ASSOC_REC_SET, template, cond.get("association"), "association", store)
    return cond, template


def associations(store: Store, template, clusters: list[str], accounts: list[str],
                 users=(None,), partitions=(None,)) -> list:
    """A new association for each cluster, account, user and partition,
    with `template`'s settings (parent: root unless set)."""
    made = []
    for cluster in clusters:
        for account in accounts:
            for user in users:
                for partition in partitions:
                    assoc = store.new("slurmdb_assoc_rec_t *")
                    assoc[0] = template[0]
                    assoc.cluster, assoc.acct = store.string(cluster), store.string(account)
                    if user is not None:
                        assoc.user = store.string(user)
                        assoc.parent_acct = ffi.NULL
                    elif assoc.parent_acct == ffi.NULL:
                        assoc.parent_acct = store.string("root")
                    if partition is not None:
                        assoc.partition = store.string(partition)
                    made.append(assoc)
    return made


def assoc_line(a) -> str:
    """One association's line of slurmdbd 24.11's answer."""
    out = f"  C = {slurm.text(a.cluster):<10} A = {slurm.text(a.acct):<20}"
    if a.user != ffi.NULL:
        out += f" U = {slurm.text(a.user):<9}"
        if a.partition != ffi.NULL:
            out += f" P = {slurm.text(a.partition)}"
    return out + "\n"


def summary(assocs: list) -> str:
    """The associations part of slurmdbd 24.11's answer."""
    return " Associations =\n" + "".join(assoc_line(a) for a in assocs)


def existing(db, names: list[str], clusters: list[str]) -> tuple[set, set]:
    """The accounts of `names` that exist (not deleted), and the (cluster,
    account) pairs of `clusters` x `names` that have an account association."""
    with Conditions() as cond:
        acct_cond = ffi.new("slurmdb_account_cond_t *")
        assoc_cond = ffi.new("slurmdb_assoc_cond_t *")
        assoc_cond.acct_list = cond.exact(*names)
        acct_cond.assoc_cond = assoc_cond
        accounts = {slurm.text(a.name).lower() for a in
                    db.get("slurmdb_accounts_get", acct_cond, "slurmdb_account_rec_t *")}
        assoc_cond = ffi.new("slurmdb_assoc_cond_t *")
        assoc_cond.acct_list = cond.exact(*names)
        assoc_cond.cluster_list = cond.exact(*clusters)
        pairs = {(slurm.text(a.cluster), slurm.text(a.acct).lower()) for a in
                 db.get("slurmdb_associations_get", assoc_cond, "slurmdb_assoc_rec_t *")
                 if not slurm.text(a.user) and not slurm.text(a.partition)}
    return accounts, pairs


def add_cond(db, body, query) -> dict:
    store = Store()
    cond, template = condition(db, body, store)
    if "accounts" not in cond:
        raise DbError(ESLURM_REST_FAIL_PARSING, "_parser_run",
                      "Missing required field 'accounts'", 400, {})
    names = csv(cond["accounts"], "accounts")
    clusters = csv(cond.get("clusters") or [slurm.cluster_name()], "clusters")
    short = store.new("slurmdb_account_rec_t *")
    parse_into(ACCOUNT_SHORT, short, body.get("account"), "account", store)
    parent = slurm.text(template.parent_acct)
    # As slurmdbd 24.11: an account that exists is not added again, nor an
    # association that exists (a line says so instead); nothing new is 304.
    have_accounts, have_assocs = existing(db, names, clusters)
    made = []
    for name in names:
        if name.lower() in have_accounts:
            continue
        have_accounts.add(name.lower())
        acct = store.new("slurmdb_account_rec_t *")
        acct.name = store.string(name)
        # sacctmgr's defaults: the name, or the parent (not root) as organization.
        acct.description = short.description if short.description != ffi.NULL else acct.name
        acct.organization = (short.organization if short.organization != ffi.NULL else
                             store.string(parent) if parent and parent != "root" else acct.name)
        made.append(acct)
    assocs, lines = [], ""
    for assoc in associations(store, template, clusters, names):
        key = (slurm.text(assoc.cluster), slurm.text(assoc.acct).lower())
        if key in have_assocs:
            lines += (f"Already existing account {slurm.text(assoc.acct)} on cluster "
                      f"{key[0]}\n")
            continue
        # (slurmdbd heads the lines only when an added one comes first.)
        lines += ("" if lines else " Associations =\n") + assoc_line(assoc)
        have_assocs.add(key)
        assocs.append(assoc)
    if not made and not assocs:
        raise SlurmError(SLURM_NO_CHANGE_IN_DATA, "slurmdb_accounts_add_cond")
    text = ""
    if made:
        db.add("slurmdb_accounts_add", store.list(made))
        text = " Adding Account(s)\n" + "".join(f"  {slurm.text(m.name)}\n" for m in made)
        text += (" Settings\n  Description     = "
                 f"{slurm.text(short.description) or 'Account Name'}\n  Organization    = "
                 f"{slurm.text(short.organization) or 'Parent/Account Name'}\n")
    if assocs:
        db.add("slurmdb_associations_add", store.list(assocs))
    return {"added_accounts": text + lines}


def remove(db, call) -> list[str]:
    return a38.remove(db, call)


def operations(list_keys: dict[str, str]) -> list:
    """The operations, the listing's flags read from `list_keys` (query key
    -> condition member)."""
    one = [Param("account_name", "path", Str, "Account name", True)] + [
        Param(k, "query", Str, "Include " + k[5:]) for k in ONE]
    listing = [Param("description", "query", Str, "CSV description list")] + [
        Param(k, "query", Str, k) for k in list_keys]
    return [
        operation("GET", "accounts/", "get_accounts", "Get account list",
                  getter(dumper(list_keys)), ACCOUNTS_RESP, listing),
        operation("POST", "accounts/", "post_accounts", "Add/update list of accounts",
                  poster(lambda db, body, query: a38.add(db, body, ACCOUNT)), OPENAPI_RESP,
                  body=ACCOUNTS_RESP),
        operation("GET", "account/{account_name}", "get_account", "Get account info",
                  getter(dumper({k: k for k in ONE}), "account_name"), ACCOUNTS_RESP, one),
        operation("DELETE", "account/{account_name}", "delete_account", "Delete account",
                  remover(remove, "removed_accounts"),
                  removed("openapi_accounts_removed_resp", "removed_accounts"), one[:1]),
        operation("POST", "accounts_association/", "post_accounts_association",
                  "Add accounts with conditional association", poster(add_cond), ADDED,
                  body=ADD_COND),
    ]


OPERATIONS = operations({f[0]: f[2] for f in FLAGS if f[0]})
