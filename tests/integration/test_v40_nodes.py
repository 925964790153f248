"""/slurm/v0.0.40, v0.0.41 and v0.0.42 nodes/ and node/{node_name}, as Slurm
24.11's slurmrestd serves them, on the 22.05 cluster.

- Every answer validates against our served document; the document's node
  paths, methods, operationIds, parameters, bodies and response keys are the
  24.11 reference's (its generated document).
- The records say what v0.0.38's say of the same node (the same C fields),
  in 24.11's forms.
- Writes (POST node/{name}, POST nodes/) are checked by what slurmctld holds
  afterwards (scontrol), on ghost2 (no slurmd), restored after each test.
  DELETE is only sent where slurmctld refuses it (22.05 would delete a
  configured node for good): as alice, and for a node that does not exist.
- With the 24.11 reference cluster up (tests/cluster24.sh): the same GET to
  both gives the same keys and types, and equal values where both clusters
  hold the same configuration (the ghost nodes); on 24.11, where both read
  ours' cluster (conftest.SAME_CLUSTER24), every value but VOLATILE.
"""
from __future__ import annotations

import json
import os
import re

import pytest

from conftest import (ROOT24, REFERENCE24, SAME_CLUSTER24, one, reference24_doc, req, run_ours,
                      run_reference24, scontrol, validate)

VERSIONS = ("v0.0.40", "v0.0.41", "v0.0.42")
LIST = "/slurm/{v}/nodes/"
ONE = "/slurm/{v}/node/{{node_name}}"
GHOST = "ghost2"
ROOT_ENV = {"SLURMRESTD_SECURITY": "disable_user_check"}
# 24.11's number objects, and what each is when unset.
UNSET = {"set": False, "infinite": False, "number": 0}


def get(path, user="alice"):
    env = ROOT_ENV if user == "root" else None
    return one(run_ours(req(path=path, close=True), env=env, user=user))


def send(method, path, body=None, user="root"):
    data = None if body is None else json.dumps(body).encode()
    headers = (("Content-Type", "application/json"),) if data is not None else ()
    env = ROOT_ENV if user == "root" else None
    resp = one(run_ours(req(method, path, headers, data, close=True), env=env, user=user))
    return resp, resp.json()


def show(node=GHOST) -> dict:
    """scontrol's view of `node`: its Key=Value pairs."""
    text = scontrol("show", "node", node, "-o").stdout
    return {k: v.strip() for k, v in re.findall(r"(\w+)=((?:[^ ]| (?!\w+=))*)", text)}




def the_reference_doc() -> dict:
    """The 24.11 reference's document: generated in its root, or the copy of
    it a developer left in /tmp (both say the same)."""
    if not os.path.exists(ROOT24 + REFERENCE24) and os.path.exists("/tmp/oas24.json"):
        with open("/tmp/oas24.json") as f:
            return json.load(f)
    return reference24_doc()


@pytest.fixture
def restored():
    """ghost2 as it was: drain flag, weight, comment, features (and reason)."""
    before = show()
    yield
    comment = before.get("Comment", "")
    scontrol("update", f"nodename={GHOST}", f"weight={before['Weight']}",
             f"comment={'' if comment == '(null)' else comment}",
             f"availablefeatures={before['AvailableFeatures']}",
             f"activefeatures={before['ActiveFeatures']}")
    drained = "DRAIN" in before["State"]
    now = show()
    if "DRAIN" in now["State"] and not drained:
        scontrol("update", f"nodename={GHOST}", "state=undrain")
    if before.get("Reason") and now.get("Reason") != before["Reason"]:
        reason = re.sub(r" \[[^]]*\]$", "", before["Reason"])
        scontrol("update", f"nodename={GHOST}", f"reason={reason}")
    elif not before.get("Reason") and now.get("Reason"):
        # Only a resume clears a reason; slurmctld (not scontrol) takes a
        # DOWN without one, which puts the ghost back as configured.
        assert before["State"].startswith("DOWN"), before["State"]
        for state in ("RESUME", "DOWN"):
            resp, data = send("POST", f"/slurm/v0.0.42/node/{GHOST}", {"state": [state]})
            assert resp.status == 200, data
    after = show()
    assert after.get("Reason") == before.get("Reason") or before.get("Reason")
    for key in ("Weight", "AvailableFeatures", "ActiveFeatures"):
        assert after[key] == before[key], key
    assert after.get("Comment") == before.get("Comment")
    assert ("DRAIN" in after["State"]) == drained


