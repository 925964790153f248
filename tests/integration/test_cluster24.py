"""The Slurm 24.11 reference cluster (tests/cluster24.sh) holds the same data
as the machine's 22.05 cluster (tests/cluster.sh): what tests/cluster_lib.sh
set up, read through each cluster's own reference slurmrestd, the 22.05 one
at v0.0.38 and the 24.11 one at v0.0.42, brought to one form. Only what the
set-up made is compared (partitions debug, long and ghosts; accounts root,
physics and chem): other tests add and remove their own on the 22.05 cluster.
Also: the 24.11 reference is the release and serves the versions it should.
"""
from __future__ import annotations

from conftest import one, reference24_doc, req, run_reference, run_reference24

PARTITIONS = ("debug", "long", "ghosts")
ACCOUNTS = ("root", "physics", "chem")
DB22 = ("-a", "rest_auth/local", "-s", "dbv0.0.38")


def get22(path, args=("-a", "rest_auth/local", "-s", "v0.0.38")):
    resp = one(run_reference(req(path=path, close=True), args))
    assert resp.status == 200, resp.body[:500]
    return resp.json()


def get24(path, user="alice"):
    resp = one(run_reference24(req(path=path, close=True), user))
    assert resp.status == 200, resp.body[:500]
    data = resp.json()
    assert data["errors"] == [], data["errors"]
    return data


def limit22(value):
    """A v0.0.38 limit: -1 is INFINITE, null is unset."""
    return "infinite" if value == -1 else value


def limit24(value):
    """A v0.0.42 {set, infinite, number} limit, in limit22's form."""
    if isinstance(value, dict):
        return "infinite" if value["infinite"] else value["number"] if value["set"] else None
    return value


def test_reference24_release_and_versions():
    data = get24("/slurm/v0.0.42/ping")
    assert data["meta"]["slurm"]["release"].startswith("24.11.")
    assert data["meta"]["slurm"]["cluster"] == "restcluster"
    assert [p["pinged"] for p in data["pings"]] == ["UP"]
    doc = reference24_doc()
    assert {p.split("/")[2] for p in doc["paths"]} == {"v0.0.40", "v0.0.41", "v0.0.42"}
    assert "/slurmdb/v0.0.42/associations/" in doc["paths"]
    assert doc["info"]["version"].startswith("Slurm-24.11.")


def test_same_partitions():
    def from22(p):
        return {"nodes": p["nodes"], "state": p["state"], "total_cpus": p["total_cpus"],
                "total_nodes": p["total_nodes"], "tres": p["tres"],
                "max_time": limit22(p["max_time_limit"]),
                "default_time": limit22(p["default_time_limit"]),
                "max_nodes": limit22(p["maximum_nodes_per_job"]),
                "min_nodes": p["min nodes per job"],  # (sic: v0.0.38's key)
                "max_cpus_per_node": limit22(p["maximum_cpus_per_node"]),
                "priority": (p["priority_job_factor"], p["priority_tier"]),
                "allowed_accounts": p["allowed_accounts"]}

    def from24(p):
        return {"nodes": p["nodes"]["configured"], "state": "+".join(p["partition"]["state"]),
                "total_cpus": p["cpus"]["total"], "total_nodes": p["nodes"]["total"],
                "tres": p["tres"]["configured"],
                "max_time": limit24(p["maximums"]["time"]),
                "default_time": limit24(p["defaults"]["time"]),
                "max_nodes": limit24(p["maximums"]["nodes"]),
                "min_nodes": p["minimums"]["nodes"],
                "max_cpus_per_node": limit24(p["maximums"]["cpus_per_node"]),
                "priority": (p["priority"]["job_factor"], p["priority"]["tier"]),
                "allowed_accounts": p["accounts"]["allowed"]}

    ours22 = {p["name"]: from22(p) for p in get22("/slurm/v0.0.38/partitions")["partitions"]
              if p["name"] in PARTITIONS}
    ours24 = {p["name"]: from24(p) for p in get24("/slurm/v0.0.42/partitions")["partitions"]
              if p["name"] in PARTITIONS}
    assert set(ours22) == set(PARTITIONS)
    assert ours24 == ours22
    # Not vacuous: the limits the set-up gave are there.
    assert ours22["long"]["max_time"] == 2880 and ours22["debug"]["max_time"] == "infinite"
    assert ours22["ghosts"]["allowed_accounts"] == "physics"


def test_same_licenses():
    lic22 = {x["LicenseName"]: x["Total"] for x in get22("/slurm/v0.0.38/licenses")["licenses"]}
    lic24 = {x["LicenseName"]: x["Total"] for x in get24("/slurm/v0.0.42/licenses")["licenses"]}
    assert lic22 == lic24 == {"matlab": 4, "fluent": 2}


def test_same_accounts():
    def pick(accounts):
        return {a["name"]: (a["description"], a["organization"]) for a in accounts
                if a["name"] in ACCOUNTS}

    acc22 = pick(get22("/slurmdb/v0.0.38/accounts", DB22)["accounts"])
    acc24 = pick(get24("/slurmdb/v0.0.42/accounts")["accounts"])
    assert set(acc22) == set(ACCOUNTS)
    assert acc24 == acc22


def test_same_associations():
    """Every association in these accounts (PrivateData is unset: alice sees
    all); 22.05's unset strings are null where 24.11 writes "". is_default
    only for users: 24.11 also sets it on some accounts' own associations."""
    def pick(assocs):
        return sorted((a["cluster"], a["account"], a["user"] or "", a["partition"] or "",
                       a["parent_account"] or "", bool(a["is_default"]) if a["user"] else None)
                      for a in assocs if a["account"] in ACCOUNTS)

    as22 = pick(get22("/slurmdb/v0.0.38/associations", DB22)["associations"])
    as24 = pick(get24("/slurmdb/v0.0.42/associations")["associations"])
    assert as24 == as22
    users = {(a[1], a[2]) for a in as22}
    assert {("physics", "alice"), ("chem", "alice"), ("chem", "bob")} <= users
    assert ("physics", "bob") not in users
