"""/slurmdb/v0.0.40, v0.0.41 and v0.0.42 qos, tres, clusters, config, diag
and instances: each answer of ours is what our document declares, has the
keys and types of Slurm 24.11's answer on its cluster with the same
fixtures, and the values those fixtures make equal (on 24.11, where both
answer from ours' cluster, conftest.SAME_CLUSTER24, all values but the
volatile ones); writes (a test-only QOS and cluster, created and removed
again by each daemon) leave the same records."""
from __future__ import annotations

import json
import subprocess

import pytest

from conftest import (SAME_CLUSTER24, json_of, one, req, root24, roots, run_ours, run_reference24,
                      shape, validate)

PARSERS = ("v0.0.40", "v0.0.41", "v0.0.42")
# Writes and statistics need slurmdbd's SlurmUser (alice may not); both
# daemons refuse to run as it unless told.
ADMIN = {"user": "slurm", "env": {"SLURMRESTD_SECURITY": "disable_user_check"}}
TEST_QOS = "rpy40_dbqos"


def call(runner, method: str, path: str, body: dict | None = None, admin: bool = False):
    headers = [("Content-Type", "application/json")] if body is not None else []
    wire = req(method=method, path=path, headers=headers, close=True,
               body=json.dumps(body).encode() if body is not None else None)
    resp = one(runner(wire, **(ADMIN if admin else {})))
    return resp.status, (json_of(resp) if resp.body else None)


def both(method: str, path: str, body: dict | None = None, admin: bool = False):
    """((status, data) of the reference, (status, data) of ours)."""
    return (call(run_reference24, method, path, body, admin),
            call(run_ours, method, path, body, admin))


def payload(data: dict) -> dict:
    # meta names each daemon's release and client; warnings carry pointers.
    return {k: v for k, v in data.items() if k not in ("meta", "warnings")}


def template(path: str) -> str:
    return path.replace("/qos/normal", "/qos/{qos}").replace(
        "/cluster/restcluster", "/cluster/{cluster_name}")


def sacctmgr(root: str | None, *args: str) -> str:
    cmd = [*(("chroot", root) if root else ()), "sacctmgr", "-n", "-P", *args]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=60).stdout


GETS = ["tres/", "clusters/", "cluster/restcluster", "qos/", "qos/normal", "instances/",
        "instance/"]


@pytest.mark.parametrize("version", PARSERS)
@pytest.mark.parametrize("tail", GETS)
def test_get_as_the_reference(version, tail, openapi_doc):
    path = f"/slurmdb/{version}/{tail}"
    (rs, ref), (os_, ours) = both("GET", path)
    assert (rs, os_) == (200, 200), (ref, ours)
    if tail == "qos/":  # the fixtures' QOS (the reference's cluster may hold others' too)
        for data in (ref, ours):
            data["qos"] = [q for q in data["qos"] if q["name"] == "normal"]
    assert shape(payload(ours)) == shape(payload(ref))
    assert ours["errors"] == ref["errors"] == []
    if SAME_CLUSTER24:  # one database: every value
        assert payload(ours) == payload(ref)
    validate(openapi_doc, (template(path), "get", 200), ours)


@pytest.mark.parametrize("version", PARSERS)
def test_values_the_fixtures_share(version):
    base = f"/slurmdb/{version}"
    (_, ref), (_, ours) = both("GET", f"{base}/tres/")
    assert ours["TRES"] == ref["TRES"]
    (_, ref), (_, ours) = both("GET", f"{base}/clusters/")
    # Ports and RPC versions are each cluster's own.
    keys = ("controller", "flags", "name", "nodes", "select_plugin", "associations", "tres")
    assert [{k: c[k] for k in keys if k != "controller"} for c in ours["clusters"]] == \
        [{k: c[k] for k in keys if k != "controller"} for c in ref["clusters"]]
    assert [c["controller"]["host"] for c in ours["clusters"]] == \
        [c["controller"]["host"] for c in ref["clusters"]]
    (_, ref), (_, ours) = both("GET", f"{base}/qos/normal")
    assert ours["qos"] == [{**q, "id": ours["qos"][0]["id"]} for q in ref["qos"]]
    # Key order as the reference's, nested keys too.
    assert json.dumps(ours["qos"], sort_keys=False) == json.dumps(
        [{**q, "id": ours["qos"][0]["id"]} for q in ref["qos"]], sort_keys=False)


@pytest.mark.parametrize("version", PARSERS)
def test_instances_found_nothing(version):
    # 22.05's slurmdbd keeps no instances: the reference's answer to a
    # query that finds none (no "instances" key).
    for tail in ("instances/", "instance/?cluster=restcluster"):
        (rs, ref), (os_, ours) = both("GET", f"/slurmdb/{version}/{tail}")
        assert (rs, os_) == (200, 200)
        assert payload(ours) == payload(ref) == {"errors": []}