# ---- GET ----

@pytest.mark.parametrize("v", VERSIONS)
def test_list_and_one_validate(v, openapi_doc):
    resp = get(LIST.format(v=v))
    assert resp.status == 200, resp.body[:500]
    data = resp.json()
    validate(openapi_doc, (LIST.format(v=v), "get", 200), data)
    assert list(data) == ["nodes", "last_update", "meta", "errors", "warnings"]
    assert data["errors"] == [] and data["warnings"] == []
    assert data["last_update"]["set"] is True and data["last_update"]["number"] > 0
    names = [n["name"] for n in data["nodes"]]
    assert {"vm", "ghost1", "ghost2"} <= set(names)
    for name in ("vm", GHOST):
        one_resp = get(LIST.format(v=v).replace("nodes/", f"node/{name}"))
        assert one_resp.status == 200, one_resp.body[:500]
        one_data = one_resp.json()
        validate(openapi_doc, (ONE.format(v=v), "get", 200), one_data)
        assert [n["name"] for n in one_data["nodes"]] == [name]


def _v38(name):
    resp = get(f"/slurm/v0.0.38/node/{name}")
    assert resp.status == 200
    return resp.json()["nodes"][0]


@pytest.mark.parametrize("v", VERSIONS)
def test_records_say_what_v0038_says(v):
    """The same C fields as v0.0.38, in 24.11's forms (ghost2 does not move)."""
    old = _v38(GHOST)
    node = get(f"/slurm/{v}/node/{GHOST}").json()["nodes"][0]
    same = {"architecture": "architecture", "boards": "boards", "cores": "cores",
            "cpus": "cpus", "name": "name", "address": "address", "hostname": "hostname",
            "port": "port", "real_memory": "real_memory", "reason": "reason",
            "sockets": "sockets", "threads": "threads", "temporary_disk": "temporary_disk",
            "weight": "weight", "tres": "tres", "version": "slurmd_version",
            "partitions": "partitions", "alloc_cpus": "alloc_cpus",
            "alloc_idle_cpus": "idle_cpus", "alloc_memory": "alloc_memory",
            "tres_weighted": "tres_weighted"}
    for new, was in same.items():
        assert node[new] == old[was], new
    assert node["state"] == [old["state"].upper(), *old["state_flags"]]
    assert node["features"] == old["features"].split(",")
    assert node["active_features"] == old["active_features"].split(",")
    assert node["reason_set_by_user"] == (old["reason_set_by_user"] or "")
    assert node["owner"] == ""
    assert node["tres_used"] == (old["tres_used"] or "")
    assert node["boot_time"] == {"set": True, "infinite": False, "number": old["boot_time"]}
    assert node["reason_changed_at"]["number"] == old["reason_changed_at"]
    assert node["free_mem"] == UNSET  # no slurmd: no free memory known
    assert node["next_state_after_reboot"] == ["INVALID"]
    # What 22.05 does not keep reads as 24.11 writes a node without it.
    assert node["instance_id"] == node["instance_type"] == node["reservation"] == ""
    assert node["resume_after"] == {"set": True, "infinite": False, "number": 0}
    assert node["external_sensors"] == node["power"] == {}
    assert set(node["energy"]) == {"average_watts", "base_consumed_energy", "consumed_energy",
                                   "current_watts", "previous_consumed_energy", "last_collected"}
    if v != "v0.0.40":
        assert node["gpu_spec"] == "" and node["res_cores_per_gpu"] == 0
    else:
        assert "gpu_spec" not in node and "res_cores_per_gpu" not in node


