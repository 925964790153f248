"""/slurmdb/v0.0.40-42 accounts, users, associations and wckeys: our
answers against our served document, and against Slurm 24.11's slurmrestd
on its cluster with the same fixtures (physics, chem, alice, bob), or on
24.11 (conftest.SAME_CLUSTER24) on ours' own, every value then; writes
compared by what each cluster's slurmdbd holds afterwards (sacctmgr).

Writes use names of their own (rpy40w_*), added and removed again by each
daemon (on 24.11 one after the other on the one cluster), as root (SLURMRESTD_SECURITY=disable_user_check, as the v0.0.38
tests run the reference)."""
from __future__ import annotations

import json
import subprocess

import pytest

from conftest import (SAME_CLUSTER24, USER, json_of, one, req, root24, roots, run_ours,
                      run_reference24, shape, validate)

PARSERS = ("v0.0.40", "v0.0.41", "v0.0.42")
ROOT_ENV = {"SLURMRESTD_SECURITY": "disable_user_check"}
# (Not "rpy40_": ours once added those accounts_association again where they
# existed, which leaves stale associations in 24.11's slurmdbd cache: it
# answers "Already existing account" for those names until it restarts.)
PREFIX = "rpy40w_"
FIXTURE_ACCOUNTS = {"root", "physics", "chem"}
FIXTURE_USERS = {"", "root", "alice", "bob"}
# What 22.05 keeps nothing of (we write the type's unset value).
LACKING = {"lineage", "comment"}
# Named in every write: with none, each side adds to every cluster its
# database knows (another test's may be half made).
CLUSTERS = ["restcluster"]


def call(side: str, method: str, path: str, body=None, user: str = "root"):
    """(status, data) of one request to "ours" or "ref" (the 24.11 reference)."""
    headers = [("Content-Type", "application/json")] if body is not None else []
    wire = req(method, path, headers, json.dumps(body).encode() if body is not None else None,
               close=True)
    env = ROOT_ENV if user == "root" else None
    resp = one((run_ours if side == "ours" else run_reference24)(wire, user=user, env=env))
    return resp.status, (json_of(resp) if resp.body else None)


def ours(method, path, body=None, user="root", doc=None, status=200):
    got, data = call("ours", method, path, body, user)
    assert got == status, data
    if doc is not None and data is not None:
        validate(doc, (_template(doc, path.split("?")[0]), method.lower(), status), data)
    return data


def _template(doc: dict, path: str) -> str:
    """The document's path template that `path` matches."""
    parts = path.split("/")
    for template in doc["paths"]:
        t = template.split("/")
        if len(t) == len(parts) and all(a == b or a.startswith("{") for a, b in zip(t, parts)):
            return template
    raise AssertionError(path)


def sacctmgr(*args, root=None) -> str:
    """`sacctmgr -nP` on ours' cluster, or in `root`."""
    cmd = [*(("chroot", root) if root else ()), "sacctmgr", "-i", "-n", "-P", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120).stdout.strip()


def _cleanup(root):
    for kind in ("user", "account"):
        names = [n for n in sacctmgr("list", kind, f"format={kind}", root=root).splitlines()
                 if n.startswith(PREFIX)]
        if names:
            sacctmgr("delete", kind, ",".join(names), root=root)


@pytest.fixture
def clean():
    """No PREFIX users or accounts on either cluster, before and after."""
    for root in roots():
        _cleanup(root)
    yield
    for root in roots():
        _cleanup(root)


# ---- our answers, valid against our document

GETS = ("accounts/", "accounts/?with_assocs=true&with_coords=true", "account/physics",
        "account/physics?with_assocs=1", "users/", "users/?with_assocs=true&with_wckeys=true",
        "user/alice?with_assocs=true", "associations/", "associations/?user=alice",
        "association/?user=bob", "wckeys/", "wckeys/?with_deleted=1")


@pytest.mark.parametrize("version", PARSERS)
@pytest.mark.parametrize("tail", GETS)
def test_get_valid(version, tail, openapi_doc):
    data = ours("GET", f"/slurmdb/{version}/{tail}", doc=openapi_doc)
    assert data["errors"] == []
    key = next(k for k in ("associations", "accounts", "users", "wckeys")
               if tail.startswith(k[:4]))
    assert list(data)[0] == key and list(data)[1:] == ["meta", "errors", "warnings"]


