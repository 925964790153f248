"""v0.0.36, v0.0.37 and v0.0.38 on either release (issue 13): every GET of
ours, answered from ours' cluster, has the shape of the 22.05 reference's
answer from the 22.05 cluster; ours' v0.0.38 values agree with ours'
v0.0.42 for the same objects; a job submitted at v0.0.38 is made, updated
and cancelled on ours' cluster.

On 24.11 this replaces the cluster22 tests: the 22.05 reference cannot reach
a 24.11 slurmctld, so it answers from the 22.05 cluster, where this module
makes the same objects as on ours' (in 22.05 mode both are one cluster: the
objects are made once). v0.0.42 is compared with the 24.11 reference on
ours' cluster by the v40 tests, so the values carry over.

Shapes: the same status; the same keys in the same order at every level;
the same JSON type of every value (null on one side only where NULLABLE
says why); lists element by element: records matched by what names them (a
node's or account's name, this module's jobs), other elements pairwise, or
by their sets of shapes where the lists differ in length.
"""
from __future__ import annotations

import contextlib
import functools
import json
import re
import time

import pytest

import conftest
from conftest import ROOT22, cluster_cmd, on22, one, reference_args, req, run_ours, run_reference

here = functools.partial(cluster_cmd, None)  # ours' cluster
SAME = ROOT22 is None  # 22.05 mode: ours' cluster is the 22.05 cluster
VERSIONS = ("v0.0.36", "v0.0.37", "v0.0.38")
PREFIX = "rpyv_"
RESV = "rpyv_resv"
RESERVATION = {RESV: ["starttime=now+1hour", "duration=60", "nodes=ghost2", "users=alice",
                      "flags=maint,ignore_jobs"]}
WCKEY = "rpyv_key"
# /slurmdb is asked as root: alice may not see diag, config or wckeys.
AS_ROOT = {"user": "root", "env": {"SLURMRESTD_SECURITY": "disable_user_check"}}
# What names a record in a list, wherever it appears (jobs: this module's).
ID_KEYS = ("name", "cluster", "account", "user", "partition", "type")
# Keys whose value may be null on one side only, and why.
NULLABLE = {
    # 24.11 has no select plugin ids (README, "On Slurm 24.11"): ours' null.
    "select_plugin": "no select plugin id on 24.11",
    # Who last set a node's reason (NO_VAL: no one): each cluster's nodes have
    # their own history (the reference itself writes null for vm).
    "reason_set_by_user": "the nodes' own histories",
}
# The reference's status where it is a fault ours does not repeat
# (test_slurmdb.py's test_v36_diag_as_root): the bodies still compare.
REFERENCE_STATUS = {"/slurmdb/v0.0.36/diag": 500}


# ---- the objects, on both clusters ----

def _submit(run, name, *args) -> int:
    out = run("sbatch", "--parsable", "-J", PREFIX + name, "-D", "/tmp", "-o", "/dev/null",
              *args, user="alice").stdout
    return int(out.strip().split(";")[0])


def _accounted(run, job_id) -> bool:
    """The job ended and slurmdbd has its record and its steps."""
    states = run("sacct", "-n", "-P", "-j", str(job_id), "-o", "State").stdout.split()
    return len(states) > 1 and all(s == "COMPLETED" for s in states) and \
        not run("squeue", "-h", "-j", str(job_id), check=False).stdout.strip()


@pytest.fixture(scope="module")
def objects():
    """{"ours": {"held": id, "done": id}, "ref": {...}}: a held job and a
    completed one of alice on each cluster; the reservation RESV and root's
    wckey WCKEY on both."""
    clusters = {"ours": here} if SAME else {"ours": here, "ref": on22}
    ids: dict = {side: {} for side in clusters}
    with contextlib.ExitStack() as stack:
        try:
            for side, run in clusters.items():
                stack.enter_context(conftest.created(RESERVATION, "reservationname",
                                                     ("reservation",),
                                                     run=functools.partial(run, "scontrol")))
                run("sacctmgr", "-i", "add", "user", "root", f"wckey={WCKEY}")
                ids[side]["held"] = _submit(run, "held", "--hold", "--mem=20", "--wrap", "true")
                ids[side]["done"] = _submit(run, "done", "-p", "long", "--mem=20",
                                            "--wrap", "true")
            deadline = time.monotonic() + 180
            while not all(_accounted(run, ids[side]["done"]) for side, run in clusters.items()):
                assert time.monotonic() < deadline, "the completed jobs were not accounted"
                time.sleep(1)
            yield {"ours": ids["ours"], "ref": ids["ours"] if SAME else ids["ref"]}
        finally:
            for side, run in clusters.items():
                run("scancel", *map(str, ids[side].values()), check=False)
                run("sacctmgr", "-i", "delete", "user", "root", f"wckey={WCKEY}", check=False)