@pytest.mark.parametrize("v", VERSIONS)
def test_partitions_of_one_node_are_its_own(v):
    vm = get(f"/slurm/{v}/node/vm").json()["nodes"][0]
    ghost = get(f"/slurm/{v}/node/{GHOST}").json()["nodes"][0]
    assert set(vm["partitions"]) >= {"debug", "long"} and "ghosts" not in vm["partitions"]
    assert ghost["partitions"] == ["ghosts"]


def test_update_time_and_flags():
    data = get(LIST.format(v="v0.0.42")).json()
    since = data["last_update"]["number"]
    # Nothing changed since the last update: 304 and no body, as 24.11 answers.
    resp = get(LIST.format(v="v0.0.42") + f"?update_time={since + 3600}")
    assert resp.status == 304 and resp.body == b""
    resp = get(LIST.format(v="v0.0.42") + "?update_time=0&flags=ALL")  # 0: a number in v0.0.42
    assert resp.status == 200 and resp.json()["nodes"]
    resp = get(LIST.format(v="v0.0.42") + "?update_time=now-1hour")
    assert resp.status in (200, 304)


@pytest.mark.parametrize("query, description", [
    ("update_time=junk", "Parsing of junk for timestamp failed"),
    ("update_time=", "Invalid or unset timestamp value"),
])
def test_a_time_that_does_not_parse_refuses_the_query(query, description, openapi_doc):
    resp = get(LIST.format(v="v0.0.41") + "?" + query)
    assert resp.status == 500
    data = resp.json()
    assert [(e["error_number"], e["description"], e["source"]) for e in data["errors"]] == [
        (9202, description, "#/update_time/"),
        (9000, "Rejecting request. Failure parsing query.", "_dump_nodes")]
    # No payload, as 24.11 answers (its document's required keys notwithstanding).
    assert list(data) == ["errors", "warnings", "meta"]
    validate(openapi_doc, "#/components/schemas/v0.0.41_openapi_resp", data)


def test_an_unknown_flag_is_reported_beside_the_answer():
    resp = get(LIST.format(v="v0.0.42") + "?flags=BOGUS")
    assert resp.status == 500
    data = resp.json()
    assert [(e["error_number"], e["description"], e["source"]) for e in data["errors"]] == [
        (9207, 'Unknown flag "BOGUS"', "#/flags[0]/")]
    assert {"vm", "ghost1", "ghost2"} <= {n["name"] for n in data["nodes"]}


def test_unknown_node():
    # 22.05 and 24.11 answer an unknown name with no record and no error:
    # the reference reports it with the errno nothing set, and a 200.
    resp = get("/slurm/v0.0.42/node/nosuchnode")
    assert resp.status == 200
    data = resp.json()
    assert list(data) == ["errors", "warnings", "meta"]
    assert [(e["error_number"], e["description"]) for e in data["errors"]] == [
        (0, "Failure to query node nosuchnode")]


# ---- the document against 24.11's ----

def _resolve(doc, schema):
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _keys(doc, schema, path=""):
    """Every property path under `schema`, and the component names it reaches."""
    keys, names = set(), set()
    while "$ref" in schema:
        names.add(schema["$ref"].rsplit("/", 1)[1])
        schema = _resolve(doc, {"$ref": schema["$ref"]})
    if schema.get("type") == "array":
        k, n = _keys(doc, schema.get("items", {}), path + "[]")
        return k, names | n
    for key, sub in schema.get("properties", {}).items():
        keys.add(f"{path}/{key}")
        k, n = _keys(doc, sub, f"{path}/{key}")
        keys |= k
        names |= n
    return keys, names


@pytest.mark.parametrize("v", VERSIONS)
def test_document_declares_what_the_reference_declares(v, openapi_doc):
    ref = the_reference_doc()
    for path in (LIST.format(v=v), ONE.format(v=v)):
        r_ops, o_ops = ref["paths"][path], openapi_doc["paths"][path]
        assert set(o_ops) == set(r_ops), path
        for method, r_op in r_ops.items():
            o_op = o_ops[method]
            assert o_op["operationId"] == r_op["operationId"]
            assert sorted((p["name"], p["in"]) for p in o_op.get("parameters", [])) == \
                sorted((p["name"], p["in"]) for p in r_op.get("parameters", [])), (path, method)
            for side in ("requestBody",):
                assert (side in o_op) == (side in r_op)
                if side in r_op:
                    rs = r_op[side]["content"]["application/json"]["schema"]
                    os_ = o_op[side]["content"]["application/json"]["schema"]
                    assert _keys(openapi_doc, os_) == _keys(ref, rs), (path, method)
            rs = r_op["responses"]["200"]["content"]["application/json"]["schema"]
            os_ = o_op["responses"]["200"]["content"]["application/json"]["schema"]
            assert _keys(openapi_doc, os_) == _keys(ref, rs), (path, method)


