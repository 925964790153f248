"""GET /slurm/v0.0.38/partitions and /partition/{partition_name}:
slurmrestd-py against the reference, on the cluster's partitions (debug,
long and ghosts have limits) and on three this module creates (and
deletes) on ghost2 to cover flags, memory limits, unlimited values and
states; under v0.0.38 and v0.0.37 (`api`), whose partitions differ in their
memory limits (v0_0_37/partitions.py). Partition records do not move
between two calls: whole answers are
compared, key order included; every answer of ours validates against our
served document.
"""
from __future__ import annotations

import time

import pytest

import conftest
from conftest import (API, APIS, APIS_36, created, declared_alike, get_both, json_of, one, req,
                      run_ours, scontrol)

LIST_PATH = f"{API}/partitions"
ONE_PATH = f"{API}/partition/{{partition_name}}"
INVALID = {"error": "Invalid partition name specified", "errno": 2000}
DEFAULT_TIME, PREEMPTION = "default_time_limit", "preemption_mode"
NO_VAL16_MODES = ["requeue", "gang_schedule"]  # 0xfffe read as bits
V37 = "/slurm/v0.0.37"
FUTURE = int(time.time()) + 10 * 365 * 86400
# name -> scontrol create arguments; not default, so no job lands there.
FIXTURES = {
    "rpyp_a": ["nodes=ghost2", "DefMemPerCPU=100", "MaxMemPerNode=400", "DefaultTime=UNLIMITED",
               "MaxCPUsPerNode=1", "OverTimeLimit=5", "Hidden=YES", "ExclusiveUser=YES",
               "LLN=YES", "RootOnly=YES", "ReqResv=YES", "DisableRootJobs=YES",
               "GraceTime=30", "PriorityTier=3", "PriorityJobFactor=7", "AllowGroups=alice",
               "DenyAccounts=chem", "AllowQos=normal", "Alternate=debug", "AllocNodes=vm",
               "TRESBillingWeights=CPU=2.0", "State=DRAIN", "MaxNodes=UNLIMITED",
               "MinNodes=1", "MaxTime=UNLIMITED"],
    "rpyp_b": ["nodes=ghost2", "DefMemPerNode=200", "MaxMemPerCPU=300", "DefaultTime=10",
               "MaxTime=20", "OverTimeLimit=UNLIMITED", "State=INACTIVE", "DenyQos=normal",
               "QOS=normal"],
    "rpyp_c": ["nodes=ghost2", "State=DOWN", "PreemptMode=requeue", "MaxCPUsPerNode=UNLIMITED"],
}


@pytest.fixture(scope="module", autouse=True)
def partitions():
    with created(FIXTURES, "partitionname"):
        yield


def same_partitions(ref, ours):
    """v0.0.37: the same records but for two faults of the reference
    (test_v0_0_37_records): default_time_limit shows the default memory
    (ours: the time limit), and an unset preemption mode (NO_VAL16) shows
    its bits as modes (ours: disabled, as v0.0.38)."""
    assert [list(r) for r in ours] == [list(r) for r in ref]

    def fixed(r, o):
        r = dict(r, **{DEFAULT_TIME: o[DEFAULT_TIME]})
        if r[PREEMPTION] == NO_VAL16_MODES and o[PREEMPTION] == ["disabled"]:
            r[PREEMPTION] = ["disabled"]
        return r
    conftest.same_list([fixed(r, o) for r, o in zip(ref, ours)], ours)


def check_same(path, openapi_doc, template, status=200, api=API):
    data = conftest.check_same(path, openapi_doc, template, "partitions", status,
                               conftest.same_list if api == API else same_partitions, api=api)
    return data and data[1]


def by_name(data):
    return {p["name"]: p for p in data["partitions"]}


# ---- the list ----

@pytest.mark.cluster22
@pytest.mark.parametrize("path", [LIST_PATH, LIST_PATH + "/", LIST_PATH + "?update_time=0"])
@pytest.mark.parametrize("api", APIS_36)
def test_list_same_as_reference(path, openapi_doc, api):
    data = check_same(path, openapi_doc, LIST_PATH, api=api)
    assert {"debug", "long", "ghosts", *FIXTURES} <= set(by_name(data))


