"""GET /slurm/v0.0.40, v0.0.41 and v0.0.42 partitions/ and
partition/{partition_name}, and the query reading (update_time, flags) they
share with the other v0.0.40+ list endpoints.

- Every answer of ours validates against our served document, and the
  document declares these operations as the 24.11 reference's does.
- The same partitions as our v0.0.38 answer (the same C fields), in 24.11's
  shape, on the cluster's partitions and three this module creates (and
  deletes) on ghost2 for memory limits, unlimited values, states, hidden
  and oversubscription.
- The 24.11 reference on its cluster (same partitions debug, long, ghosts):
  the same records, whole, and the same answers to bad queries, unknown
  partitions and update_time; on 24.11 (conftest.SAME_CLUSTER24) on ours'
  cluster, the fixtures' partitions too.
"""
from __future__ import annotations

import json

import pytest

from conftest import (SAME_CLUSTER24, created, one, reference24_doc, req, run_ours,
                      run_reference24, validate)
from doc40 import assert_declared_alike, paths_of

VERSIONS = ("v0.0.40", "v0.0.41", "v0.0.42")
PARTITIONS = ("debug", "long", "ghosts")  # the same on both clusters
FIXTURES = {
    "rpyq_a": ["nodes=ghost2", "DefMemPerCPU=100", "MaxMemPerNode=400", "DefaultTime=UNLIMITED",
               "MaxCPUsPerNode=1", "OverTimeLimit=5", "Hidden=YES", "State=DRAIN",
               "MaxNodes=UNLIMITED", "GraceTime=30", "OverSubscribe=FORCE:3"],
    "rpyq_b": ["nodes=ghost2", "DefMemPerNode=200", "MaxMemPerCPU=300", "DefaultTime=10",
               "MaxTime=20", "OverTimeLimit=UNLIMITED", "State=INACTIVE", "OverSubscribe=EXCLUSIVE",
               "QOS=normal", "DenyQos=normal"],
    "rpyq_c": ["nodes=ghost2", "State=DOWN", "MaxCPUsPerNode=UNLIMITED", "OverSubscribe=YES:4"],
}


@pytest.fixture(scope="module", autouse=True)
def partitions():
    with created(FIXTURES, "partitionname"):
        yield


def get(path, runner=run_ours):
    return one(runner(req(path=path, close=True)))


def answer(path, status=200):
    resp = get(path)
    assert resp.status == status, resp.body[:500]
    return resp.json()


def by_name(data):
    return {p["name"]: p for p in data["partitions"]}


# ---- our answers against our document ----

@pytest.mark.parametrize("version", VERSIONS)
def test_answers_valid(version, openapi_doc):
    prefix = f"/slurm/{version}"
    listed = answer(f"{prefix}/partitions/?flags=ALL")
    validate(openapi_doc, (f"{prefix}/partitions/", "get", 200), listed)
    assert {*PARTITIONS, *FIXTURES} <= set(by_name(listed))
    for name in (*PARTITIONS, *FIXTURES):
        one_ = answer(f"{prefix}/partition/{name}")
        validate(openapi_doc, (f"{prefix}/partition/{{partition_name}}", "get", 200), one_)
        assert [p["name"] for p in one_["partitions"]] == [name]
        assert one_["partitions"] == [by_name(listed)[name]]
    assert list(listed) == ["partitions", "last_update", "meta", "errors", "warnings"]
    assert listed["last_update"]["set"] and listed["errors"] == listed["warnings"] == []
    # Only v0.0.41 and later say how the partition selects resources.
    assert all(("select_type" in p) == (version != "v0.0.40") for p in listed["partitions"])


def test_hidden_only_with_flags():
    """Without flags the list leaves hidden partitions out (show_flags 0); a
    single partition is looked up among all of them (SHOW_ALL)."""
    assert "rpyq_a" not in by_name(answer("/slurm/v0.0.42/partitions/"))
    assert "rpyq_a" in by_name(answer("/slurm/v0.0.42/partitions/?flags=all"))
    assert by_name(answer("/slurm/v0.0.42/partition/RPYQ_A"))  # names match in any case