# ---- writes ----

def test_update_one_node(restored, openapi_doc):
    body = {"state": ["DRAIN"], "reason": "rpy nodes test", "comment": "rpy comment",
            "weight": {"set": True, "infinite": False, "number": 7},
            "features": ["ghost", "rpyfeat"], "name": ["ghost1"], "rpy_unknown": 1}
    resp, data = send("POST", f"/slurm/v0.0.42/node/{GHOST}", body)
    assert resp.status == 200, data
    validate(openapi_doc, (ONE.format(v="v0.0.42"), "post", 200), data)
    assert data["errors"] == []
    # The name in the body is not used for a single node: a warning says so,
    # and one says which key was not known.
    assert [(w["description"], w["source"]) for w in data["warnings"]] == [
        ('Ignoring unknown field "rpy_unknown" of type 64 bit integer in '
         "DATA_PARSER_UPDATE_NODE_MSG", "#/rpy_unknown/"),
        ("node_names field ghost1 ignored for singular node update", "_update_node")]
    held = show()
    assert "DRAIN" in held["State"]
    assert held["Reason"].startswith("rpy nodes test")
    assert held["Comment"] == "rpy comment"
    assert held["Weight"] == "7"
    assert held["AvailableFeatures"] == "ghost,rpyfeat"
    assert not show("ghost1").get("Reason", "").startswith("rpy nodes test")
    node = get(f"/slurm/v0.0.40/node/{GHOST}").json()["nodes"][0]
    assert "DRAIN" in node["state"] and node["weight"] == 7 and node["comment"] == "rpy comment"
    assert node["features"] == ["ghost", "rpyfeat"] and node["reason"] == "rpy nodes test"
    assert node["reason_set_by_user"] == "root"


def test_values_of_other_types_are_read_with_a_warning(restored):
    """As 24.11: a string where a list is declared (and the like) still
    works, with a warning; v0.0.40's warning does not show the value."""
    resp, data = send("POST", f"/slurm/v0.0.41/node/{GHOST}",
                      {"comment": 5, "features": "ghost,rpyfeat2", "weight": 8})
    assert resp.status == 200, data
    assert [(w["description"], w["source"]) for w in data["warnings"]] == [
        ("Expected OpenAPI type=string (Slurm type=string) but got OpenAPI type=integer "
         "format=int64 (Slurm type=64 bit integer): 5", "#/comment/"),
        ("Expected OpenAPI type=array (Slurm type=list) but got OpenAPI type=string "
         "(Slurm type=string): \"ghost,rpyfeat2\"", "#/features/")]
    held = show()
    assert (held["Comment"], held["AvailableFeatures"], held["Weight"]) == (
        "5", "ghost,rpyfeat2", "8")
    resp, data = send("POST", f"/slurm/v0.0.40/node/{GHOST}", {"comment": 6})
    assert resp.status == 200, data
    assert [w["description"] for w in data["warnings"]] == [
        "Expected OpenAPI type=string (Slurm type=string) but got OpenAPI type=integer "
        "(Slurm type=64 bit integer)"]
    assert show()["Comment"] == "6"


@pytest.mark.parametrize("v", ("v0.0.40", "v0.0.41"))
def test_update_nodes_by_name(v, restored):
    resp, data = send("POST", f"/slurm/{v}/nodes/",
                      {"name": GHOST, "state": "DRAIN", "reason": "rpy batch", "weight": 9})
    assert resp.status == 200, data
    held = show()
    assert "DRAIN" in held["State"] and held["Weight"] == "9"
    resp, data = send("POST", f"/slurm/{v}/nodes/", {"name": [GHOST], "state": ["UNDRAIN"]})
    assert resp.status == 200, data
    assert "DRAIN" not in show()["State"]