# ---- asking both ----

@functools.lru_cache(maxsize=None)
def get_paths() -> list[str]:
    """The GET paths of v0.0.36 to v0.0.38 in ours' document."""
    doc = one(run_ours(req(path="/openapi.json", close=True))).json()
    return [p for p, ops in doc["paths"].items()
            if "get" in ops and p.split("/")[2:3] in ([v] for v in VERSIONS)]


def fill(template: str, ids: dict) -> str:
    """`template` naming objects that exist on the cluster `ids` are from."""
    values = {"node_name": "vm", "partition_name": "debug", "reservation_name": RESV,
              "account_name": "physics", "user_name": "alice", "qos_name": "normal",
              "cluster_name": "restcluster", "wckey": WCKEY,
              "job_id": ids["done" if template.startswith("/slurmdb/") else "held"]}
    path = re.sub(r"\{(\w+)\}", lambda m: str(values[m[1]]), template)
    if path.endswith("/association"):  # one association: its conditions
        path += "?account=physics&user=alice&cluster=restcluster"
    return path


def ask_ours(path: str):
    wire = req(path=path, close=True)
    return one(run_ours(wire, **AS_ROOT) if path.startswith("/slurmdb/") else run_ours(wire))


def ask_reference(path: str):
    """The 22.05 reference serving `path`'s version, from the 22.05 cluster."""
    wire = req(path=path, close=True)
    if path.startswith("/slurmdb/"):
        args = ("-a", "rest_auth/local", "-s", "db" + path.split("/")[2])
        return one(run_reference(wire, args, **AS_ROOT))
    return one(run_reference(wire, reference_args(path)))


# ---- shapes ----

def json_type(value) -> str:
    return {bool: "boolean", int: "integer", float: "number", str: "string", list: "array",
            dict: "object", type(None): "null"}[type(value)]


def ident(record: dict, side: str, jobs: dict):
    """What names `record` on both clusters; None for another test's job,
    () for an element nothing names."""
    if "job_id" in record:
        return jobs.get((side, record["job_id"]))
    return tuple((k, record[k]) for k in ID_KEYS if type(record.get(k)) in (str, int))


def same_shape(ref, ours, jobs: dict, where=()):
    if ref is None or ours is None:
        assert ref is ours or where[-1] in NULLABLE, (where, ref, ours)
        return
    assert json_type(ours) == json_type(ref), (where, ref, ours)
    if isinstance(ref, dict):
        assert list(ours) == list(ref), where
        for key in ref:
            same_shape(ref[key], ours[key], jobs, where + (key,))
    elif isinstance(ref, list) and ref and ours:
        if all(isinstance(x, dict) for x in ref + ours):
            r_by = {ident(x, "ref", jobs): x for x in ref}
            o_by = {ident(x, "ours", jobs): x for x in ours}
            if () not in r_by and () not in o_by:
                common = set(r_by) & set(o_by) - {None}
                assert common, (where, set(r_by), set(o_by))
                for name in common:
                    same_shape(r_by[name], o_by[name], jobs, where + (name,))
                return
        if len(ref) == len(ours):
            for i, (r, o) in enumerate(zip(ref, ours)):
                same_shape(r, o, jobs, where + (i,))
        else:
            assert {json.dumps(conftest.shape(o), sort_keys=True) for o in ours} == \
                {json.dumps(conftest.shape(r), sort_keys=True) for r in ref}, where


def job_names(objects, template) -> dict:
    """(side, job id) -> kind of this module's jobs the answers to `template`
    compare. slurmctld's record of the completed job is left out: 24.11 does
    not give its job_resources (README, "On Slurm 24.11"), slurmdbd's is
    compared."""
    kinds = ("held", "done") if template.startswith("/slurmdb/") else ("held",)
    return {(side, objects[side][kind]): kind for side in ("ours", "ref") for kind in kinds}


@pytest.mark.parametrize("template", get_paths())
def test_shape_of_the_22_05_reference(template, objects):
    ref = ask_reference(fill(template, objects["ref"]))
    ours = ask_ours(fill(template, objects["ours"]))
    assert (ref.status, ours.status) == (REFERENCE_STATUS.get(template, ours.status),
                                         ours.status), (ref.body[:500], ours.body[:500])
    assert ours.content_type == ref.content_type == "application/json"
    same_shape(ref.json(), ours.json(), job_names(objects, template))


def test_every_version_and_area_is_asked():
    paths = get_paths()
    assert {p.split("/")[2] for p in paths} == set(VERSIONS)
    assert {"/slurm/v0.0.36/job/{job_id}", "/slurm/v0.0.38/reservation/{reservation_name}",
            "/slurmdb/v0.0.37/wckey/{wckey}", "/slurmdb/v0.0.38/association"} <= set(paths)


