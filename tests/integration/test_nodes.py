"""GET /slurm/v0.0.38/nodes and /node/{node_name}: slurmrestd-py against the
reference, with ghost1 drained (with a reason) by this module. v0.0.37's
nodes are the same: the comparisons run under both versions (`api`).

What is compared: status, key order, and the whole records of the ghost
nodes (down, no slurmd: nothing about them moves). Node vm runs other
tests' jobs, so its load, free memory, state and allocation may change
between the two calls: those are compared by JSON type only, the rest of its
record by value. Every answer of ours validates against our served document.
"""
from __future__ import annotations

import ctypes
import time

import pytest

import conftest
from conftest import (API, APIS, APIS_36, declared_alike, get_both, one, req, run_ours,
                      run_reference, scontrol, validate)

LIST_PATH = f"{API}/nodes"
ONE_PATH = f"{API}/node/{{node_name}}"
REASON = "maintenance test"
INVALID = {"error": "Invalid node name specified", "errno": 2018}
# What other tests' jobs on vm change from one call to the next.
VOLATILE = {"cpu_load", "free_memory", "last_busy", "state", "state_flags", "alloc_memory",
            "alloc_cpus", "idle_cpus", "tres_used", "tres_weighted"}
FUTURE = int(time.time()) + 10 * 365 * 86400


@pytest.fixture(scope="module", autouse=True)
def drained_ghost():
    """ghost1 drained with a reason; undrained afterwards (it stays DOWN:
    it has no slurmd, and a resumed ghost would be offered to jobs)."""
    scontrol("update", "nodename=ghost1", "state=drain", f"reason={REASON}")
    try:
        yield
    finally:
        scontrol("update", "nodename=ghost1", "state=undrain", check=False)


def json_type(value):
    return type(value).__name__


def same_nodes(ref_nodes, our_nodes, ignore=frozenset()):
    assert [n["name"] for n in our_nodes] == [n["name"] for n in ref_nodes]
    for r, o in zip(ref_nodes, our_nodes):
        assert list(o) == list(r), r["name"]
        volatile = VOLATILE if r["name"] == "vm" else frozenset()
        for key in r:
            if key in volatile or key in ignore:
                assert json_type(o[key]) == json_type(r[key]) or key == "tres_used", key
            else:
                assert o[key] == r[key], key


def check_same(path, openapi_doc, template, status=200, ignore=frozenset(), api=API):
    return conftest.check_same(path, openapi_doc, template, "nodes", status,
                               lambda ref, ours: same_nodes(ref, ours, ignore), api=api)


def by_name(data):
    return {n["name"]: n for n in data["nodes"]}


# ---- the list ----

@pytest.mark.cluster22
@pytest.mark.parametrize("path", [LIST_PATH, LIST_PATH + "/", LIST_PATH + "?update_time=0",
                                  LIST_PATH + "?other=1"])
@pytest.mark.parametrize("api", APIS_36)
def test_list_same_as_reference(path, openapi_doc, api):
    _, data = check_same(path, openapi_doc, LIST_PATH, api=api)
    assert {"vm", "ghost1", "ghost2"} <= set(by_name(data))