@pytest.mark.parametrize("version", PARSERS)
def test_get_as_alice(version, openapi_doc):
    data = ours("GET", f"/slurmdb/{version}/users/?with_assocs=true", user=USER, doc=openapi_doc)
    alice = next(u for u in data["users"] if u["name"] == "alice")
    assert {a["account"] for a in alice["associations"]} == {"physics", "chem"}
    assert alice["default"]["account"] == "physics"


def test_association_id_per_version():
    """v0.0.40 writes the association's short record as its id; v0.0.41 and
    v0.0.42 a number (0: the reference's lookup list is never loaded here)."""
    path = "association/?user=bob&account=chem"
    a40 = ours("GET", f"/slurmdb/v0.0.40/{path}")["associations"][0]
    assert {k: a40["id"][k] for k in ("account", "user", "partition")} == {
        "account": "chem", "user": "bob", "partition": ""}
    assert a40["id"]["id"] > 0
    for version in ("v0.0.41", "v0.0.42"):
        assert ours("GET", f"/slurmdb/{version}/{path}")["associations"][0]["id"] == 0


def test_unfiltered_association_delete_refused():
    """The reference removes every association; we refuse (400) and keep them."""
    data = ours("DELETE", "/slurmdb/v0.0.42/associations/", status=400)
    assert data["removed_associations"] == [] and data["errors"]
    assert ours("DELETE", "/slurmdb/v0.0.42/associations/?bogus=1", status=400)["errors"]
    assert "physics" in sacctmgr("list", "account", "format=account").split()


# ---- against the 24.11 reference

def both(path: str, user: str = "root"):
    (rs, ref), (os_, our) = call("ref", "GET", path, user=user), call("ours", "GET", path,
                                                                       user=user)
    assert (rs, os_) == (200, 200), (ref, our)
    return ref, our


def same_shape(our: dict, ref: dict) -> None:
    """Keys and types alike but warnings: the reference warns of Boolean
    query values given as text (which it honours all the same); we do not."""
    assert our["warnings"] == []
    assert shape(_drop(our, ("warnings",))) == shape(_drop(ref, ("warnings",)))


def fixture_assoc(a: dict) -> bool:
    return a["account"] in FIXTURE_ACCOUNTS and a["user"] in FIXTURE_USERS


def _drop(record: dict, keys) -> dict:
    return {k: v for k, v in record.items() if k not in keys}


@pytest.mark.parametrize("version", PARSERS)
def test_accounts_as_the_reference(version):
    flags = ("with_assocs=true&with_coords=true" if version == "v0.0.40"
             else "WithAssociations=true&WithCoordinators=true")
    for tail in ("accounts/", f"accounts/?{flags}", "account/physics?with_assocs=true",
                 "account/chem"):
        ref, our = both(f"/slurmdb/{version}/{tail}")
        for data in (ref, our):
            data["accounts"] = [a for a in data["accounts"] if a["name"] in FIXTURE_ACCOUNTS]
        same_shape(our, ref)
        assert our["accounts"] == ref["accounts"], tail


@pytest.mark.parametrize("version", PARSERS)
def test_users_as_the_reference(version):
    for tail, user in (("users/", "root"), ("users/?with_assocs=true&with_coords=true", "root"),
                       ("user/alice?with_assocs=true", "root"), ("user/bob", USER)):
        ref, our = both(f"/slurmdb/{version}/{tail}", user)
        for data in (ref, our):
            data["users"] = [u for u in data["users"] if u["name"] in FIXTURE_USERS]
        same_shape(our, ref)
        assert our["users"] == ref["users"], tail


@pytest.mark.parametrize("version", PARSERS)
def test_associations_as_the_reference(version):
    for tail in ("associations/", "associations/?account=physics", "association/?user=bob"):
        ref, our = both(f"/slurmdb/{version}/{tail}")
        # Only the fixtures' (other tests' may be there), in one order (each
        # slurmdbd lists them in its own).
        ref["associations"], our["associations"] = (
            sorted((a for a in data["associations"] if fixture_assoc(a)),
                   key=lambda a: (a["account"], a["user"], a["partition"]))
            for data in (ref, our))
        same_shape(our, ref)
        if SAME_CLUSTER24:  # one database: every value
            assert our["associations"] == ref["associations"], tail
            continue
        # is_default of an account's association: 24.11's slurmdbd sets it
        # (but on root's), 22.05's does not; compared on users' only.
        assert ([_drop(a, LACKING | {"is_default"} if not a["user"] else LACKING)
                 for a in our["associations"]]
                == [_drop(a, LACKING | {"is_default"} if not a["user"] else LACKING)
                    for a in ref["associations"]]), tail
        # What 22.05 lacks is there with its type's unset value.
        assert all(a["comment"] == "" and a["lineage"] == "" for a in our["associations"])