def test_records_as_the_reference_renders_them():
    resp = one(run_ours(req(path=LIST_PATH, close=True)))
    assert resp.status == 200
    parts = by_name(resp.json())
    debug, long, ghosts = parts["debug"], parts["long"], parts["ghosts"]
    a, b, c = parts["rpyp_a"], parts["rpyp_b"], parts["rpyp_c"]
    # The cluster's limits: unlimited is -1, unset null.
    assert debug["flags"] == ["default"] and long["flags"] == ghosts["flags"] == []
    assert (debug["max_time_limit"], debug["maximum_nodes_per_job"],
            debug["maximum_cpus_per_node"], debug["default_time_limit"]) == (-1, -1, -1, None)
    assert (long["max_time_limit"], long["default_time_limit"], long["maximum_nodes_per_job"],
            long["maximum_cpus_per_node"]) == (2880, 60, 1, 2)
    assert (long["priority_job_factor"], long["priority_tier"]) == (10, 10)
    assert (ghosts["allowed_accounts"], ghosts["max_time_limit"],
            ghosts["maximum_nodes_per_job"], ghosts["min nodes per job"]) == ("physics", 30, 2, 1)
    assert ghosts["nodes"] == "ghost[1-2]" and ghosts["total_nodes"] == 2
    assert debug["tres"] == "cpu=2,mem=2000M,node=1,billing=2"
    for p in (debug, long, ghosts):
        assert p["state"] == "UP" and p["preemption_mode"] == ["disabled"]
        assert p["over_time_limit"] is None and p["allowed_groups"] == p["qos"] == ""
        assert p["default_memory_per_cpu"] is p["maximum_memory_per_node"] is None
    # Flags in the reference's order; a hidden partition is listed (SHOW_ALL).
    assert a["flags"] == ["hidden", "no_root", "root_only", "reservation_required",
                          "least_loaded_nodes", "exclusive_user"]
    # Memory: per CPU or per node, the other null.
    assert (a["default_memory_per_cpu"], a["default_memory_per_node"]) == (100, None)
    assert (a["maximum_memory_per_cpu"], a["maximum_memory_per_node"]) == (None, 400)
    assert (b["default_memory_per_cpu"], b["default_memory_per_node"]) == (None, 200)
    assert (b["maximum_memory_per_cpu"], b["maximum_memory_per_node"]) == (300, None)
    # An unlimited default time is 4294967295 (INFINITE as is), unlike the
    # other limits' -1; an unlimited over-time limit is 65535.
    assert (a["default_time_limit"], a["max_time_limit"], a["maximum_nodes_per_job"]) == \
        (4294967295, -1, -1)
    assert (a["over_time_limit"], b["over_time_limit"]) == (5, 65535)
    assert (b["default_time_limit"], b["max_time_limit"]) == (10, 20)
    assert (a["maximum_cpus_per_node"], c["maximum_cpus_per_node"]) == (1, -1)
    assert (a["allowed_groups"], a["denied_accounts"], a["allowed_qos"], a["alternative"],
            a["allowed_allocation_nodes"], a["billing_weights"]) == \
        ("alice", "chem", "normal", "debug", "vm", "CPU=2.0")
    assert (a["preemption_grace_time"], a["priority_tier"], a["priority_job_factor"]) == (30, 3, 7)
    assert (b["denied_qos"], b["qos"]) == ("normal", "normal")
    assert [a["state"], b["state"], c["state"]] == ["DRAIN", "INACTIVE", "DOWN"]
    assert c["preemption_mode"] == ["requeue"]
    assert (c["nodes"], c["total_cpus"], c["total_nodes"]) == ("ghost2", 1, 1)


@pytest.mark.cluster22
def test_v0_0_37_records():
    """v0.0.37: one raw number per memory limit (a per-CPU limit keeps its
    MEM_PER_CPU bit and reads negative), no `within`; the default time limit
    and an unset preemption mode read as v0.0.38 reads them, where the
    reference shows the default memory and NO_VAL16's bits."""
    v38 = by_name(one(run_ours(req(path=LIST_PATH, close=True))).json())
    ref, ours = get_both(f"{V37}/partitions")
    ref, ours = by_name(json_of(ref)), by_name(json_of(ours))
    a, b = ours["rpyp_a"], ours["rpyp_b"]
    per_cpu = -(1 << 63)
    assert (a["default_memory_per_cpu"], a["maximum_memory_per_node"]) == (per_cpu + 100, 400)
    assert (b["default_memory_per_cpu"], b["maximum_memory_per_node"]) == (200, per_cpu + 300)
    assert "default_memory_per_node" not in a and "maximum_memory_per_cpu" not in a
    for name, p in ours.items():
        assert p[DEFAULT_TIME] == v38[name][DEFAULT_TIME], name
    # The reference's faults.
    assert (ref["rpyp_b"][DEFAULT_TIME], b[DEFAULT_TIME]) == (200, 10)
    assert (ref["debug"][PREEMPTION], ours["debug"][PREEMPTION]) == (NO_VAL16_MODES, ["disabled"])
    assert ours["rpyp_c"][PREEMPTION] == ref["rpyp_c"][PREEMPTION] == ["requeue"]


def test_nodes_list_their_partitions():
    # In partition order, hidden ones included; a single node too (where the
    # reference lists the first node's partitions: see test_nodes.py).
    listed = one(run_ours(req(path=f"{API}/nodes", close=True))).json()["nodes"]
    partitions = {n["name"]: n["partitions"] for n in listed}
    assert partitions["ghost2"] == ["ghosts", *FIXTURES]
    assert partitions["ghost1"] == ["ghosts"]
    assert partitions["vm"] == ["debug", "long"]
    for name in ("ghost2", "vm"):
        resp = one(run_ours(req(path=f"{API}/node/{name}", close=True)))
        assert resp.json()["nodes"][0]["partitions"] == partitions[name]