@pytest.mark.parametrize("version", PARSERS)
def test_qos_list_query_ignored(version):
    # The reference reads the list's QOS condition from the path's
    # parameters (there are none): its query filters nothing.
    base = f"/slurmdb/{version}/qos/"
    for query in ("name=nosuchqos", "id=99", "description=nothing", "preempt_mode=REQUEUE"):
        (_, ref), (_, ours) = both("GET", f"{base}?{query}")
        assert [q["name"] for q in ours["qos"]] == ["normal"], query
        assert "normal" in [q["name"] for q in ref["qos"]], query
    # The single QOS is its path's.
    (_, ref), (_, ours) = both("GET", f"/slurmdb/{version}/qos/nosuchqos")
    assert ours["qos"] == ref["qos"] == []


def test_tres_update_refused():
    (rs, ref), (os_, ours) = both("POST", "/slurmdb/v0.0.42/tres/", {"TRES": []})
    assert (rs, os_) == (500, 500)
    assert ours["errors"] == ref["errors"]


@pytest.mark.parametrize("version", PARSERS)
def test_diag_as_the_reference(version, openapi_doc):
    path = f"/slurmdb/{version}/diag/"
    (rs, ref), (os_, ours) = both("GET", path, admin=True)
    assert (rs, os_) == (200, 200)
    assert ours["errors"] == ref["errors"] == []
    # RPC and user lists are each daemon's own history: keys and types.
    stats, ref_stats = ours["statistics"], ref["statistics"]
    assert list(stats) == list(ref_stats)
    assert shape(stats["RPCs"][:1]) == shape(ref_stats["RPCs"][:1])
    assert shape(stats["users"][:1]) == shape(ref_stats["users"][:1])
    if version == "v0.0.40":  # the periods that ran
        assert all(shape(r) == shape(ref_stats["rollups"][0]) for r in stats["rollups"])
    else:
        assert shape(stats["rollups"]) == shape(ref_stats["rollups"])
    assert "slurm" in {u["user"] for u in stats["users"]}
    validate(openapi_doc, (path, "get", 200), ours)


def test_diag_refused_to_a_user():
    # alice may not read slurmdbd's statistics (v0.0.41's reference dies here).
    for version in ("v0.0.40", "v0.0.42"):
        (rs, ref), (os_, ours) = both("GET", f"/slurmdb/{version}/diag/")
        assert (rs, os_) == (500, 500)
        assert [e["error_number"] for e in ours["errors"]] == \
            [e["error_number"] for e in ref["errors"]]


@pytest.mark.parametrize("version", PARSERS)
def test_config_as_the_reference(version, openapi_doc):
    path = f"/slurmdb/{version}/config"
    (rs, ref), (os_, ours) = both("GET", path, admin=True)
    assert (rs, os_) == (200, 200)
    assert list(payload(ours)) == list(payload(ref))
    assert ours["tres"] == ref["tres"]
    assert ours["wckeys"] == ref["wckeys"] == ours["instances"] == ref["instances"] == []
    # The fixtures' records (other tests may add theirs on either cluster).
    for key, fixtures in FIXTURES.items():
        mine, theirs = (sorted((r for r in d[key] if _name(key, r) in fixtures),
                               key=lambda r: _name(key, r)) for d in (ours, ref))
        assert [_name(key, r) for r in mine] == [_name(key, r) for r in theirs], key
        if key == "accounts":
            # Known difference: the reference lists no associations of the
            # root account here (accounts/ with_assocs does); we list its own.
            mine = [{k: v for k, v in r.items() if k != "associations"} for r in mine]
            theirs = [{k: v for k, v in r.items() if k != "associations"} for r in theirs]
        assert shape(mine) == shape(theirs), key
        if SAME_CLUSTER24:  # one database: every value
            assert mine == theirs, key
    validate(openapi_doc, (path, "get", 200), ours)
    # alice may not read wckeys: nothing at all, as the reference.
    (rs, ref), (os_, ours) = both("GET", path)
    assert (rs, os_) == (500, 500)
    assert payload(ours).keys() == payload(ref).keys() == {"errors"}


FIXTURES = {"clusters": {"restcluster"}, "accounts": {"root", "physics", "chem"},
            "users": {"root", "alice", "bob"}, "qos": {"normal"},
            "associations": {("root", ""), ("root", "root"), ("physics", ""), ("chem", ""),
                             ("physics", "alice"), ("chem", "alice"), ("chem", "bob")}}


def _name(key: str, record: dict):
    return (record["account"], record["user"]) if key == "associations" else record["name"]


# ---- writes: compared by what each slurmdbd holds afterwards