@pytest.mark.parametrize("version", PARSERS)
def test_wckeys_as_the_reference(version):
    ref, our = both(f"/slurmdb/{version}/wckeys/")
    assert list(our) == list(ref) and ref["wckeys"] == []
    assert call("ours", "GET", f"/slurmdb/{version}/wckey/4000000")[1]["wckeys"] == []


@pytest.mark.parametrize("version", PARSERS)
def test_wckeys_denied_as_the_reference(version):
    """alice may not list wckeys: 500, the same error number, no list."""
    (rs, ref), (os_, our) = (call(side, "GET", f"/slurmdb/{version}/wckeys/", user=USER)
                             for side in ("ref", "ours"))
    assert rs == os_ == 500
    # (The reference writes meta last in a failed answer; the envelope's order is ours.)
    assert set(our) == set(ref) == {"meta", "errors", "warnings"}
    assert [e["error_number"] for e in our["errors"]] == [
        e["error_number"] for e in ref["errors"]] == [2002]


# ---- writes: the same story told by each daemon, the same records afterwards

def write(side: str, method: str, path: str, body, doc, status=200):
    """The data of one write to `side`; ours valid against our document."""
    if side == "ours":
        return ours(method, path, body, doc=doc, status=status)
    got, data = call(side, method, path, body)
    assert got == status, data
    return data


def told_alike(story) -> list:
    """`story(side, root)` told by the reference and by ours, each on its
    cluster from a clean start (on 24.11 one after the other on the one
    cluster): the same observations, returned."""
    told = []
    for side, root in (("ref", root24()), ("ours", None)):
        for each in roots():
            _cleanup(each)
        told.append(story(side, root))
    assert told[1] == told[0]
    return told[1]


@pytest.mark.parametrize("version", PARSERS)
def test_accounts_association(version, clean, openapi_doc):
    path = f"/slurmdb/{version}/accounts_association/"
    body = {"association_condition": {
        "accounts": [f"{PREFIX}a1", f"{PREFIX}a2"], "clusters": ["restcluster"],
        "association": {"parent": "physics", "maxjobs": {"set": True, "number": 5},
                        "grpjobs": 7, "fairshare": 3, "qoslevel": ["normal"]}},
        "account": {"description": "rpy40 test", "organization": "rpyorg"}}
    # Defaults: root as parent, the name as description and organization.
    plain = {"association_condition": {"accounts": [f"{PREFIX}a3"], "clusters": CLUSTERS},
             "account": {}}

    def story(side, root):
        seen = [write(side, "POST", path, body, openapi_doc)["added_accounts"],
                sacctmgr("list", "account", f"{PREFIX}a1,{PREFIX}a2",
                         "format=account,description,organization", root=root),
                sacctmgr("list", "association", f"account={PREFIX}a1,{PREFIX}a2",
                         "format=cluster,account,user,parentname,maxjobs,grpjobs,fairshare,qos",
                         root=root),
                write(side, "POST", path, plain, openapi_doc)["added_accounts"],
                sacctmgr("list", "account", f"{PREFIX}a3",
                         "format=account,description,organization", root=root)]
        # Removal answers the names; nothing to remove is 304.
        seen += [write(side, "DELETE", f"/slurmdb/{version}/account/{PREFIX}{name}", None,
                       openapi_doc)["removed_accounts"] for name in ("a1", "a2", "a3")]
        seen += [call(side, "DELETE", f"/slurmdb/{version}/account/{PREFIX}a1")[0],
                 sacctmgr("list", "account", f"{PREFIX}a1", root=root)]
        return seen
    added, accounts, assocs, _, plain_account, *removed, again, gone = told_alike(story)
    assert f" Adding Account(s)\n  {PREFIX}a1\n  {PREFIX}a2\n" in added
    assert accounts.count("rpy40 test|rpyorg") == 2 and "physics|5|7|3|normal" in assocs
    assert plain_account == f"{PREFIX}a3|{PREFIX}a3|{PREFIX}a3"
    assert removed == [[PREFIX + name] for name in ("a1", "a2", "a3")]
    assert (again, gone) == (304, "")