def test_records_as_the_reference_renders_them():
    resp = one(run_ours(req(path=LIST_PATH, close=True)))
    assert resp.status == 200
    nodes = by_name(resp.json())
    ghost1, ghost2, vm = nodes["ghost1"], nodes["ghost2"], nodes["vm"]
    # Base state lower-case, flags in libslurm's spelling and order.
    # NOT_RESPONDING comes once slurmctld's first pings of the ghosts fail,
    # which can be after this test on a controller just started.
    assert (ghost1["state"], ghost1["state_flags"][:1]) == ("down", ["DRAIN"])
    assert ghost1["state_flags"][1:] in ([], ["NOT_RESPONDING"])
    assert (ghost2["state"], ghost2["state_flags"]) in (("down", []), ("down", ["NOT_RESPONDING"]))
    assert vm["state"] in ("idle", "mixed", "allocated")
    # No reboot pending: NO_VAL is an "invalid" state with no flags.
    assert ghost1["next_state_after_reboot"] == "invalid"
    assert ghost1["next_state_after_reboot_flags"] == []
    # The drain's reason, who set it and when, as integers and names.
    assert ghost1["reason"] == REASON
    assert ghost1["reason_set_by_user"] == "root"
    assert isinstance(ghost1["reason_changed_at"], int)
    assert abs(ghost1["reason_changed_at"] - time.time()) < 3600
    # Unset numbers as the reference writes them: NO_VAL as is (32 bits),
    # NO_VAL64 as a signed 64-bit -2; unset times 0; NULL strings "".
    # (24.11's slurmctld reports a never-seen node's load as 0, 22.05's as NO_VAL.)
    load = scontrol("show", "node", "ghost2", "-o").stdout.split("CPULoad=")[1].split()[0]
    assert ghost2["cpu_load"] == (4294967294 if load == "N/A" else round(float(load) * 100))
    assert ghost2["free_memory"] == -2
    # (last_busy is left out: slurmctld stamps every node with its own start
    # time when it starts without saved state, as on a fresh CI machine.)
    assert ghost2["boot_time"] == ghost2["slurmd_start_time"] == 0
    assert ghost2["architecture"] == ghost2["slurmd_version"] == ghost2["reason"] == ""
    assert ghost2["owner"] is None and vm["owner"] is None
    assert vm["reason_set_by_user"] is None  # NO_VAL: no such user
    assert ghost2["tres_used"] is None and isinstance(ghost2["tres_weighted"], float)
    # Configuration.
    assert ghost2["features"] == ghost2["active_features"] == "ghost"
    assert (ghost2["cpus"], ghost2["real_memory"], ghost2["port"]) == (1, 500, 6899)
    assert ghost2["tres"] == "cpu=1,mem=500M,billing=1"
    assert (vm["cpus"], vm["real_memory"], vm["sockets"]) == (2, 2000, 2)
    assert vm["slurmd_version"] == conftest.cluster_release()
    assert vm["idle_cpus"] == vm["cpus"] - vm["alloc_cpus"]
    # Partitions of each node, from the partition list.
    assert ghost1["partitions"][:1] == ghost2["partitions"][:1] == ["ghosts"]
    assert vm["partitions"][:2] == ["debug", "long"]


# ---- one node ----

@pytest.mark.cluster22
@pytest.mark.parametrize("name", ["vm", "ghost1", "ghost2", "v%6D"])
@pytest.mark.parametrize("api", APIS)
def test_one_same_as_reference(name, openapi_doc, api):
    """Same record, but for its partitions (a difference on purpose): the
    reference fills them in by position in the whole node table, which a
    one-node answer does not have, so every node gets the partitions of the
    cluster's first node. Ours are those /nodes lists for the node."""
    ref, ours = check_same(f"{API}/node/{name}", openapi_doc, ONE_PATH,
                           ignore={"partitions"}, api=api)
    assert [n["name"] for n in ours["nodes"]] == [name.replace("%6D", "m")]
    listed = one(run_ours(req(path=LIST_PATH, close=True))).json()["nodes"]
    mine = {n["name"]: n["partitions"] for n in listed}
    assert ours["nodes"][0]["partitions"] == mine[ours["nodes"][0]["name"]]
    assert ref["nodes"][0]["partitions"] == listed[0]["partitions"]
    if ours["nodes"][0]["name"] == "vm":  # where the reference is wrong
        assert (ref["nodes"][0]["partitions"], ours["nodes"][0]["partitions"]) == \
            (["ghosts"], ["debug", "long"])


@pytest.mark.cluster22
@pytest.mark.parametrize("name", ["nosuch", "VM", "ghost", "ghost%5B1-2%5D", "ghost1%2Cvm"])
@pytest.mark.parametrize("api", APIS_36)
def test_unknown_same_as_reference(name, openapi_doc, api):
    _, data = check_same(f"{API}/node/{name}", openapi_doc, ONE_PATH, status=500, api=api)
    assert data["errors"] == [INVALID]
    assert data["nodes"] == []


@pytest.mark.cluster22
@pytest.mark.parametrize("api", APIS)
def test_one_ignores_update_time(openapi_doc, api):
    # Only the list reads update_time; a node is always loaded.
    check_same(f"{API}/node/ghost1?update_time={FUTURE}", openapi_doc, ONE_PATH, api=api)
    check_same(f"{API}/node/vm?update_time=abc", openapi_doc, ONE_PATH, ignore={"partitions"},
               api=api)
    check_same(f"{API}/node/nosuch?update_time={FUTURE}", openapi_doc, ONE_PATH, 500, api=api)


# ---- update_time ----

@pytest.mark.parametrize("value", [str(FUTURE), f"{FUTURE}.4", "99999999999999999999"])
@pytest.mark.parametrize("api", APIS)
def test_not_modified(value, openapi_doc, api):
    check_same(f"{LIST_PATH}?update_time={value}", openapi_doc, LIST_PATH, status=304, api=api)