def test_update_without_names_fails():
    resp, data = send("POST", "/slurm/v0.0.42/nodes/", {"weight": 3})
    assert resp.status == 500
    assert data["errors"][0]["description"] == "Failure to update node (null)"


def test_bad_state_is_reported_and_the_update_still_sent(restored):
    # As 24.11: the unknown name is an error, the update goes out all the
    # same (as alice: refused, so nothing changes here).
    before = show()
    resp, data = send("POST", f"/slurm/v0.0.42/node/{GHOST}",
                      {"state": ["BOGUS"], "weight": 11}, user="alice")
    assert resp.status == 500
    assert [(e["error_number"], e["description"], e["source"]) for e in data["errors"]] == [
        (9207, 'Unknown flag "BOGUS"', "#/state[0]/"),
        (2010, f"Failure to update node {GHOST}", "_update_node")]
    assert show()["Weight"] == before["Weight"]


def test_a_body_that_is_no_object_is_refused():
    resp, data = send("POST", f"/slurm/v0.0.42/node/{GHOST}", [1])
    assert resp.status == 500
    assert [(e["error_number"], e["source"]) for e in data["errors"]] == [(9209, "#/")]


def test_alice_may_not_update_nor_delete(restored):
    before = show()
    resp, data = send("POST", f"/slurm/v0.0.42/node/{GHOST}", {"weight": 13}, user="alice")
    assert resp.status == 500
    assert data["errors"][0]["error_number"] == 2010  # ESLURM_USER_ID_MISSING
    assert data["errors"][0]["description"] == f"Failure to update node {GHOST}"
    resp, data = send("DELETE", f"/slurm/v0.0.41/node/{GHOST}", user="alice")
    assert resp.status == 500
    assert data["errors"][0]["error_number"] == 2010
    assert show()["Weight"] == before["Weight"]


def test_delete_unknown_node(openapi_doc):
    resp, data = send("DELETE", "/slurm/v0.0.40/node/rpynosuchnode")
    assert resp.status == 500
    assert [(e["error_number"], e["description"], e["source"]) for e in data["errors"]] == [
        (2018, "Failure to update node rpynosuchnode", "op_handler_node")]
    validate(openapi_doc, (ONE.format(v="v0.0.40"), "delete", 500), data)


# ---- against the 24.11 reference ----

def _types(value):
    if isinstance(value, dict):
        return {k: _types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_types(v) for v in value[:1]]
    return type(value).__name__


STABLE = ("name", "architecture", "boards", "cores", "cpus", "effective_cpus", "features",
          "active_features", "address", "hostname", "port", "real_memory", "sockets",
          "threads", "temporary_disk", "weight", "tres", "partitions", "owner", "specialized_cores",
          "specialized_memory", "next_state_after_reboot", "alloc_cpus", "alloc_memory",
          "gres", "cluster_name", "instance_id", "instance_type", "reservation", "resume_after")


# What slurmd reports anew at each registration, which may fall between the
# two requests on one cluster (24.11).
VOLATILE = ("cpu_load", "free_mem")


@pytest.mark.parametrize("v", VERSIONS)
def test_same_as_reference24(v):
    path = LIST.format(v=v)
    ref = _answer24(req(path=path, close=True))
    ours = get(path)
    assert (ours.status, ref.status) == (200, 200), ref.body[:500]
    rd, od = ref.json(), ours.json()
    assert list(od) == list(rd)
    rn = {n["name"]: n for n in rd["nodes"]}
    on = {n["name"]: n for n in od["nodes"]}
    if SAME_CLUSTER24:  # one cluster: every node, every value but VOLATILE
        assert [{**n, **dict.fromkeys(VOLATILE)} for n in od["nodes"]] == \
            [{**n, **dict.fromkeys(VOLATILE)} for n in rd["nodes"]]
        assert _types(od) == _types(rd)
        return
    # vm runs each cluster's own jobs: its keys and types only.
    assert list(on["vm"]) == list(rn["vm"])
    assert _types(on["vm"]) == _types(rn["vm"])
    for name in ("ghost1", "ghost2"):
        r, o = rn[name], on[name]
        assert list(o) == list(r), name
        assert _types(o) == _types(r), name
        for key in STABLE:
            assert o[key] == r[key], (name, key)
        assert o["state"][0] == r["state"][0], name