# ---- the same partitions as v0.0.38 reads them ----

def _limit38(value):
    return "infinite" if value == -1 else value


def _limit40(value):
    return "infinite" if value["infinite"] else value["number"] if value["set"] else None


def _memory(p, prefix):
    """v0.0.38's (per CPU, per node) memory limit of a 24.11 partition (0: none, null)."""
    return tuple(_limit40(p[prefix][f"partition_memory_per_{what}"]) or None
                 for what in ("cpu", "node"))


def test_same_as_v0_0_38():
    ours38 = {p["name"]: p for p in answer("/slurm/v0.0.38/partitions")["partitions"]}
    ours42 = by_name(answer("/slurm/v0.0.42/partitions/?flags=ALL"))
    assert set(ours42) == set(ours38)
    for name, o in ours42.items():
        p = ours38[name]
        default_time = p["default_time_limit"]  # v0.0.38 writes INFINITE as is here
        assert {
            "nodes": p["nodes"], "allowed_allocation": p["allowed_allocation_nodes"],
            "accounts": (p["allowed_accounts"], p["denied_accounts"]),
            "groups": p["allowed_groups"], "qos": (p["allowed_qos"], p["denied_qos"], p["qos"]),
            "alternate": p["alternative"], "tres": (p["billing_weights"], p["tres"]),
            "total": (p["total_cpus"], p["total_nodes"]),
            "default_memory": (p["default_memory_per_cpu"], p["default_memory_per_node"]),
            "default_time": "infinite" if default_time == 4294967295 else default_time,
            "grace_time": p["preemption_grace_time"],
            "max_cpus_per_node": _limit38(p["maximum_cpus_per_node"]),
            "max_memory": (p["maximum_memory_per_cpu"], p["maximum_memory_per_node"]),
            "max_nodes": _limit38(p["maximum_nodes_per_job"]),
            "max_time": _limit38(p["max_time_limit"]),
            "over_time_limit": None if p["over_time_limit"] is None else
            "infinite" if p["over_time_limit"] == 65535 else p["over_time_limit"],
            "min_nodes": p["min nodes per job"],
            "priority": (p["priority_job_factor"], p["priority_tier"]),
            "state": [p["state"]],
        } == {
            "nodes": o["nodes"]["configured"], "allowed_allocation": o["nodes"]["allowed_allocation"],
            "accounts": (o["accounts"]["allowed"], o["accounts"]["deny"]),
            "groups": o["groups"]["allowed"],
            "qos": (o["qos"]["allowed"], o["qos"]["deny"], o["qos"]["assigned"]),
            "alternate": o["alternate"],
            "tres": (o["tres"]["billing_weights"], o["tres"]["configured"]),
            "total": (o["cpus"]["total"], o["nodes"]["total"]),
            "default_memory": _memory(o, "defaults"),
            "default_time": _limit40(o["defaults"]["time"]),
            "grace_time": o["grace_time"],
            "max_cpus_per_node": _limit40(o["maximums"]["cpus_per_node"]),
            "max_memory": _memory(o, "maximums"),
            "max_nodes": _limit40(o["maximums"]["nodes"]),
            "max_time": _limit40(o["maximums"]["time"]),
            "over_time_limit": _limit40(o["maximums"]["over_time_limit"]),
            "min_nodes": o["minimums"]["nodes"],
            "priority": (o["priority"]["job_factor"], o["priority"]["tier"]),
            "state": o["partition"]["state"],
        }, name