@pytest.mark.parametrize("version", PARSERS)
def test_accounts_association_existing(version, clean, openapi_doc):
    """Accounts that exist are told of and not added again; the new ones of
    the same request are added (in either order); nothing new is 304."""
    path = f"/slurmdb/{version}/accounts_association/"
    # Names of this test's own: 24.11's slurmdbd may keep stale associations
    # of names that were once added twice.
    e1, e2, e3 = (f"{PREFIX}e{n}" for n in (1, 2, 3))

    def story(side, root):
        seen = [write(side, "POST", path, {"association_condition": {
            "accounts": [e1], "clusters": CLUSTERS}, "account": {"description": "first"}},
            openapi_doc)["added_accounts"]]
        for names in ((e1, e2), (e3, e2, e1), (e2, e1)):
            status, data = call(side, "POST", path, {"association_condition": {
                "accounts": list(names), "clusters": CLUSTERS}, "account": {}})
            if side == "ours" and data is not None:
                validate(openapi_doc, (_template(openapi_doc, path), "post", status), data)
            seen.append((status, data and (sorted(data), data["added_accounts"],
                                           data["errors"])))
        seen += [sacctmgr("list", "account", f"{e1},{e2},{e3}",
                          "format=account,description", root=root),
                 sacctmgr("list", "association", f"account={e1},{e2},{e3}",
                          "format=cluster,account,user,parentname", root=root)]
        return seen
    _, (s2, add2), (s3, add3), (s4, add4), accounts, assocs = told_alike(story)
    assert (s2, s3, s4, add4) == (200, 200, 304, None)
    assert add2[1] == (f" Adding Account(s)\n  {e2}\n Settings\n  Description     = Account Name"
                       f"\n  Organization    = Parent/Account Name\nAlready existing account "
                       f"{e1} on cluster restcluster\n  C = restcluster A = {e2:<20}\n")
    assert add3[1].endswith(f" Associations =\n  C = restcluster A = {e3:<20}\nAlready "
                            f"existing account {e2} on cluster restcluster\nAlready existing "
                            f"account {e1} on cluster restcluster\n")
    assert accounts.splitlines()[0] == f"{e1}|first"
    assert sorted(assocs.splitlines()) == [f"restcluster|{e}||root" for e in (e1, e2, e3)]


@pytest.mark.parametrize("version", PARSERS)
def test_users_association(version, clean, openapi_doc):
    db = f"/slurmdb/{version}"
    body = {"association_condition": {
        "users": [f"{PREFIX}u1", f"{PREFIX}u2"], "accounts": [f"{PREFIX}a"],
        "partitions": ["debug"], "clusters": CLUSTERS,
        "association": {"maxjobs": {"set": True, "number": 4}}},
        "user": {"adminlevel": ["Operator"]}}

    def story(side, root):
        write(side, "POST", f"{db}/accounts_association/", {"association_condition": {
            "accounts": [f"{PREFIX}a"], "clusters": CLUSTERS}, "account": {}}, openapi_doc)
        seen = [write(side, "POST", f"{db}/users_association/", body, openapi_doc)["added_users"],
                sacctmgr("list", "user", f"{PREFIX}u1,{PREFIX}u2",
                         "format=user,defaultaccount,admin", root=root),
                sacctmgr("list", "association", f"account={PREFIX}a",
                         "format=account,user,partition,maxjobs", root=root)]
        # GET user (the associations' ids are each creation's own).
        _, data = call(side, "GET", f"{db}/user/{PREFIX}u1?with_assocs=true")
        if side == "ours":
            assert data["warnings"] == []
        seen += [shape(_drop(data, ("warnings",))),
                 [{**u, "associations": [_drop(a, ("id",)) for a in u["associations"]]}
                  for u in data["users"]]]
        for name in ("u1", "u2"):
            status, data = call(side, "DELETE", f"{db}/user/{PREFIX}{name}")
            seen.append((status, data["errors"]))
        seen += [call(side, "DELETE", f"{db}/user/{PREFIX}u1")[0],
                 sacctmgr("list", "user", f"{PREFIX}u1,{PREFIX}u2", root=root)]
        return seen
    _, users, assocs, _, _, *deleted, again, gone = told_alike(story)
    assert users.count(f"{PREFIX}a|Operator") == 2 and f"{PREFIX}u1|debug|4" in assocs
    assert deleted == [(200, [])] * 2 and (again, gone) == (304, "")


