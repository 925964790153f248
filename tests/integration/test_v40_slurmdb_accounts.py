"""/slurmdb/v0.0.40-42 accounts, users, associations and wckeys: our
answers against our served document, and against Slurm 24.11's slurmrestd
on its cluster with the same fixtures (physics, chem, alice, bob); writes
compared by what each cluster's slurmdbd holds afterwards (sacctmgr).

Writes use names of their own (rpy40_*), added and removed again on each
cluster, as root (SLURMRESTD_SECURITY=disable_user_check, as the v0.0.38
tests run the reference)."""
from __future__ import annotations

import json
import subprocess

import pytest

from conftest import (ROOT24, USER, json_of, one, req, run_ours, run_reference24, shape,
                      validate)

PARSERS = ("v0.0.40", "v0.0.41", "v0.0.42")
ROOT_ENV = {"SLURMRESTD_SECURITY": "disable_user_check"}
PREFIX = "rpy40_"
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


def sacctmgr(*args, ref: bool = False) -> str:
    """`sacctmgr -nP` on the 22.05 cluster, or in the 24.11 root."""
    cmd = ["sacctmgr", "-i", "-n", "-P", *args]
    if ref:
        cmd = ["chroot", ROOT24, *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120).stdout.strip()


def _cleanup(ref: bool):
    for kind in ("user", "account"):
        names = [n for n in sacctmgr("list", kind, f"format={kind}", ref=ref).splitlines()
                 if n.startswith(PREFIX)]
        if names:
            sacctmgr("delete", kind, ",".join(names), ref=ref)


@pytest.fixture
def clean():
    """No rpy40_ users or accounts on either cluster, before and after."""
    for ref in (False, True):
        _cleanup(ref)
    yield
    for ref in (False, True):
        _cleanup(ref)


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


# ---- writes: the same request to both, the same records afterwards

def write_both(method, path, body, doc, status=200):
    """(reference, ours) data; ours valid against our document."""
    rs, ref = call("ref", method, path, body)
    our = ours(method, path, body, doc=doc, status=status)
    assert rs == status, ref
    return ref, our


def held(*args) -> tuple[str, str]:
    """What `sacctmgr list args` shows on (the 24.11 cluster, ours)."""
    return sacctmgr("list", *args, ref=True), sacctmgr("list", *args)


@pytest.mark.parametrize("version", PARSERS)
def test_accounts_association(version, clean, openapi_doc):
    path = f"/slurmdb/{version}/accounts_association/"
    body = {"association_condition": {
        "accounts": [f"{PREFIX}a1", f"{PREFIX}a2"], "clusters": ["restcluster"],
        "association": {"parent": "physics", "maxjobs": {"set": True, "number": 5},
                        "grpjobs": 7, "fairshare": 3, "qoslevel": ["normal"]}},
        "account": {"description": "rpy40 test", "organization": "rpyorg"}}
    ref, our = write_both("POST", path, body, openapi_doc)
    assert our["added_accounts"] == ref["added_accounts"]
    assert " Adding Account(s)\n  rpy40_a1\n  rpy40_a2\n" in our["added_accounts"]
    r, o = held("account", f"{PREFIX}a1,{PREFIX}a2", "format=account,description,organization")
    assert o == r and o.count("rpy40 test|rpyorg") == 2
    r, o = held("association", f"account={PREFIX}a1,{PREFIX}a2",
                "format=cluster,account,user,parentname,maxjobs,grpjobs,fairshare,qos")
    assert o == r and "physics|5|7|3|normal" in o
    # Defaults: root as parent, the name as description and organization.
    body = {"association_condition": {"accounts": [f"{PREFIX}a3"], "clusters": CLUSTERS},
            "account": {}}
    ref, our = write_both("POST", path, body, openapi_doc)
    assert our["added_accounts"] == ref["added_accounts"]
    assert held("account", f"{PREFIX}a3", "format=account,description,organization") == (
        f"{PREFIX}a3|{PREFIX}a3|{PREFIX}a3",) * 2
    # Removal answers the names; nothing to remove is 304 on both.
    for name in ("a1", "a2", "a3"):
        ref, our = write_both("DELETE", f"/slurmdb/{version}/account/{PREFIX}{name}", None,
                              openapi_doc)
        assert our["removed_accounts"] == ref["removed_accounts"] == [PREFIX + name]
    assert call("ref", "DELETE", f"/slurmdb/{version}/account/{PREFIX}a1")[0] == 304
    assert call("ours", "DELETE", f"/slurmdb/{version}/account/{PREFIX}a1")[0] == 304
    assert held("account", f"{PREFIX}a1") == ("", "")