def test_what_24_11_adds():
    """The keys v0.0.38 has no counterpart of, read from the same struct."""
    parts = by_name(answer("/slurm/v0.0.42/partitions/?flags=ALL"))
    a, b, c = parts["rpyq_a"], parts["rpyq_b"], parts["rpyq_c"]
    # A memory limit's whole value, the per-CPU bit (1 << 63) making it negative.
    assert a["defaults"]["memory_per_cpu"] == 100 - (1 << 63)
    assert (a["maximums"]["memory_per_cpu"], b["defaults"]["memory_per_cpu"]) == (400, 200)
    assert b["maximums"]["memory_per_cpu"] == 300 - (1 << 63)
    # OverSubscribe: FORCE:3, EXCLUSIVE (0), YES:4.
    assert (a["maximums"]["shares"], a["maximums"]["oversubscribe"]) == \
        (0x8003, {"jobs": 3, "flags": ["force"]})
    assert (b["maximums"]["shares"], b["maximums"]["oversubscribe"]) == (0, {"jobs": 0, "flags": []})
    assert (c["maximums"]["shares"], c["maximums"]["oversubscribe"]) == (4, {"jobs": 4, "flags": []})
    unset = {"set": False, "infinite": False, "number": 0}
    for p in parts.values():
        # Power saving per partition (slurm.conf only): unset, the global values apply.
        assert p["suspend_time"] == p["timeouts"]["suspend"] == p["timeouts"]["resume"] == unset
        # 22.05 has no MaxCPUsPerSocket: no such limit, unlimited.
        assert p["maximums"]["cpus_per_socket"] == {"set": False, "infinite": True, "number": 0}
        assert p["select_type"] == [] and p["cluster"] == "" and p["node_sets"] == ""
        assert p["defaults"]["job"] == "" and p["cpus"]["task_binding"] == 0
    assert [a["partition"]["state"], b["partition"]["state"], c["partition"]["state"]] == \
        [["DRAIN"], ["INACTIVE"], ["DOWN"]]


# ---- errors and update_time, ours alone ----

def test_unknown_partition():
    data = answer("/slurm/v0.0.40/partition/rpyq_none", 422)
    assert list(data) == ["errors", "warnings", "meta"]
    assert data["errors"] == [{"description": "Unable to find partition rpyq_none",
                               "error_number": 9000,
                               "error": "Query empty or not RFC7320 compliant",
                               "source": "op_handler_partition"}]


def test_update_time():
    last = answer("/slurm/v0.0.42/partitions/")["last_update"]["number"]
    assert get(f"/slurm/v0.0.42/partitions/?update_time={last}").status == 304
    assert get(f"/slurm/v0.0.42/partition/debug?update_time={last}").status == 304
    assert get("/slurm/v0.0.42/partitions/?update_time=1").status == 200
    # v0.0.40 and v0.0.41 read text only, as a date or time: 1 is none.
    assert get("/slurm/v0.0.40/partitions/?update_time=1").status == 500
    assert get("/slurm/v0.0.41/partitions/?update_time=now-1hour").status in (200, 304)
    assert get("/slurm/v0.0.40/partitions/?update_time=now%2B1hour").status == 304


# ---- the document ----

def test_document_declares_what_the_reference_does(openapi_doc):
    ref = reference24_doc()
    for version in VERSIONS:
        paths = paths_of(ref, version, ("partition", "partitions"))
        assert paths == paths_of(openapi_doc, version, ("partition", "partitions"))
        assert paths == {f"/slurm/{version}/partitions/",
                         f"/slurm/{version}/partition/{{partition_name}}"}
        for path in paths:
            assert set(openapi_doc["paths"][path]) == set(ref["paths"][path])
            assert_declared_alike(openapi_doc, ref, path)


# ---- the 24.11 reference ----

def _data(resp):
    """The answer without meta (who asked and from where: the envelope's own
    test), and only the partitions both clusters have (on 24.11, one
    cluster, all of them)."""
    data = json.loads(resp.body)
    data.pop("meta")
    if "partitions" in data and not SAME_CLUSTER24:
        data["partitions"] = [p for p in data["partitions"] if p["name"] in PARTITIONS]
    # Volatile: when the controller last touched a partition (also by itself,
    # as the ghost nodes fail their pings), the same second or not.
    if "last_update" in data:
        data["last_update"]["number"] = type(data["last_update"]["number"]).__name__
    return data