@pytest.mark.parametrize("version", PARSERS)
def test_post_accounts_users_associations(version, clean, openapi_doc):
    db = f"/slurmdb/{version}"
    accounts = {"accounts": [{"name": f"{PREFIX}p", "description": "d", "organization": "o"}]}
    assoc = {"associations": [{"account": f"{PREFIX}p", "cluster": "restcluster", "user": "",
                               "parent_account": "root", "max": {"jobs": {"active": {
                                   "set": True, "number": 6}}}, "priority": {"set": True,
                                                                             "number": 2}}]}
    users = {"users": [{"name": f"{PREFIX}u", "administrator_level": ["None"]}]}
    user_assoc = {"associations": [{"account": f"{PREFIX}p", "cluster": "restcluster",
                                    "user": f"{PREFIX}u", "shares_raw": 9}]}
    query = f"?account={PREFIX}p&user={PREFIX}u&cluster=restcluster"

    def story(side, root):
        for path, body in (("accounts/", accounts), ("associations/", assoc), ("users/", users),
                           ("associations/", user_assoc)):
            write(side, "POST", f"{db}/{path}", body, openapi_doc)
        # (The user's association shows the limits it inherits.)
        seen = [sacctmgr("list", "association", f"account={PREFIX}p",
                         "format=account,user,maxjobs,priority,fairshare", root=root),
                sacctmgr("list", "account", f"{PREFIX}p",
                         "format=account,description,organization", root=root)]
        # Removing one association by filter, then the user and the account.
        seen += [len(write(side, "DELETE", f"{db}/association/{query}", None,
                           openapi_doc)["removed_associations"]),
                 call(side, "DELETE", f"{db}/associations/{query}")[0],
                 call(side, "DELETE", f"{db}/user/{PREFIX}u")[0],
                 call(side, "DELETE", f"{db}/account/{PREFIX}p")[0],
                 sacctmgr("list", "account", f"{PREFIX}p", root=root)]
        return seen
    assert told_alike(story) == [f"{PREFIX}p||6|2|1\n{PREFIX}p|{PREFIX}u|6|2|9",
                                 f"{PREFIX}p|d|o", 1, 304, 200, 200, ""]


def test_added_wckeys_listed(clean, openapi_doc):
    """users_association/ with wckeys: the wckeys are held and listed (ours;
    the 24.11 cluster does not track wckeys)."""
    db = "/slurmdb/v0.0.42"
    ours("POST", f"{db}/accounts_association/", {"association_condition": {
        "accounts": [f"{PREFIX}a"], "clusters": CLUSTERS}, "account": {}})
    ours("POST", f"{db}/users_association/", {"association_condition": {
        "users": [f"{PREFIX}w"], "accounts": [f"{PREFIX}a"], "wckeys": [f"{PREFIX}k"]}})
    assert sacctmgr("list", "wckey", f"{PREFIX}k", "format=wckey,user") == f"{PREFIX}k|{PREFIX}w"
    data = ours("GET", f"{db}/wckeys/?name={PREFIX}k", doc=openapi_doc)
    (key,) = data["wckeys"]
    assert (key["name"], key["user"], key["cluster"], key["flags"]) == (
        f"{PREFIX}k", f"{PREFIX}w", "restcluster", [])
    assert ours("GET", f"{db}/wckey/{key['id']}", doc=openapi_doc)["wckeys"] == [key]
    user = ours("GET", f"{db}/user/{PREFIX}w?with_wckeys=true", doc=openapi_doc)["users"][0]
    assert user["default"]["wckey"] == f"{PREFIX}k"
    assert [w["name"] for w in user["wckeys"]] == [f"{PREFIX}k"]
    gone = ours("DELETE", f"{db}/wckey/{key['id']}", doc=openapi_doc)
    assert gone["deleted_wckeys"] and ours("DELETE", f"{db}/wckey/{key['id']}")[
        "deleted_wckeys"] == []