QOS_FIELDS = "name,priority,flags,maxtres,maxwall,maxsubmitpu,maxjobspu,grptres,preemptmode," \
             "preemptexempttime,usagefactor,description"


def _qos_body(version: str) -> dict:
    return {"qos": [{
        "name": TEST_QOS, "description": f"rpy {version} test",
        "flags": ["DENY_LIMIT", "NO_DECAY"], "priority": {"set": True, "number": 7},
        "limits": {"max": {
            "tres": {"per": {"job": [{"type": "cpu", "count": 4}]},
                     "total": [{"type": "mem", "count": 2048}]},
            "wall_clock": {"per": {"job": {"set": True, "number": 60}}},
            "jobs": {"per": {"user": {"set": True, "number": 5}},
                     "active_jobs": {"per": {"user": {"infinite": True}}}}}},
        "preempt": {"mode": ["REQUEUE"], "exempt_time": {"set": True, "number": 30}},
        "usage_factor": {"set": True, "number": 2.5}}]}


def _delete(kind: str, name: str) -> None:
    for root in roots():  # whatever a failed test left
        subprocess.run([*(("chroot", root) if root else ()), "sacctmgr", "-i", "delete", kind,
                        name], capture_output=True, timeout=60)


def told_alike(story, kind: str, name: str) -> list:
    """`story(runner, root)` told by the reference and by ours, each on its
    cluster with `kind` `name` deleted first and after (on 24.11 one after
    the other on the one cluster): the same observations, returned."""
    told = []
    try:
        for runner, root in ((run_reference24, root24()), (run_ours, None)):
            _delete(kind, name)
            told.append(story(runner, root))
    finally:
        _delete(kind, name)
    assert told[1] == told[0]
    return told[1]


@pytest.mark.parametrize("version", PARSERS)
def test_qos_written_as_the_reference(version):
    def story(runner, root):
        seen = []
        status, data = call(runner, "POST", f"/slurmdb/{version}/qos/", _qos_body(version),
                            admin=True)
        seen.append((status, data["errors"]))
        seen.append(sacctmgr(root, "show", "qos", TEST_QOS, f"format={QOS_FIELDS}"))
        # Read back (its id is the database's own for each creation).
        _, data = call(runner, "GET", f"/slurmdb/{version}/qos/{TEST_QOS}")
        seen.append(json.dumps([{**q, "id": 0} for q in data["qos"]]))
        # A change: only what the body gives.
        change = {"qos": [{"name": TEST_QOS, "priority": {"set": True, "number": 9}}]}
        seen.append(call(runner, "POST", f"/slurmdb/{version}/qos/", change, admin=True)[0])
        seen.append(sacctmgr(root, "show", "qos", TEST_QOS, f"format={QOS_FIELDS}"))
        status, data = call(runner, "DELETE", f"/slurmdb/{version}/qos/{TEST_QOS}", admin=True)
        seen.append((status, data["removed_qos"]))
        seen.append(sacctmgr(root, "show", "qos", TEST_QOS))
        return seen
    posted, held, _, changed, held_then, removed, gone = told_alike(story, "qos", TEST_QOS)
    assert posted == (200, []) and held and changed == 200
    assert held_then.startswith(f"{TEST_QOS}|9|")
    assert removed == (200, [TEST_QOS]) and gone == ""


TEST_CLUSTER = "rpy40dbcl"
CLUSTER_FIELDS = "cluster,controlhost,controlport,flags,rpc"


@pytest.mark.parametrize("version", PARSERS)
def test_cluster_written_as_the_reference(version):
    body = {"clusters": [{"name": TEST_CLUSTER, "controller": {"host": "10.1.2.3", "port": 6999},
                          "flags": ["MULTIPLE_SLURMD"], "rpc_version": 9728}]}

    def story(runner, root):
        seen = [call(runner, "POST", f"/slurmdb/{version}/clusters/", body, admin=True)[0]]
        seen.append(sacctmgr(root, "show", "cluster", TEST_CLUSTER, f"format={CLUSTER_FIELDS}"))
        seen.append(call(runner, "GET", f"/slurmdb/{version}/cluster/{TEST_CLUSTER}")[1][
            "clusters"])
        status, data = call(runner, "DELETE", f"/slurmdb/{version}/cluster/{TEST_CLUSTER}",
                            admin=True)
        seen.append((status, data["deleted_clusters"]))
        seen.append(sacctmgr(root, "show", "cluster", TEST_CLUSTER))
        return seen
    posted, held, _, deleted, gone = told_alike(story, "cluster", TEST_CLUSTER)
    assert posted == 200 and held.startswith(TEST_CLUSTER + "|")
    assert deleted == (200, [TEST_CLUSTER]) and gone == ""