@pytest.mark.parametrize("version", PARSERS)
def test_users_association(version, clean, openapi_doc):
    db = f"/slurmdb/{version}"
    write_both("POST", f"{db}/accounts_association/", {"association_condition": {
        "accounts": [f"{PREFIX}a"], "clusters": CLUSTERS}, "account": {}}, openapi_doc)
    body = {"association_condition": {
        "users": [f"{PREFIX}u1", f"{PREFIX}u2"], "accounts": [f"{PREFIX}a"],
        "partitions": ["debug"], "clusters": CLUSTERS,
        "association": {"maxjobs": {"set": True, "number": 4}}},
        "user": {"adminlevel": ["Operator"]}}
    ref, our = write_both("POST", f"{db}/users_association/", body, openapi_doc)
    assert our["added_users"] == ref["added_users"]
    r, o = held("user", f"{PREFIX}u1,{PREFIX}u2", "format=user,defaultaccount,admin")
    assert o == r and o.count(f"{PREFIX}a|Operator") == 2
    r, o = held("association", f"account={PREFIX}a", "format=account,user,partition,maxjobs")
    assert o == r and f"{PREFIX}u1|debug|4" in o
    # GET user as the reference writes it (ids differ between the databases).
    ref, our = both(f"{db}/user/{PREFIX}u1?with_assocs=true")
    same_shape(our, ref)
    strip = lambda u: {**u, "associations": [_drop(a, ("id",)) for a in u["associations"]]}  # noqa
    assert [strip(u) for u in our["users"]] == [strip(u) for u in ref["users"]]
    for name in ("u1", "u2"):
        rs, ref = call("ref", "DELETE", f"{db}/user/{PREFIX}{name}")
        our = ours("DELETE", f"{db}/user/{PREFIX}{name}", doc=openapi_doc)
        assert rs == 200 and our["errors"] == []
    assert call("ours", "DELETE", f"{db}/user/{PREFIX}u1")[0] == 304
    assert held("user", f"{PREFIX}u1,{PREFIX}u2") == ("", "")


@pytest.mark.parametrize("version", PARSERS)
def test_post_accounts_users_associations(version, clean, openapi_doc):
    db = f"/slurmdb/{version}"
    accounts = {"accounts": [{"name": f"{PREFIX}p", "description": "d", "organization": "o"}]}
    write_both("POST", f"{db}/accounts/", accounts, openapi_doc)
    assoc = {"associations": [{"account": f"{PREFIX}p", "cluster": "restcluster", "user": "",
                               "parent_account": "root", "max": {"jobs": {"active": {
                                   "set": True, "number": 6}}}, "priority": {"set": True,
                                                                             "number": 2}}]}
    write_both("POST", f"{db}/associations/", assoc, openapi_doc)
    users = {"users": [{"name": f"{PREFIX}u", "administrator_level": ["None"]}]}
    write_both("POST", f"{db}/users/", users, openapi_doc)
    user_assoc = {"associations": [{"account": f"{PREFIX}p", "cluster": "restcluster",
                                    "user": f"{PREFIX}u", "shares_raw": 9}]}
    write_both("POST", f"{db}/associations/", user_assoc, openapi_doc)
    # (The user's association shows the limits it inherits.)
    r, o = held("association", f"account={PREFIX}p", "format=account,user,maxjobs,priority,"
                "fairshare")
    assert o == r == f"{PREFIX}p||6|2|1\n{PREFIX}p|{PREFIX}u|6|2|9"
    assert held("account", f"{PREFIX}p", "format=account,description,organization") == (
        f"{PREFIX}p|d|o",) * 2
    # Removing one association by filter, then the user and the account.
    query = f"?account={PREFIX}p&user={PREFIX}u&cluster=restcluster"
    ref, our = write_both("DELETE", f"{db}/association/{query}", None, openapi_doc)
    assert len(our["removed_associations"]) == len(ref["removed_associations"]) == 1
    assert call("ours", "DELETE", f"{db}/associations/{query}")[0] == 304
    assert call("ref", "DELETE", f"{db}/associations/{query}")[0] == 304
    for side in ("ref", "ours"):
        assert call(side, "DELETE", f"{db}/user/{PREFIX}u")[0] == 200
        assert call(side, "DELETE", f"{db}/account/{PREFIX}p")[0] == 200
    assert held("account", f"{PREFIX}p") == ("", "")


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