def _answer24(wire):
    result = run_reference24(wire)
    assert len(result.responses) == 1, result.stderr[-2000:]
    return result.responses[0]


def _both(method, path, body=None):
    """The same request, as alice (who may not write: nothing changes), to
    the 24.11 reference and to ours: (status, data) of each, meta left out."""
    data = None if body is None else json.dumps(body).encode()
    headers = (("Content-Type", "application/json"),) if data is not None else ()
    wire = req(method, path, headers, data, close=True)
    out = []
    # (24.11's slurmrestd may exit 1 after it answered, failing to poll the
    # closed pipe: its one answer is what counts.)
    for resp in (_answer24(wire), one(run_ours(wire))):
        d = resp.json()
        keys = list(d)
        d.pop("meta")
        if "nodes" in d:
            d["nodes"] = sorted(n["name"] for n in d["nodes"])
            d.pop("last_update")
        out.append((resp.status, keys, d))
    return out


@pytest.mark.parametrize("method, path, body", [
    ("GET", "/slurm/v0.0.42/node/nosuchnode", None),
    ("GET", "/slurm/v0.0.42/nodes/?flags=BOGUS", None),
    ("GET", "/slurm/v0.0.41/nodes/?update_time=junk", None),
    ("GET", "/slurm/v0.0.40/nodes/?update_time=", None),
    ("GET", "/slurm/v0.0.40/node/ghost1?update_time=2020-01-01&flags=ALL", None),
    # Query text is typed in v0.0.42 only: "0" is no time before.
    *(("GET", f"/slurm/{v}/nodes/?update_time={t}", None)
      for v in VERSIONS for t in ("0", "null", "true")),
    ("GET", "/slurm/v0.0.42/nodes/?update_time=5&zz=1", None),
    ("POST", "/slurm/v0.0.42/node/ghost2", {"weight": 3}),
    ("DELETE", "/slurm/v0.0.42/node/ghost2", None),
    ("POST", "/slurm/v0.0.42/nodes/", {"name": "ghost2", "weight": 3}),
    ("POST", "/slurm/v0.0.42/nodes/", {"weight": 3}),
    ("POST", "/slurm/v0.0.42/node/ghost2", {"state": ["BOGUS"], "weight": 3}),
    ("POST", "/slurm/v0.0.42/node/ghost2", {"bogus": 1, "name": "ghost1"}),
    ("POST", "/slurm/v0.0.42/node/ghost2", [1]),
    ("POST", "/slurm/v0.0.40/node/ghost2", {"weight": {"set": True, "number": 4}, "comment": 5,
                                            "features": "a,b", "state": "DRAIN",
                                            "reason_uid": "alice", "cpu_bind": "7"}),
    ("POST", "/slurm/v0.0.41/node/ghost2", {"address": ["x[1-2]"], "name": None, "extra": None}),
    ("POST", "/slurm/v0.0.41/node/ghost2", {"comment": [1]}),
    ("POST", "/slurm/v0.0.41/node/ghost2", {"weight": "abc"}),
    ("POST", "/slurm/v0.0.41/node/ghost2", {"features": {"a": 1}, "reason_uid": "nosuchuser"}),
    ("POST", "/slurm/v0.0.42/node/ghost2", {"state": "drain", "gres": True, "extra": 1.5}),
    ("POST", "/slurm/v0.0.42/node/ghost2", {"weight": {"infinite": True},
                                            "features_act": ["x", "y"], "hostname": ["h1"]}),
])
def test_answers_as_reference24(method, path, body):
    """Status, keys, errors and warnings as 24.11's (a refused write, a
    query or body the parser reports on)."""
    (rs, rk, rd), (os_, ok, od) = _both(method, path, body)
    assert (os_, ok, od) == (rs, rk, rd)