# ---- values: ours' v0.0.38 against ours' v0.0.42, on ours' cluster ----

def ours_json(path: str) -> dict:
    resp = ask_ours(path)
    assert resp.status == 200, resp.body[:500]
    return resp.json()


def test_values_agree_with_v0_0_42(objects):
    held = objects["ours"]["held"]
    [j38] = ours_json(f"/slurm/v0.0.38/job/{held}")["jobs"]
    [j42] = ours_json(f"/slurm/v0.0.42/job/{held}")["jobs"]
    keys = ("job_id", "name", "user_name", "partition", "state_reason")
    assert {k: j38[k] for k in keys} == {k: j42[k] for k in keys}
    assert (j38["job_state"], j42["job_state"]) == ("PENDING", ["PENDING"])

    def nodes(path, cpus):
        return {n["name"]: (n[cpus], n["sockets"], n["real_memory"])
                for n in ours_json(path)["nodes"]}
    assert nodes("/slurm/v0.0.38/nodes", "cpus") == nodes("/slurm/v0.0.42/nodes", "cpus")
    [p38] = ours_json("/slurm/v0.0.38/partition/debug")["partitions"]
    [p42] = ours_json("/slurm/v0.0.42/partition/debug")["partitions"]
    assert (p38["nodes"], p38["total_cpus"]) == (p42["nodes"]["configured"], p42["cpus"]["total"])
    [r38] = ours_json(f"/slurm/v0.0.38/reservation/{RESV}")["reservations"]
    [r42] = ours_json(f"/slurm/v0.0.42/reservation/{RESV}")["reservations"]
    assert (r38["node_list"], r38["users"]) == (r42["node_list"], r42["users"])

    def names(path, key):
        return sorted(r["name"] for r in ours_json(path)[key])
    for area, key38, key42 in (("accounts", "accounts", "accounts"), ("qos", "QOS", "qos"),
                               ("users", "users", "users")):
        assert names(f"/slurmdb/v0.0.38/{area}", key38) == \
            names(f"/slurmdb/v0.0.42/{area}", key42), area
    [d38] = ours_json(f"/slurmdb/v0.0.38/job/{objects['ours']['done']}")["jobs"]
    [d42] = ours_json(f"/slurmdb/v0.0.42/job/{objects['ours']['done']}")["jobs"]
    assert (d38["job_id"], d38["name"], d38["user"], d38["account"], d38["state"]["current"]) \
        == (d42["job_id"], d42["name"], d42["user"], d42["account"], d42["state"]["current"][0])


# ---- job control at v0.0.38 ----

def job_fields(job_id) -> dict:
    out = here("scontrol", "show", "job", "-o", str(job_id)).stdout
    return dict(re.findall(r"(\w+)=(\S*)", out))


def test_submit_update_and_cancel():
    body = {"script": "#!/bin/sh\nsleep 600\n",
            "job": {"environment": {"PATH": "/bin:/usr/bin"}, "hold": True,
                    "name": PREFIX + "submit", "current_working_directory": "/tmp"}}
    wire = req("POST", "/slurm/v0.0.38/job/submit", [("Content-Type", "application/json")],
               json.dumps(body).encode(), close=True)
    ref = one(run_reference(wire, reference_args("/slurm/v0.0.38/job/submit")))
    ours = one(run_ours(wire))
    ids = {run: resp.json().get("job_id") for run, resp in ((on22, ref), (here, ours))
           if resp.status == 200}
    try:
        assert ref.status == ours.status == 200, (ref.body[:500], ours.body[:500])
        same_shape(ref.json(), ours.json(), {})
        job_id = ids[here]
        fields = job_fields(job_id)
        assert (fields["JobName"], fields["JobState"], fields["Reason"]) == \
            (PREFIX + "submit", "PENDING", "JobHeldUser")
        assert fields["UserId"].startswith("alice(")
        update = one(run_ours(req("POST", f"/slurm/v0.0.38/job/{job_id}",
                                  [("Content-Type", "application/json")],
                                  json.dumps({"comment": "updated"}).encode(), close=True)))
        assert update.status == 200 and update.json()["errors"] == [], update.body[:500]
        assert job_fields(job_id)["Comment"] == "updated"
        cancel = one(run_ours(req("DELETE", f"/slurm/v0.0.38/job/{job_id}", close=True)))
        assert cancel.status == 200 and cancel.json()["errors"] == [], cancel.body[:500]
        assert job_fields(job_id)["JobState"] == "CANCELLED"
    finally:
        for run, job_id in ids.items():
            run("scancel", str(job_id), check=False)