# ---- one partition ----

@pytest.mark.cluster22
@pytest.mark.parametrize("name", ["debug", "long", "LONG", "ghosts", "rpyp_a", "lon%67"])
@pytest.mark.parametrize("api", APIS_36)
def test_one_same_as_reference(name, openapi_doc, api):
    data = check_same(f"{API}/partition/{name}", openapi_doc, ONE_PATH, api=api)
    assert [p["name"] for p in data["partitions"]] == [name.lower().replace("%67", "g")]


@pytest.mark.cluster22
@pytest.mark.parametrize("name", ["nosuch", "lon", "long%20", "ghost1"])
@pytest.mark.parametrize("api", APIS_36)
def test_unknown_same_as_reference(name, openapi_doc, api):
    data = check_same(f"{API}/partition/{name}", openapi_doc, ONE_PATH, status=500, api=api)
    assert data["errors"] == [INVALID]
    assert data["partitions"] == []


# ---- update_time ----

@pytest.mark.parametrize("path", [
    f"{LIST_PATH}?update_time={FUTURE}",
    f"{LIST_PATH}?update_time=99999999999999999999",  # saturates
    f"{LIST_PATH}?update_time={FUTURE}.4",
    f"{API}/partition/long?update_time={FUTURE}",
    # The name is not looked at when nothing changed.
    f"{API}/partition/nosuch?update_time={FUTURE}",
])
@pytest.mark.parametrize("api", APIS)
def test_not_modified(path, openapi_doc, api):
    check_same(path, openapi_doc, LIST_PATH, status=304, api=api)


@pytest.mark.cluster22
@pytest.mark.parametrize("api", APIS)
def test_changes_since_update_time_are_seen(openapi_doc, api):
    since = int(time.time()) - 1
    scontrol("update", "partitionname=rpyp_c", "MaxTime=45")
    try:
        data = check_same(f"{LIST_PATH}?update_time={since}", openapi_doc, LIST_PATH, api=api)
        assert by_name(data)["rpyp_c"]["max_time_limit"] == 45
        # Any partition changed: the one asked for is answered.
        data = check_same(f"{API}/partition/long?update_time={since}", openapi_doc, ONE_PATH,
                          api=api)
        assert [p["name"] for p in data["partitions"]] == ["long"]
        check_same(f"{API}/partition/nope?update_time={since}", openapi_doc, ONE_PATH, 500, api=api)
    finally:
        scontrol("update", "partitionname=rpyp_c", "MaxTime=UNLIMITED")


@pytest.mark.cluster22
@pytest.mark.parametrize("value", ["-5", "1.5", "%2B7", "1.5e3", "-.5", "-99999999999999999999"])
@pytest.mark.parametrize("api", APIS)
def test_odd_but_valid_update_time(value, openapi_doc, api):
    check_same(f"{LIST_PATH}?update_time={value}", openapi_doc, LIST_PATH, api=api)


@pytest.mark.cluster22
@pytest.mark.parametrize("value", ["abc", "", "1e3", "true", "0x10", ".", "%205"])
@pytest.mark.parametrize("path", [LIST_PATH, f"{API}/partition/long", f"{API}/partition/nosuch"])
@pytest.mark.parametrize("api", APIS)
def test_bad_update_time(path, value, openapi_doc, api):
    data = check_same(f"{path}?update_time={value}", openapi_doc,
                      LIST_PATH if path == LIST_PATH else ONE_PATH, status=400, api=api)
    assert data["errors"] == [] and data["partitions"] == []


# ---- YAML ----

@pytest.mark.cluster22
def test_yaml_same_data():
    import yaml
    ref, ours = get_both(LIST_PATH, headers=[("Accept", "application/x-yaml")])
    assert ref.status == ours.status == 200
    assert ours.content_type == "application/x-yaml"
    rd, od = yaml.safe_load(ref.body), yaml.safe_load(ours.body)
    assert od == rd
    # NULL strings are null in YAML (and "" in JSON), as the reference has them.
    assert by_name(od)["debug"]["qos"] is None


# ---- the document ----

def test_document_declares_what_the_reference_does(openapi_doc, reference_doc):
    r_props, o_props = declared_alike(openapi_doc, reference_doc, (LIST_PATH, ONE_PATH),
                                      "v0.0.38_partition")
    # The reference declares min_nodes_per_job but emits "min nodes per job".
    assert set(o_props) == set(r_props) - {"min_nodes_per_job"} | {"min nodes per job"}
    for key, schema in r_props.items():
        if key in o_props:
            assert o_props[key]["type"] == schema["type"], key