@pytest.mark.cluster22
@pytest.mark.parametrize("value", ["-5", "1.5", "%2B7", "1.5e3", "-.5", "00012"])
@pytest.mark.parametrize("api", APIS)
def test_odd_but_valid_update_time(value, openapi_doc, api):
    check_same(f"{LIST_PATH}?update_time={value}", openapi_doc, LIST_PATH, api=api)


@pytest.mark.cluster22
@pytest.mark.parametrize("value", ["abc", "", "1e3", "true", "0x10", ".", "%205"])
@pytest.mark.parametrize("api", APIS)
def test_bad_update_time(value, openapi_doc, api):
    _, data = check_same(f"{LIST_PATH}?update_time={value}", openapi_doc, LIST_PATH, status=400,
                         api=api)
    assert data["errors"] == [] and data["nodes"] == []


@pytest.mark.cluster22
def test_changes_since_update_time_are_seen(openapi_doc):
    """A node changed since update_time, the partitions did not. The
    reference then fails: it asks for partitions changed since update_time
    too, gets none, and answers 500 "Unspecified error" with no nodes. We
    load the partitions regardless and answer the nodes (a difference on
    purpose: a client polling nodes would otherwise get a 500 after every
    node change)."""
    time.sleep(2)  # partitions last changed before `since`
    since = int(time.time())
    time.sleep(1.1)
    scontrol("update", "nodename=ghost1", "state=drain", f"reason={REASON} again")
    try:
        wire = req(path=f"{LIST_PATH}?update_time={since}", close=True)
        ref, ours = one(run_reference(wire)), one(run_ours(wire))
        assert ref.status == 500
        assert ref.json()["errors"] == [{"error": "Unspecified error", "errno": -1}]
        assert ref.json()["nodes"] == []
        assert ours.status == 200
        od = ours.json()
        validate(openapi_doc, (LIST_PATH, "get", 200), od)
        assert od["errors"] == []
        ghost1 = by_name(od)["ghost1"]
        assert ghost1["reason"] == f"{REASON} again"
        assert ghost1["partitions"][:1] == ["ghosts"]
        # The same records as a full load (which the reference answers).
        full, _ = check_same(LIST_PATH, openapi_doc, LIST_PATH)
        same_nodes(full["nodes"], od["nodes"])
    finally:
        scontrol("update", "nodename=ghost1", "state=drain", f"reason={REASON}")


# ---- YAML ----

@pytest.mark.cluster22
def test_yaml_same_data():
    import yaml
    ref, ours = get_both(LIST_PATH, headers=[("Accept", "application/x-yaml")])
    assert ref.status == ours.status == 200
    assert ours.content_type == "application/x-yaml"
    rd, od = yaml.safe_load(ref.body), yaml.safe_load(ours.body)
    # NULL strings are null in YAML (and "" in JSON), as the reference has them.
    assert by_name(od)["ghost2"]["architecture"] is None
    same_nodes(rd["nodes"], od["nodes"])


# ---- node state names: our table against the installed libslurm ----

def test_state_names_match_libslurm():
    from slurmrestd_py.v0_0_38.nodes import node_state
    libslurm = ctypes.CDLL("libslurm.so", mode=ctypes.RTLD_GLOBAL)
    base = libslurm.slurm_node_state_base_string
    base.restype, base.argtypes = ctypes.c_char_p, [ctypes.c_uint32]
    single = libslurm.slurm_node_state_flag_string_single
    single.restype, single.argtypes = ctypes.c_char_p, [ctypes.POINTER(ctypes.c_uint32)]
    valid = libslurm.slurm_valid_base_state
    valid.restype, valid.argtypes = ctypes.c_bool, [ctypes.c_uint32]

    def expected(state):
        flags, st = [], ctypes.c_uint32(state)
        if valid(state):
            while (name := single(ctypes.byref(st))) is not None:
                flags.append(name.decode())
        return base(state).decode().lower(), tuple(flags)

    states = [b | (1 << bit) for b in range(16) for bit in range(4, 32)]
    states += [0xFFFFFFF0 | b for b in range(16)] + [0xFFFFFFFE, 0x201, 0x80A05, 0x2]
    for state in states:
        assert node_state(state) == expected(state), hex(state)


# ---- the document ----

def test_document_declares_what_the_reference_does(openapi_doc, reference_doc):
    r_props, o_props = declared_alike(openapi_doc, reference_doc, (LIST_PATH, ONE_PATH),
                                      "v0.0.38_node")
    # The reference emits comment, extra and last_busy but does not declare them.
    assert set(o_props) == set(r_props) | {"comment", "extra", "last_busy"}
    for key, schema in r_props.items():
        assert o_props[key]["type"] == schema["type"], key