@pytest.mark.parametrize("version", VERSIONS)
def test_same_records_as_reference24(version):
    path = f"/slurm/{version}/partitions/"
    ref, ours = get(path, run_reference24), get(path)
    assert ref.status == ours.status == 200
    r, o = _data(ref), _data(ours)
    assert list(r) == list(o)
    assert r["errors"] == o["errors"] == [] and r["warnings"] == o["warnings"] == []
    mine = o["partitions"] if SAME_CLUSTER24 else [p for p in o["partitions"]
                                                   if p["name"] in PARTITIONS]
    assert [p["name"] for p in r["partitions"]] == [p["name"] for p in mine]
    if SAME_CLUSTER24:  # one cluster: the whole answer, the fixtures (not hidden) too
        assert set(FIXTURES) - {"rpyq_a"} <= {p["name"] for p in mine}
        assert json.dumps(o) == json.dumps(r)
    for rp, op in zip(r["partitions"], mine):
        assert json.dumps(op) == json.dumps(rp)  # keys in order, values, types
    for name in (*PARTITIONS, *FIXTURES) if SAME_CLUSTER24 else PARTITIONS:
        path = f"/slurm/{version}/partition/{name.upper()}"
        ref, ours = get(path, run_reference24), get(path)
        assert ref.status == ours.status == 200
        assert json.dumps(_data(ours)["partitions"]) == json.dumps(_data(ref)["partitions"])


@pytest.mark.parametrize("query", [
    "partition/nope", "partitions/?update_time=abc", "partitions/?update_time=-5",
    "partitions/?update_time=0.4", "partitions/?update_time=", "partitions/?update_time=null",
    "partitions/?update_time=~", "partitions/?update_time=true", "partitions/?update_time=inf",
    "partitions/?update_time=1.5e40", "partitions/?update_time=0x10",
    "partitions/?flags=", "partition/debug?update_time=x&flags=",
    "partition/long?update_time=1&flags=bogus",
])
@pytest.mark.parametrize("version", VERSIONS)
def test_same_errors_as_reference24(version, query):
    path = f"/slurm/{version}/{query}"
    ref, ours = get(path, run_reference24), get(path)
    assert (ours.status, _data(ours)) == (ref.status, _data(ref))
    assert list(json.loads(ours.body)) == list(json.loads(ref.body))


@pytest.mark.parametrize("query", ["partitions/?flags=bogus", "partition/long?flags=Nope"])
def test_unknown_flag_as_reference24(query):
    """An unknown flag fails the answer (500) but the partitions are there."""
    path = f"/slurm/v0.0.42/{query}"
    ref, ours = get(path, run_reference24), get(path)
    assert ref.status == ours.status == 500
    r, o = _data(ref), _data(ours)
    assert o["errors"] == r["errors"] and list(o) == list(r)
    if SAME_CLUSTER24:  # one cluster: all of it
        assert o == r and r["partitions"]
        return
    assert [p["name"] for p in r["partitions"]] == \
        [p["name"] for p in o["partitions"] if p["name"] in PARTITIONS]


@pytest.mark.parametrize("version, query", [
    ("v0.0.42", "partitions/?update_time=9999999999"),
    ("v0.0.42", "partitions/?update_time=99999999999999999999"),
    ("v0.0.42", "partition/ghosts?flags=ALL&update_time=4000000000"),
    ("v0.0.41", "partitions/?update_time=1.5"),
    ("v0.0.40", "partition/ghosts?flags=ALL&update_time=now%2B1day"),
])
def test_not_modified_as_reference24(version, query):
    """v0.0.42: digits are a time; v0.0.40/41: a date (1.5: January 5th, to come)."""
    path = f"/slurm/{version}/{query}"
    ref, ours = get(path, run_reference24), get(path)
    assert ref.status == ours.status == 304
    assert ref.body == ours.body == b""
