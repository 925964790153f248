"""GET /slurmdb/v0.0.38/*: slurmrestd-py against the reference
(`slurmrestd -s dbv0.0.38`), both as alice and, where only an administrator
may look (diag, wckeys), as root.

The module's fixtures add what the answers should show and take it away
afterwards: a QOS with limits, an account with limits and a coordinator, a
partition-specific association of alice, a wckey of root, and alice's jobs
(completed, failed, killed by a signal, with steps, an array, one charged
to a non-default account, one cancelled before it ran). QOS, account,
association and wckey never run jobs, so slurmdbd forgets them completely
when they are removed.

What is compared: status, the whole JSON data of both answers with key order
at every level (these records do not move between two calls), and every
answer of ours validates against our served document. Where we answer
differently on purpose (an empty result is 200 and an empty list, not the
reference's error; a malformed job/step id is an error answer, where the
reference process exits), the test says what each side answers.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import time

import pytest

from conftest import (OURS, REFERENCE, RELEASE, Result, one, parse_responses, req, run_ours,
                      run_reference, validate)

DB = "/slurmdb/v0.0.38"
DB37 = "/slurmdb/v0.0.37"
DB36 = "/slurmdb/v0.0.36"
DBS = (DB, DB37)  # where both versions answer alike: compared in each
REF_ARGS = ("-a", "rest_auth/local", "-s", "dbv0.0.38")
PREFIX = "rpydb_"
QOS = "rpydb_qos"
ACCOUNT = "rpydb_acct"
WCKEY = "rpydb_key"
NOTHING_FOUND = {"description": "Nothing found", "error_number": 9003,
                 "error": "Nothing found with query"}
INVALID_QUERY = "Query empty or not RFC7320 compliant"
DENIED = {"error_number": 2002, "error": "Access/permission denied"}


def sh(*args, check=True, user=None, **kw):
    argv = (["runuser", "-u", user, "--"] if user else []) + list(args)
    return subprocess.run(argv, capture_output=True, text=True, check=check, timeout=120, **kw)


def sacctmgr(*args, check=True):
    return sh("sacctmgr", "-i", *args, check=check)


# ---- what the answers should show ----

def _remove_db_objects():
    sacctmgr("delete", "user", "root", f"wckey={WCKEY}", check=False)
    sacctmgr("delete", "coordinator", f"account={ACCOUNT}", "names=bob", check=False)
    sacctmgr("delete", "user", "alice", f"account={ACCOUNT}", check=False)
    sacctmgr("delete", "account", ACCOUNT, check=False)
    sacctmgr("delete", "qos", QOS, check=False)


@pytest.fixture(scope="module", autouse=True)
def db_objects():
    _remove_db_objects()  # leftovers of an interrupted run
    try:
        sacctmgr("add", "qos", QOS, "Priority=10", "Flags=DenyOnLimit,NoDecay",
                 "Preempt=normal", "PreemptMode=requeue", "GrpTRES=cpu=4", "MaxWall=60",
                 "MaxTRESPerUser=cpu=2", "UsageFactor=1.5", "GraceTime=5", "MaxJobsPerUser=3",
                 "MinPrioThresh=5", "MaxTRESMinsPerJob=cpu=100", "GrpJobs=6",
                 "MaxSubmitJobsPerUser=8", "UsageThreshold=0.5", "Description=rpydb qos")
        sacctmgr("add", "account", ACCOUNT, "parent=root", "description=rpydb test",
                 "organization=rpydb", "GrpTRES=cpu=4,mem=1000", "MaxJobs=3", "MaxSubmitJobs=7",
                 "GrpWall=100", "MaxWall=30", "Priority=5", "Fairshare=3", "DefaultQOS=normal",
                 f"QosLevel=normal,{QOS}", "MaxTRESPerNode=cpu=1", "MaxTRESMinsPerJob=cpu=50",
                 "GrpTRESRunMins=cpu=500", "GrpTRESMins=cpu=1000", "GrpJobs=4",
                 "GrpJobsAccrue=2", "MaxJobsAccrue=1", "GrpSubmitJobs=9", "MaxTRES=cpu=2,node=1")
        sacctmgr("add", "user", "alice", f"account={ACCOUNT}", "partition=debug")
        sacctmgr("add", "coordinator", f"account={ACCOUNT}", "names=bob")
        sacctmgr("add", "user", "root", f"wckey={WCKEY}")
        yield
    finally:
        _remove_db_objects()


# name -> sbatch options (as alice, from /tmp)
JOBS = {
    "rpydb_ok": ["--wrap", "true"],
    "rpydb_fail": ["--wrap", "exit 3"],
    "rpydb_sig": ["--wrap", "kill -9 $$"],
    "rpydb_steps": ["-n2", "--wrap", "srun -n1 true; srun -n2 true"],
    "rpydb_array": ["--array=0-2", "--wrap", "true"],
    "rpydb_chem": ["-A", "chem", "-p", "long", "--comment=hello", "--wrap", "true"],
    "rpydb_held": ["--hold", "--wrap", "true"],
}
TERMINAL = ("COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL")


@pytest.fixture(scope="module")
def jobs(db_objects):
    """name -> job id of alice's jobs, all finished."""
    ids = {}
    try:
        for name, opts in JOBS.items():
            out = sh("sbatch", "--parsable", "-o", "/dev/null", "-J", name, "--time=1", *opts,
                     user="alice", cwd="/tmp").stdout
            ids[name] = int(out.strip().split(";")[0])
        sh("scancel", str(ids["rpydb_held"]))
        wanted = ",".join(map(str, ids.values()))
        deadline = time.monotonic() + 300
        while True:
            states = [line.split()[0] for line in sh(
                "sacct", "-n", "-P", "-X", "-j", wanted, "-o", "State").stdout.splitlines()]
            if len(states) == len(ids) + 2 and all(s in TERMINAL for s in states) and \
                    not sh("squeue", "-h", "-j", wanted, check=False).stdout.strip():
                break
            assert time.monotonic() < deadline, f"jobs did not finish: {states}"
            time.sleep(2)
        time.sleep(2)  # the last accounting records reach slurmdbd
        yield ids
    finally:
        sh("scancel", *map(str, ids.values()), check=False)


# ---- running both daemons ----

def _run_root(cmd, request: bytes, reference: bool) -> Result:
    env = dict(os.environ, SLURMRESTD_SECURITY="disable_user_check", SLURMRESTD_LOG_STDERR="1")
    proc = subprocess.run(["sh", "-c", 'cat | exec "$@"', "sh", *cmd], input=request,
                          capture_output=True, env=env, timeout=120)
    responses, leftover, stray = parse_responses(proc.stdout, (), reference)
    return Result(proc.returncode, responses, proc.stderr, proc.stdout, leftover, stray)


def plugin(path) -> str:
    """The reference's plugin serving `path` ("dbv0.0.37")."""
    return "db" + path.split("/")[2]


def ref_args(path) -> tuple[str, ...]:
    return ("-a", "rest_auth/local", "-s", plugin(path))


def both(path, root=False, headers=(), method="GET"):
    wire = req(method, path, headers=headers, close=True)
    if root:
        return (one(_run_root([REFERENCE, *ref_args(path)], wire, True)),
                one(_run_root([OURS], wire, False)))
    return one(run_reference(wire, args=ref_args(path))), one(run_ours(wire))


def _wire(method, path, body):
    if body is None:
        return req(method, path, close=True)
    return req(method, path, [("Content-Type", "application/json")], json.dumps(body).encode(),
               close=True)


def ours(path, root=False, method="GET", body=None):
    wire = _wire(method, path, body)
    return one(_run_root([OURS], wire, False) if root else run_ours(wire))


def reference(path, root=False, method="GET", body=None):
    wire = _wire(method, path, body)
    return one(_run_root([REFERENCE, *ref_args(path)], wire, True) if root
               else run_reference(wire, args=ref_args(path)))


def ordered(x):
    """Data with every dict as its list of (key, value) pairs: key order counts."""
    if isinstance(x, dict):
        return [(k, ordered(v)) for k, v in x.items()]
    if isinstance(x, list):
        return [ordered(v) for v in x]
    return x


def template(doc, path):
    path = path.split("?")[0]
    for t in doc["paths"]:
        if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", t), path):
            return t
    raise AssertionError(f"no document path for {path}")


def checked(resp, doc, path, status, method="get"):
    """Our answer: status, JSON, the envelope, and valid against our document."""
    assert resp.status == status, resp.body[:500]
    assert resp.content_type == "application/json"
    data = resp.json()
    assert list(data)[:2] == ["meta", "errors"]
    name = plugin(path)
    assert data["meta"]["plugin"] == {"type": f"openapi/{name}", "name": (
        "REST DB v0.0.36" if name == "dbv0.0.36" else f"Slurm OpenAPI DB {name[2:]}")}
    validate(doc, (template(doc, path), method, status), data)
    return data


def check_same(path, doc, status=200, root=False):
    """Same status and the same data, key order included; ours validates.
    (dbv0.0.37 and dbv0.0.36 jobs: the reference's time/start is its eligible time, ours
    the start time, see `start_as_ours`.)"""
    ref, our = both(path, root)
    assert ref.status == status, ref.body[:500]
    od = checked(our, doc, path, status)
    rd = ref.json()
    if path.startswith((DB37, DB36)) and "jobs" in rd:
        start_as_ours(rd, od)
    assert ordered(od) == ordered(rd)
    return od


def start_as_ours(rd, od):
    """The dbv0.0.37 reference shows the eligible time as time/start (a
    fault, README); ours the start time, as dbv0.0.38 and sacct do."""
    for r, o in zip(rd["jobs"], od["jobs"]):
        assert r["time"]["start"] == r["time"]["eligible"]
        r["time"]["start"] = o["time"]["start"]


def check_empty(path, doc, key, source, root=False):
    """The reference's fault: an empty result is a 500 with "Nothing found"
    (or a 200 with it, for jobs). Ours: 200, no error, an empty list."""
    ref, our = both(path, root)
    rd = ref.json()
    assert rd["errors"] == [{**NOTHING_FOUND, "source": source}]
    assert ref.status == (200 if key == "jobs" else 500)
    od = checked(our, doc, path, 200)
    assert od["errors"] == [] and od[key] == []
    assert od["meta"] == rd["meta"]
    return od


def names(records, key="name"):
    return [r[key] for r in records]


# ---- TRES, QOS ----

@pytest.mark.cluster22
@pytest.mark.parametrize("db", DBS)
def test_tres(db, openapi_doc):
    data = check_same(f"{db}/tres", openapi_doc)
    by_type = {(t["type"], t["name"]): t for t in data["TRES"]}
    assert by_type[("cpu", None)]["id"] == 1 and by_type[("mem", None)]["id"] == 2
    assert all(isinstance(t["count"], int) for t in data["TRES"])


@pytest.mark.cluster22
@pytest.mark.parametrize("query", ["", "?with_deleted=true", "?with_deleted=0",
                                   "?WITH_DELETED=garbage", "?with_deleted="])
@pytest.mark.parametrize("db", DBS)
def test_qos_list(db, query, openapi_doc):
    data = check_same(f"{db}/qos{query}", openapi_doc)
    assert {"normal", QOS} <= set(names(data["QOS"]))


@pytest.mark.cluster22
@pytest.mark.parametrize("db", DBS)
def test_qos_record(db, openapi_doc):
    data = check_same(f"{db}/qos/{QOS}", openapi_doc)
    [q] = data["QOS"]
    assert list(q) == ["description", "flags", "id", "limits", "name", "preempt", "priority",
                       "usage_factor", "usage_threshold"]
    assert (q["description"], q["priority"], q["flags"]) == ("rpydb qos", 10,
                                                              ["DENY_LIMIT", "NO_DECAY"])
    assert q["preempt"] == {"list": ["normal"], "mode": ["REQUEUE"], "exempt_time": None}
    limits = q["limits"]
    assert limits["grace_time"] == 5 and limits["min"]["priority_threshold"] == 5
    assert limits["max"]["wall_clock"]["per"] == {"qos": None, "job": 60}
    assert limits["max"]["jobs"] == {"active_jobs": {"per": {"account": None, "user": 3}},
                                     "per": {"account": None, "user": 8}}
    assert limits["max"]["tres"]["total"] == [{"type": "cpu", "name": None, "id": 1, "count": 4}]
    assert limits["max"]["tres"]["per"]["user"][0]["count"] == 2
    assert (q["usage_factor"], q["usage_threshold"]) == (1.5, 0.5)
    assert limits["factor"] is None


@pytest.mark.cluster22
@pytest.mark.parametrize("name", ["normal", "Normal", "no_such_qos"])
@pytest.mark.parametrize("db", DBS)
def test_qos_by_name(db, name, openapi_doc):
    # The reference looks the name up as given (case counts), 200 either way.
    data = check_same(f"{db}/qos/{name}", openapi_doc)
    assert names(data["QOS"]) == ([name] if name == "normal" else [])


@pytest.mark.cluster22
@pytest.mark.parametrize("path", [f"{DB}/qos?foo=1", f"{DB}/qos/normal?with_deleted=1&x=2"])
def test_qos_unknown_query_key(path, openapi_doc):
    data = check_same(path, openapi_doc, status=400)
    assert list(data) == ["meta", "errors"]
    assert data["errors"] == [{"description": "Unknown query field", "error_number": 9000,
                               "error": INVALID_QUERY}]


# ---- associations ----

@pytest.mark.cluster22
@pytest.mark.parametrize("query", [
    "", "?user=alice", "?user=ALICE%2Cbob&account=chem", f"?account={ACCOUNT}",
    "?partition=debug", "?cluster=restcluster&foo=1", "?user=", "?account=physics%2C%22chem%22",
])
@pytest.mark.parametrize("db", DBS)
def test_associations(db, query, openapi_doc):
    data = check_same(f"{db}/associations{query}", openapi_doc)
    assert data["associations"]


@pytest.mark.cluster22
def test_association_records(openapi_doc):
    data = check_same(f"{DB}/associations?account={ACCOUNT}", openapi_doc)
    recs = {(a["user"], a["partition"]): a for a in data["associations"]}
    acct, alice = recs[(None, None)], recs[("alice", "debug")]
    assert acct["default"] == {"qos": "normal"} and acct["qos"] == ["normal", QOS]
    assert acct["max"]["jobs"] == {"per": {"count": 4, "accruing": 2, "submitted": 9,
                                           "wall_clock": 30},
                                   "active": 3, "accruing": 1, "total": 7}
    assert acct["max"]["per"] == {"account": {"wall_clock": 100}}
    assert [t["count"] for t in acct["max"]["tres"]["total"]] == [4, 1000]
    assert [t["type"] for t in acct["max"]["tres"]["per"]["job"]] == ["cpu", "node"]
    assert (acct["priority"], acct["shares_raw"], acct["parent_account"]) == (5, 3, "root")
    assert acct["usage"] is None and acct["is_default"] == 0 and acct["flags"] == []
    assert alice["parent_account"] is None and alice["account"] == ACCOUNT


@pytest.mark.cluster22
def test_default_association_flags(openapi_doc):
    data = check_same(f"{DB}/associations?user=alice", openapi_doc)
    flags = {(a["account"], a["partition"]): a["flags"] for a in data["associations"]}
    assert flags[("physics", None)] == ["DEFAULT"] and flags[("chem", None)] == []


@pytest.mark.cluster22
@pytest.mark.parametrize("db", DBS)
def test_association_single(db, openapi_doc):
    data = check_same(f"{db}/association?user=bob", openapi_doc)
    assert [(a["account"], a["user"]) for a in data["associations"]] == [("chem", "bob")]


@pytest.mark.cluster22
def test_association_ambiguous(openapi_doc):
    data = check_same(f"{DB}/association?user=alice", openapi_doc, status=400)
    assert data["associations"] == []
    assert data["errors"] == [{
        "description": "Ambiguous request: More than 1 association would have been dumped.",
        "error_number": 9000, "error": INVALID_QUERY}]


@pytest.mark.cluster22
@pytest.mark.parametrize("path", [f"{DB}/associations?user=nobody",
                                  f"{DB}/association?account={ACCOUNT}&partition=long"])
def test_associations_empty(path, openapi_doc):
    check_empty(path, openapi_doc, "associations", "slurmdb_associations_get")


# ---- users, accounts, clusters ----

@pytest.mark.cluster22
@pytest.mark.parametrize("db", DBS)
@pytest.mark.parametrize("path,key", [
    *((f"/{p}", "users") for p in ("users", "users?with_deleted=yes", "user/alice",
                                       "user/ALICE", "user/bob", "user/root?with_deleted=false")),
    *((f"/{p}", "accounts") for p in ("accounts", "accounts?with_deleted=true",
                                          "account/physics", "account/PHYSICS",
                                          f"account/{ACCOUNT}")),
])
def test_users_and_accounts(db, path, key, openapi_doc):
    data = check_same(db + path, openapi_doc)
    assert data[key]


@pytest.mark.cluster22
@pytest.mark.parametrize("db", DBS)
def test_user_records(db, openapi_doc):
    data = check_same(f"{db}/users", openapi_doc)
    users = {u["name"]: u for u in data["users"]}
    assert users["root"]["administrator_level"] == "Administrator"
    assert users["root"]["default"] == {"account": "root", "wckey": WCKEY}
    assert users["alice"]["administrator_level"] == "None"
    assert users["bob"]["coordinators"] == [{"name": ACCOUNT, "direct": 1}]
    assert (ACCOUNT, "debug") in {(a["account"], a["partition"])
                                  for a in users["alice"]["associations"]}


@pytest.mark.cluster22
@pytest.mark.parametrize("path", [f"{DB}/users?foo=1", f"{DB}/user/alice?with_deleted=1&foo=1"])
def test_users_unknown_query_key(path, openapi_doc):
    data = check_same(path, openapi_doc, status=400)
    assert list(data) == ["meta", "errors"]
    assert data["errors"][0]["description"] == "Unknown query field"


@pytest.mark.cluster22
@pytest.mark.parametrize("db", DBS)
def test_account_record(db, openapi_doc):
    data = check_same(f"{db}/account/{ACCOUNT}", openapi_doc)
    [a] = data["accounts"]
    assert list(a) == ["associations", "coordinators", "description", "name", "organization",
                       "flags"]
    assert (a["description"], a["organization"], a["flags"]) == ("rpydb test", "rpydb", [])
    assert a["coordinators"] == [{"name": "bob", "direct": 1}]
    assert {(s["user"], s["partition"]) for s in a["associations"]} == \
        {(None, None), ("alice", "debug")}


@pytest.mark.cluster22
def test_accounts_unknown_query_key(openapi_doc):
    # The list goes on (200) with an error entry; a single account is a 400.
    data = check_same(f"{DB}/accounts?foo=1", openapi_doc)
    assert data["errors"] == [{"description": "Unknown query field", "error_number": 9000,
                               "error": INVALID_QUERY}]
    assert ACCOUNT in names(data["accounts"])
    data = check_same(f"{DB}/account/physics?foo=1", openapi_doc, status=400)
    assert list(data) == ["meta", "errors"]


@pytest.mark.cluster22
@pytest.mark.parametrize("db", DBS)
@pytest.mark.parametrize("path", ["/clusters", "/cluster/restcluster", "/cluster/RESTCLUSTER"])
def test_clusters(db, path, openapi_doc):
    data = check_same(db + path, openapi_doc)
    [c] = data["clusters"]
    assert c["name"] == "restcluster" and c["select_plugin"] == "cons_tres"
    assert c["associations"] == {"root": None} and isinstance(c["rpc_version"], int)
    assert {t["type"] for t in c["tres"]} >= {"cpu", "mem", "node"}


@pytest.mark.cluster22
@pytest.mark.parametrize("db", DBS)
@pytest.mark.parametrize("path,key,source", [
    ("/user/nobody", "users", "slurmdb_users_get"),
    ("/account/no_such_account", "accounts", "slurmdb_accounts_get"),
    ("/cluster/no_such_cluster", "clusters", "slurmdb_clusters_get"),
])
def test_empty_results(db, path, key, source, openapi_doc):
    check_empty(db + path, openapi_doc, key, source)


# ---- what only an administrator may see ----

@pytest.mark.cluster22
@pytest.mark.parametrize("db", DBS)
@pytest.mark.parametrize("path,payload", [("/wckeys", ["wckeys"]), (f"/wckey/{WCKEY}", ["wckeys"]),
                                          ("/diag", [])])
def test_denied_to_alice(db, path, payload, openapi_doc):
    data = check_same(db + path, openapi_doc, status=500)
    assert list(data)[2:] == payload
    source = "slurmdb_get_stats" if path.endswith("diag") else "slurmdb_wckeys_get"
    assert data["errors"] == [{**DENIED, "source": source}]


@pytest.mark.cluster22
@pytest.mark.parametrize("db", DBS)
def test_config_as_alice(db, openapi_doc):
    # Stops at the wckeys, which alice may not read: what came before is there.
    data = check_same(f"{db}/config", openapi_doc, status=500)
    assert list(data)[2:] == ["clusters", "TRES", "accounts", "users", "QOS", "wckeys"]
    assert data["wckeys"] == []


@pytest.mark.cluster22
def test_config_unknown_query_key(openapi_doc):
    # The accounts note it and go on; the users stop the answer.
    data = check_same(f"{DB}/config?user=bob", openapi_doc, status=400)
    assert list(data)[2:] == ["clusters", "TRES", "accounts"]
    assert len(data["errors"]) == 2


@pytest.mark.cluster22
@pytest.mark.parametrize("db", DBS)
@pytest.mark.parametrize("path", ["/wckeys", f"/wckey/{WCKEY}", f"/wckey/{WCKEY.upper()}",
                                  "/config", "/users"])
def test_as_root(db, path, openapi_doc):
    data = check_same(db + path, openapi_doc, root=True)
    if "wckey" in path:
        assert data["wckeys"] == [{"accounts": [], "cluster": "restcluster",
                                   "id": data["wckeys"][0]["id"], "name": WCKEY,
                                   "user": "root", "flags": ["DEFAULT"]}]


@pytest.mark.cluster22
@pytest.mark.parametrize("db", DBS)
def test_config_as_root(db, openapi_doc):
    data = check_same(f"{db}/config", openapi_doc, root=True)
    assert list(data)[2:] == ["clusters", "TRES", "accounts", "users", "QOS", "wckeys",
                              "associations"]


@pytest.mark.cluster22
@pytest.mark.parametrize("db", DBS)
def test_wckey_empty_as_root(db, openapi_doc):
    check_empty(f"{db}/wckey/no_such_wckey", openapi_doc, "wckeys", "slurmdb_wckeys_get",
                root=True)


@pytest.mark.cluster22
@pytest.mark.parametrize("db", DBS)
def test_diag_as_root(db, openapi_doc):
    # Counters move between two calls: same shape, same RPC and user names.
    ref, our = both(f"{db}/diag", root=True)
    assert ref.status == 200
    od, rd = checked(our, openapi_doc, f"{db}/diag", 200), ref.json()

    def shape(x):
        if isinstance(x, dict):
            return [(k, shape(v)) for k, v in x.items()]
        if isinstance(x, list):
            return [shape(v) for v in x[:1]]
        return type(x).__name__
    assert shape(od) == shape(rd)
    stats = od["statistics"]
    assert set(names(stats["RPCs"], "rpc")) >= set(names(rd["statistics"]["RPCs"], "rpc"))
    assert "DBD_GET_STATS" in names(stats["RPCs"], "rpc")
    assert "root" in names(stats["users"], "user")
    assert 0 < stats["time_start"] <= time.time() + 86400 * 366 * 10


# ---- jobs ----

@pytest.mark.cluster22
@pytest.mark.parametrize("db", DBS)
def test_jobs_one_by_one(db, jobs, openapi_doc):
    for name, job_id in jobs.items():
        data = check_same(f"{db}/job/{job_id}", openapi_doc)
        assert {j["name"] for j in data["jobs"]} == {name}


@pytest.mark.cluster22
@pytest.mark.parametrize("db", DBS)
def test_job_records(db, jobs, openapi_doc):
    found = {}
    for name, job_id in jobs.items():
        data = check_same(f"{db}/job/{job_id}", openapi_doc)
        found[name] = data["jobs"]
    [ok], [fail], [sig], [steps], [chem], [held] = (found[n] for n in (
        "rpydb_ok", "rpydb_fail", "rpydb_sig", "rpydb_steps", "rpydb_chem", "rpydb_held"))
    assert ok["state"] == {"current": "COMPLETED", "reason": "None"}
    assert ok["exit_code"] == {"status": "SUCCESS", "return_code": 0}
    assert ok["association"] == {"account": "physics", "cluster": "restcluster",
                                 "partition": None, "user": "alice"}
    assert (ok["user"], ok["group"], ok["qos"], ok["time"]["limit"]) == \
        ("alice", "alice", "normal", 1)
    # The reference calls any exit a SUCCESS with return code 0.
    assert fail["state"]["current"] == "FAILED"
    assert fail["exit_code"] == {"status": "SUCCESS", "return_code": 0}
    assert sig["exit_code"] == {"status": "SIGNALED", "return_code": None,
                                "signal": {"signal_id": 9, "name": "Killed"}}
    step_ids = [s["step"]["id"] for s in steps["steps"]]
    assert step_ids == ["batch", 0, 1]
    assert steps["steps"][0]["nodes"]["list"] == ["vm"]
    assert [s["tasks"]["count"] for s in steps["steps"]] == [1, 1, 2]
    assert chem["association"]["account"] == "chem" and chem["partition"] == "long"
    # "comment/job" is the derived exit string, not --comment.
    assert chem["comment"] == {"administrator": None, "job": None, "system": None}
    assert held["state"]["current"] == "CANCELLED" and held["steps"] == []
    assert held["time"]["elapsed"] == 0 and held["nodes"] == "None assigned"
    array = found["rpydb_array"]
    assert sorted(j["array"]["task_id"] for j in array) == [0, 1, 2]
    assert {j["array"]["job_id"] for j in array} == {jobs["rpydb_array"]}
    assert ok["array"]["task_id"] is None and ok["het"]["job_offset"] is None


JOB_FILTERS = [
    "job_name={names}",
    "job_name={names}&skip_steps=true",
    "job_name={names}&account=chem%2Cphysics&partition=long",
    "job_name={names}&start_time=2020-01-01&end_time=now&state=failed%2CCD",
    "job_name={names}&start_time=2020-01-01&end_time=now&groups={gid}",
    "job_name={names}&cpus_min=2&cpus_max=1.6",
    "job_name={names}&disable_wait_for_result=1&node=vm",
    "job_name={names}&submit_time=2020-01-01&qos=1",
    "step={steps}.batch%2C{steps}.1",
    "step={array}_1",
]


@pytest.mark.cluster22
@pytest.mark.parametrize("db,query", [*((DB, q) for q in JOB_FILTERS),
                                      *((DB37, q) for q in JOB_FILTERS
                                        if "state=" not in q and "node=" not in q)])
def test_jobs_filters(db, query, jobs, openapi_doc):
    import grp
    q = query.format(names="%2C".join(JOBS), steps=jobs["rpydb_steps"],
                     array=jobs["rpydb_array"], gid=grp.getgrnam("alice").gr_gid)
    data = check_same(f"{db}/jobs?{q}", openapi_doc)
    assert data["jobs"] and all(j["name"].startswith(PREFIX) for j in data["jobs"])


@pytest.mark.cluster22
@pytest.mark.parametrize("query,description,source", [
    ("foo=1", "Unknown Query field", None),
    ("group=alice", "Unknown Query field", None),  # documented by the reference, refused
    ("cpus_min=abc", "must be an integer", "cpus_min"),
    ("start_time=garbage", "Unable to parse time format", "start_time"),
    ("submit_time=2020-01-01&start_time=2020-01-01",
     "start_time and submit_time are mutually exclusive", "start_time"),
    ("state=bogus", "Unable to parse CSV list", "state"),
    ("state=completed%2Ccompleted", "Unable to parse CSV list", "state"),
])
def test_jobs_bad_query(query, description, source, openapi_doc):
    data = check_same(f"{DB}/jobs?{query}", openapi_doc, status=500)
    assert list(data) == ["meta", "errors"]
    error = {"description": description, "error_number": 9000, "error": INVALID_QUERY}
    assert data["errors"] == [{**error, "source": source} if source else error]


def test_query_not_utf8():
    """%ff is no UTF-8: the query is unreadable, a 400 in both."""
    ref, our = both(f"{DB}/jobs?users=%ff")
    assert our.status == ref.status == 400
    assert our.content_type == ref.content_type == "text/plain"
    assert our.body == ref.body == b"Unable to parse query."


@pytest.mark.parametrize("query", ["users=al%E9ce", "cluster=%C3"])
def test_query_not_utf8_where_the_reference_passes_bytes_on(query):
    """The reference lets other invalid sequences through as raw bytes (then a
    500 or an empty list); ours refuses every one alike (README)."""
    our = ours(f"{DB}/jobs?{query}")
    assert (our.status, our.body) == (400, b"Unable to parse query.")


@pytest.mark.cluster22
@pytest.mark.parametrize("db", DBS)
def test_jobs_unfiltered(db, jobs, openapi_doc):
    # Other jobs come and go: compare ours and the reference on our jobs.
    ref, our = both(f"{db}/jobs?start_time=2020-01-01")
    od = checked(our, openapi_doc, f"{db}/jobs", 200)
    ids = set(jobs.values())
    mine = {j: [r for r in d["jobs"] if r["job_id"] in ids or r["array"]["job_id"] in ids]
            for j, d in (("ref", ref.json()), ("ours", od))}
    if db != DB:
        start_as_ours({"jobs": mine["ref"]}, {"jobs": mine["ours"]})
    assert ordered(mine["ours"]) == ordered(mine["ref"])
    # The array has three records; the job cancelled before it was eligible
    # is outside any time window.
    assert sorted(names(mine["ours"])) == sorted([n for n in JOBS if n != "rpydb_held"]
                                                 + ["rpydb_array"] * 2)


def test_job_association_of_its_own_cluster(jobs, openapi_doc):
    """Association ids are unique only within a cluster: with a second
    cluster whose associations reuse the ids of restcluster's, every job
    still shows the association of the cluster it ran on."""
    other = "rpydb_zother"  # listed after restcluster, so a lookup by id alone picks it
    own = {int(i) for i in sh("sacctmgr", "-n", "-P", "list", "assoc", "cluster=restcluster",
                              "format=id").stdout.split()}
    users = [f"rpydb_zu{i}" for i in range(max(own))]
    try:
        sacctmgr("add", "cluster", other)
        sacctmgr("add", "account", "rpydb_zacct", f"cluster={other}")
        sacctmgr("add", "user", ",".join(users), "account=rpydb_zacct", f"cluster={other}")
        theirs = {int(i) for i in sh("sacctmgr", "-n", "-P", "list", "assoc",
                                     f"cluster={other}", "format=id").stdout.split()}
        assert own <= theirs  # every id collides
        for name, job_id in jobs.items():
            data = checked(ours(f"{DB}/job/{job_id}"), openapi_doc, f"{DB}/job/{job_id}", 200)
            for job in data["jobs"]:
                assert job["association"]["cluster"] == "restcluster", name
                assert job["association"]["user"] == "alice", name
                assert job["association"]["account"] in ("physics", "chem", ACCOUNT), name
    finally:
        sacctmgr("delete", "cluster", other, check=False)
        sacctmgr("delete", "account", "rpydb_zacct", check=False)
        sacctmgr("delete", "user", ",".join(users), check=False)


@pytest.mark.cluster22
@pytest.mark.parametrize("db", DBS)
def test_job_empty(db, openapi_doc):
    check_empty(f"{db}/job/999999999", openapi_doc, "jobs", "slurmdb_jobs_get")


@pytest.mark.parametrize("path,status,source", [
    (f"{DB}/job/abc", 400, "job_id"), (f"{DB}/job/1.x", 400, "job_id"),
    (f"{DB}/job/1_x", 400, "job_id"), (f"{DB}/jobs?step=abc", 500, "step"),
    (f"{DB}/jobs?step=1%2B", 500, "step"),
])
def test_bad_step_ids(path, status, source, openapi_doc):
    # libslurm's step parser exits the process on these: the reference dies
    # without an answer; ours answers an error.
    ref = run_reference(req(path=path, close=True), args=REF_ARGS)
    assert ref.responses == [] and b"Bad " in ref.stderr
    data = checked(ours(path), openapi_doc, path, status)
    assert data["errors"] == [{"description": "Unable to parse job/step format",
                               "error_number": 9000, "error": INVALID_QUERY,
                               "source": source}]


# ---- media, methods, the document ----

@pytest.mark.cluster22
@pytest.mark.parametrize("db", DBS)
def test_yaml_same_data(db):
    import yaml
    ref, our = both(f"{db}/users", headers=[("Accept", "application/x-yaml")])
    assert ref.status == our.status == 200
    assert our.content_type == "application/x-yaml"
    assert yaml.safe_load(our.body) == yaml.safe_load(ref.body)


@pytest.mark.parametrize("db,count", [(DB, 17 + 7 + 8), (DB37, 30), (DB36, 29)])
def test_document_declares_what_the_reference_does(db, count, openapi_doc):
    ref_doc = one(run_reference(req(path="/openapi.json", close=True), args=ref_args(db))).json()
    # (The reference's /accounts also holds a stray "dbv0.0.38_tres_update" key.)
    declared = [(p, method, op) for p, v in ref_doc["paths"].items() if p.startswith(db + "/")
                for method, op in v.items() if method in ("get", "post", "delete")]
    assert len(declared) == count == len([
        m for p, v in openapi_doc["paths"].items() if p.startswith(db + "/") for m in v])
    for path, method, r_op in declared:
        o_op = openapi_doc["paths"][path][method]
        if db == DB:
            assert o_op["operationId"] == r_op["operationId"]
        else:  # the reference's repeat between versions (README): ours are unique
            assert o_op["operationId"].startswith(f"slurmdb_{db.split('/')[2].replace('.', '_')}_")
        params = {p["name"] for p in o_op.get("parameters", [])}
        r_params = {p["name"] for p in r_op.get("parameters", [])}
        if path == f"{db}/jobs":  # the reference takes "groups", not its "group"
            r_params = r_params - {"group"} | {"groups"}
        if (path, method) == (f"{DB}/config", "get"):  # passed on to accounts, users, QOS
            r_params |= {"with_deleted"}
        assert params == r_params, path
        assert o_op["summary"] == r_op["summary"], path
    if db != DB:
        return
    schemas = openapi_doc["components"]["schemas"]
    for name in ("job", "job_step", "job_exit_code", "association", "association_short_info",
                 "user", "account", "coordinator_info", "qos", "wckey", "tres_list",
                 "diag", "config_info", "error", "meta"):
        assert f"dbv0.0.38_{name}" in schemas
    assert schemas["dbv0.0.38_tres_list"]["type"] == "array"
    # The reference's name for the clusters answer.
    assert openapi_doc["paths"][f"{DB}/clusters"]["get"]["responses"]["200"]["content"][
        "application/json"]["schema"] == {"$ref": "#/components/schemas/dbv0.0.38_cluster_info"}


# ---- the readers' building blocks, against libslurm and the C library ----

TRES_STRINGS = [b"1=2,2=50", b",1=2", b",,1=2", b"1=2,1=3", b"3=18446744073709551614",
                b"1=-2", b"abc", b"", b"1=2,x=3,4=5", b"0=1", b"1=5k",
                pytest.param(b" 1= 7", marks=pytest.mark.skipif(
                    RELEASE != "22.05", reason="24.11's libslurm reads a string that does not "
                    "start with a digit as TRES names, which needs slurmctld's TRES table; "
                    "parse_tres reads slurmdbd's id strings as 22.05's does")),
                b"1=2,",
                b"2=99999999999999999999999", b"1=2,,3=4", b"4=1=2", b"1=0,2=5"]


def _libslurm_tres(s: bytes) -> list[tuple[int, int]]:
    """slurmdb_tres_list_from_string(TRES_STR_FLAG_BYTES), as the reference calls it."""
    import ctypes

    class Tres(ctypes.Structure):
        _fields_ = [("alloc_secs", ctypes.c_uint64), ("rec_count", ctypes.c_uint32),
                    ("count", ctypes.c_uint64), ("id", ctypes.c_uint32),
                    ("name", ctypes.c_char_p), ("type", ctypes.c_char_p)]
    lib = ctypes.CDLL("libslurm.so")
    lib.slurm_list_iterator_create.restype = lib.slurm_list_next.restype = ctypes.c_void_p
    for f in ("slurm_list_iterator_create", "slurm_list_next", "slurm_list_iterator_destroy",
              "slurm_list_destroy"):
        getattr(lib, f).argtypes = [ctypes.c_void_p]
    lst = ctypes.c_void_p()
    lib.slurmdb_tres_list_from_string(ctypes.byref(lst), s, 0x800)
    if not lst.value:
        return []
    it, out = lib.slurm_list_iterator_create(lst), []
    while (x := lib.slurm_list_next(it)):
        t = Tres.from_address(x)
        out.append((t.id, t.count))
    lib.slurm_list_iterator_destroy(it)
    lib.slurm_list_destroy(lst)
    return out


@pytest.mark.parametrize("s", TRES_STRINGS)
def test_tres_strings_read_as_libslurm(s):
    from slurmrestd_py.slurmdb.tres import parse_tres
    assert parse_tres(s) == _libslurm_tres(s)


@pytest.mark.parametrize("value,expected", [
    ("", False), ("true", True), ("Yes", True), ("y", True), ("on", True), ("TRUE", True),
    ("off", False), ("no", False), ("N", False), ("F", False), ("null", False), ("~", False),
    ("0", False), ("-0", False), ("1", True), ("3", True), (".", False), ("0.0", False),
    (".5", True), ("garbage", True), ("1e3", True),
])
def test_query_booleans(value, expected):
    from slurmrestd_py.words import truth
    assert truth(value) is expected


def test_exit_codes_as_wait_statuses():
    from slurmrestd_py.dbv0_0_38.jobs import exit_code
    for status in (0, 3 << 8, 9, 15 | 0x80, 0x7F, 0xFFFFFFFE):
        d = exit_code(status)
        if status == 0xFFFFFFFE:  # NO_VAL: still pending
            assert d == {"status": "PENDING", "return_code": None}
        elif os.WIFEXITED(status):  # whatever the exit status, as the reference
            assert d == {"status": "SUCCESS", "return_code": 0}
        elif os.WIFSIGNALED(status):
            assert d["status"] == "SIGNALED" and d["return_code"] is None
            assert d["signal"]["signal_id"] == os.WTERMSIG(status)
        else:
            assert d["status"] in ("CORE_DUMPED", "ERROR")


# ---- removals (as root: only an administrator may remove) ----
#
# Objects come in pairs, _r for the reference to remove and _o for ours, with
# names of the same length so that the answers match once the names are
# swapped. rpydel_m and its users are never removed.

REMOVABLE = {
    "account": ["rpydel_r", "rpydel_o", "rpydel_xr", "rpydel_xo", "rpydel_m"],
    "user": ["rpydel_ur", "rpydel_uo", "rpydel_um", "rpydel_vr", "rpydel_vo"],
    "qos": ["rpydel_qr", "rpydel_qo", "rpydel_qx"],
}


def _remove_removable():
    sacctmgr("delete", "user", "root", "wckey=rpydel_wr,rpydel_wo", check=False)
    for kind in ("user", "account", "qos"):
        sacctmgr("delete", kind, ",".join(REMOVABLE[kind]), check=False)
    sacctmgr("delete", "cluster", "rpydel_c", check=False)


@pytest.fixture(scope="module")
def removable():
    _remove_removable()
    try:
        sacctmgr("add", "account", ",".join(REMOVABLE["account"]), "description=x",
                 "organization=y")
        sacctmgr("add", "user", "rpydel_ur,rpydel_uo,rpydel_um", "account=rpydel_m")
        sacctmgr("add", "user", "rpydel_vr", "account=rpydel_r")
        sacctmgr("add", "user", "rpydel_vo", "account=rpydel_o")
        sacctmgr("add", "qos", ",".join(REMOVABLE["qos"]))
        sacctmgr("add", "user", "root", "wckey=rpydel_wr,rpydel_wo")
        yield
    finally:
        _remove_removable()


def listed(*args) -> str:
    return sh("sacctmgr", "-n", "-P", "list", *args).stdout.strip()


def delete_both(path: str, doc, status=200):
    """`path` with {} for the side: the reference removes _r, ours _o."""
    ref = reference(DB + path.format(*"rr"), True, "DELETE")
    assert ref.status == status, ref.body[:500]
    od = checked(ours(DB + path.format(*"oo"), True, "DELETE"), doc, DB + path, status, "delete")
    return ref.json(), od


def removed_again(path: str, doc) -> dict:
    """Ours, asked to remove what is gone already."""
    return checked(ours(DB + path.format(*"oo"), True, "DELETE"), doc, DB + path, 200, "delete")


@pytest.mark.cluster22
@pytest.mark.parametrize("path,key,shown", [
    ("/user/rpydel_u{}", "removed_users", ("user", "rpydel_u{}")),
    ("/qos/rpydel_q{}", "removed_qos", ("qos", "rpydel_q{}")),
    ("/wckey/rpydel_w{}", "deleted_wckeys", ("wckey", "rpydel_w{}")),
    ("/associations?account=rpydel_{}&user=rpydel_v{}", "removed_associations",
     ("association", "account=rpydel_{}", "user=rpydel_v{}")),
])
def test_removal_as_the_reference_removes(path, key, shown, removable, openapi_doc):
    rd, od = delete_both(path, openapi_doc)
    assert list(od) == list(rd) == ["meta", "errors", key]
    assert od["errors"] == rd["errors"] == []
    assert len(od[key]) == 1
    assert re.sub(r"(rpydel_[a-z]?)o\b", r"\1r", od[key][0]) == rd[key][0]
    for side in "ro":  # gone for slurmdbd too
        assert listed(*(a.format(side, side) for a in shown)) == "", side
    # Nothing is left to remove: an empty list (the reference: 304 or 500).
    assert removed_again(path, openapi_doc)[key] == []


@pytest.mark.cluster22
def test_account_removal(removable, openapi_doc):
    rd, od = delete_both("/account/rpydel_x{}", openapi_doc)
    assert (rd["removed_associations"], od["removed_associations"]) == (["rpydel_xr"],
                                                                        ["rpydel_xo"])
    assert listed("account", "rpydel_xo") == listed("account", "rpydel_xr") == ""
    # The reference answers a second removal with an error entry ("Data has
    # not changed since time specified"); ours with an empty list.
    data = removed_again("/account/rpydel_x{}", openapi_doc)
    assert (data["errors"], data["removed_associations"]) == ([], [])


@pytest.mark.cluster22
def test_cluster_removal(removable, openapi_doc):
    """The reference answers 304 and leaves the cluster; ours removes it."""
    sacctmgr("add", "cluster", "rpydel_c")
    ref = reference(f"{DB}/cluster/rpydel_c", True, "DELETE")
    assert ref.status == 304
    assert listed("cluster", "rpydel_c", "format=cluster") == "rpydel_c"
    data = checked(ours(f"{DB}/cluster/rpydel_c", True, "DELETE"), openapi_doc,
                   f"{DB}/cluster/rpydel_c", 200, "delete")
    assert data["deleted_clusters"] == ["rpydel_c"]
    assert listed("cluster", "rpydel_c", "format=cluster") == ""


@pytest.mark.parametrize("query,description", [
    ("", "No filter given (cluster, account, user or partition)"),
    ("?acount=rpydel_m", "Unknown query field"),
    ("?account=rpydel_m&usr=rpydel_um", "Unknown query field"),
])
@pytest.mark.parametrize("path", ["/associations", "/association"])
def test_association_removals_that_would_remove_too_much(path, query, description, removable,
                                                         openapi_doc):
    """Refused, unlike the reference: no filter selects every association,
    and a misspelt one widens the selection."""
    check_refused(path + query, description, openapi_doc)


def test_one_association_is_removed_at_most(removable, openapi_doc):
    """/association removes one, as it shows one: rpydel_m has four."""
    check_refused("/association?account=rpydel_m", "Ambiguous request: More than 1 "
                  "association would have been removed.", openapi_doc)


def check_refused(path, description, openapi_doc):
    before = listed("association", "account=rpydel_m")
    data = checked(ours(DB + path, True, "DELETE"), openapi_doc, DB + path, 400, "delete")
    assert data["removed_associations"] == []
    assert data["errors"] == [{"description": description, "error_number": 9000,
                               "error": INVALID_QUERY}]
    assert listed("association", "account=rpydel_m") == before != ""


@pytest.mark.cluster22
def test_removal_needs_an_administrator(removable, openapi_doc):
    ref, our = both(f"{DB}/qos/rpydel_qx", method="DELETE")  # as alice
    od = checked(our, openapi_doc, f"{DB}/qos/rpydel_qx", 500, "delete")
    assert ref.status == 500 and ordered(od) == ordered(ref.json())
    assert od["errors"] == [{**DENIED, "source": "slurmdb_qos_remove"}]
    assert listed("qos", "rpydel_qx", "format=name") == "rpydel_qx"


# ---- additions (as root) ----
#
# The same body, with _r names for the reference and _o names for ours; what
# slurmdbd then holds must be the same once the names are swapped.

QOS_FORMAT = "format=name,description,priority,flags,maxwall,maxtrespu,preempt,preemptmode,"\
             "usagefactor,usagethreshold,gracetime"
ASSOC_FORMAT = "format=cluster,account,user,maxjobs,maxsubmit,maxtres,grptres,qos,defaultqos,"\
               "priority,fairshare"
ADDED = {"account": ["rpyadd_r", "rpyadd_o", "rpyadd_xr", "rpyadd_xo", "rpyadd_ar",
                     "rpyadd_ao", "rpyadd_cfg"],
         "qos": ["rpyadd_qr", "rpyadd_qo"], "cluster": ["rpyadd_cr", "rpyadd_co"],
         "user": ["rpyadd_ur", "rpyadd_uo", "rpyadd_cr", "rpyadd_co", "rpyadd_cfgu"]}


def _remove_added():
    sacctmgr("delete", "user", "root", "wckey=rpyadd_wr,rpyadd_wo", check=False)
    sacctmgr("delete", "user", ",".join(ADDED["user"] + ["rpyadd_bad"]), check=False)
    sacctmgr("delete", "account", ",".join(ADDED["account"] + ["rpyadd_p"]), check=False)
    sacctmgr("delete", "qos", ",".join(ADDED["qos"]), check=False)
    sacctmgr("delete", "cluster", ",".join(ADDED["cluster"]), check=False)


@pytest.fixture(scope="module")
def addable():
    _remove_added()
    try:
        sacctmgr("add", "account", "rpyadd_p,rpyadd_ar,rpyadd_ao", "description=p",
                 "organization=p")
        yield
    finally:
        _remove_added()


def sides(template):
    """`template` (JSON with {} for the side) as the reference's and ours."""
    return [json.loads(json.dumps(template).replace("{}", side)) for side in "ro"]


def swapped(text: str, prefix: str = "rpyadd_") -> str:
    return re.sub(rf"({prefix}[a-z]?)o\b", r"\1r", text)


def add_both(path, template, openapi_doc, status=200, db=DB):
    ref_body, our_body = sides(template)
    ref = reference(db + path, True, "POST", ref_body)
    our = ours(db + path, True, "POST", our_body)
    assert ref.status == status, ref.body[:500]
    od = checked(our, openapi_doc, db + path, status, "post")
    assert ordered(od) == ordered(ref.json())
    return od


@pytest.mark.cluster22
def test_association_changed_where_the_reference_crashes(addable, openapi_doc):
    """A second POST for the same account, cluster and user changes the
    association (the reference's process dies on it)."""
    def post(body):
        data = checked(ours(DB + "/associations", True, "POST", {"associations": [body]}),
                       openapi_doc, DB + "/associations", 200, "post")
        assert data["errors"] == []
    key = {"account": "rpyadd_p", "user": "bob", "cluster": "restcluster"}
    post({**key, "max": {"jobs": {"active": 5}}})
    post({**key, "max": {"jobs": {"active": 7}}, "priority": 4, "qos": []})
    assert listed("association", "account=rpyadd_p", "user=bob",
                  "format=account,user,maxjobs,priority") == "rpyadd_p|bob|7|4"


@pytest.mark.cluster22
@pytest.mark.parametrize("path,template,shown", [
    ("/accounts", {"accounts": [{"name": "rpyadd_{}", "description": "d", "organization": "o"}]},
     ("account", "rpyadd_{}", "format=account,description,organization")),
    # sacctmgr's defaults: the name as description and organization.
    ("/accounts", {"accounts": [{"name": "rpyadd_x{}"}]},
     ("account", "rpyadd_x{}", "format=account,description,organization")),
    ("/users", {"users": [{"name": "rpyadd_u{}", "default": {"account": "rpyadd_p"},
                           "administrator_level": "Operator",
                           "associations": [{"account": "rpyadd_p", "user": "rpyadd_u{}",
                                             "cluster": "restcluster"}]}]},
     ("association", "user=rpyadd_u{}", "format=cluster,account,user")),
    ("/users", {"users": [{"name": "rpyadd_c{}", "coordinators": [{"name": "rpyadd_p",
                                                                    "direct": 1}]}]},
     ("user", "rpyadd_c{}", "withcoord", "format=user,admin,coordinators")),
    ("/wckeys", {"wckeys": [{"name": "rpyadd_w{}", "user": "root", "cluster": "restcluster",
                             "id": 0, "flags": ["default"]}]},
     ("wckey", "rpyadd_w{}", "format=wckey,cluster,user")),
    ("/associations", {"associations": [{
        "account": "rpyadd_a{}", "user": "alice", "cluster": "restcluster", "qos": ["normal"],
        "default": {"qos": "normal"}, "priority": 3, "shares_raw": 2,
        "max": {"jobs": {"active": 5, "total": 9},
                "tres": {"per": {"job": [{"type": "cpu", "count": 2},
                                         {"type": "mem", "count": 1000}]},
                         "total": [{"type": "node", "count": 1}]}}}]},
     ("association", "account=rpyadd_a{}", "user=alice", ASSOC_FORMAT)),
    ("/qos", {"QOS": [{"name": "rpyadd_q{}", "description": "d", "priority": 5,
                       "flags": ["DENY_LIMIT"], "usage_factor": 2.5,
                       "preempt": {"mode": ["REQUEUE"]},
                       "limits": {"max": {"wall_clock": {"per": {"job": 60}},
                                          "tres": {"per": {"user": [{"type": "cpu",
                                                                     "count": 4}]}}}}}]},
     ("qos", "rpyadd_q{}", QOS_FORMAT)),
    ("/clusters", {"clusters": [{"name": "rpyadd_c{}"}]},
     ("cluster", "rpyadd_c{}", "format=cluster,controlhost,controlport,rpc,flags")),
])
def test_addition_as_the_reference_adds(path, template, shown, addable, openapi_doc):
    od = add_both(path, template, openapi_doc)
    assert od["errors"] == []
    ref_shown, our_shown = (listed(*(a.replace("{}", s) for a in shown)) for s in "ro")
    assert our_shown and swapped(our_shown) == ref_shown


@pytest.mark.cluster22
@pytest.mark.parametrize("path,body", [
    ("/associations", {"associations": [{"account": "rpyadd_p", "user": "alice",
                                         "cluster": "restcluster", "qos": ["nosuch"]}]}),
    ("/associations", {"associations": [{"account": "rpyadd_p", "user": "alice",
                                         "max": {"tres": {"total": [{"type": "bogus"}]}}}]}),
    ("/associations", {"associations": [{"account": "rpyadd_p", "user": "alice",
                                         "max": {"jobs": {"active": "many"}}}]}),
    ("/associations", {"associations": ["x"]}),
    ("/accounts", {"accounts": [5]}),
    ("/accounts", {"accounts": [{"name": "rpyadd_bad", "flags": ["BOGUS"]}]}),
    ("/users", {"users": [{"name": "rpyadd_bad", "administrator_level": "Bogus"}]}),
])
def test_additions_the_reference_refuses(path, body, addable, openapi_doc):
    """Same status and errors; nothing added."""
    add_both(path, body, openapi_doc, status=400)
    assert listed("account", "rpyadd_bad") == listed("user", "rpyadd_bad") == ""


@pytest.mark.cluster22
@pytest.mark.parametrize("path,body,errors,ref_status", [
    # The reference: 200, nothing done.
    ("/accounts", {}, [{"description": "Query parameter not found", "error_number": 9200,
                        "error": "Unable to resolve path", "source": "accounts"}], 200),
    # The reference goes on without the name, then slurmdbd refuses: 500.
    ("/users", {"users": [{}]}, [{"description": "Missing required field 'name'",
                                  "error_number": 9001, "error": "Failure during parsing",
                                  "source": "_parser_run"}], 500),
    ("/wckeys", {"wckeys": [{"name": "rpyadd_bad", "user": "root"}]},
     [{"description": "Missing required field 'cluster'", "error_number": 9001,
       "error": "Failure during parsing", "source": "_parser_run"}], 500),
    # The reference adds the user, then fails on the nameless coordinator.
    ("/users", {"users": [{"name": "rpyadd_bad", "coordinators": [{"direct": 1}]}]},
     [{"description": "Missing required field 'name'", "error_number": 9001,
       "error": "Failure during parsing", "source": "_parser_run"},
      {"description": "Failed to parse field 'coordinators'", "error_number": 9001,
       "error": "Failure during parsing", "source": "_parser_run"}], 500),
])
def test_incomplete_bodies_are_400(path, body, errors, ref_status, addable, openapi_doc):
    """Refused before anything is stored (the reference stores what it can)."""
    assert reference(DB + path, True, "POST", body).status == ref_status
    sacctmgr("delete", "user", "rpyadd_bad", check=False)
    od = checked(ours(DB + path, True, "POST", body), openapi_doc, DB + path, 400, "post")
    assert od["errors"] == errors
    assert listed("user", "rpyadd_bad") == ""


@pytest.mark.cluster22
def test_addition_needs_an_administrator(addable, openapi_doc):
    body = {"accounts": [{"name": "rpyadd_alice"}]}
    ref, our = reference(DB + "/accounts", body=body, method="POST"), \
        ours(DB + "/accounts", body=body, method="POST")  # as alice
    od = checked(our, openapi_doc, DB + "/accounts", 500, "post")
    assert ref.status == 500 and ordered(od) == ordered(ref.json())
    assert od["errors"] == [{**DENIED, "source": "slurmdb_accounts_add"}]
    assert listed("account", "rpyadd_alice") == ""


@pytest.mark.cluster22
def test_qos_changed_as_the_reference_changes_it(addable, openapi_doc):
    """A QOS posted again keeps what the second body does not give."""
    add_both("/qos", {"QOS": [{"name": "rpyadd_q{}", "priority": 5, "usage_factor": 2.5,
                               "limits": {"max": {"wall_clock": {"per": {"job": 60}}}}}]},
             openapi_doc)
    add_both("/qos", {"QOS": [{"name": "rpyadd_q{}", "description": "e", "priority": 6,
                               "usage_threshold": 0.5}]}, openapi_doc)
    ref_shown, our_shown = (listed("qos", f"rpyadd_q{s}", QOS_FORMAT) for s in "ro")
    assert swapped(our_shown) == ref_shown
    assert "|6||01:00:00|" in our_shown and "2.500000|0.500000" in our_shown


@pytest.mark.cluster22
def test_tres_are_not_added(addable, openapi_doc):
    add_both("/tres", {"TRES": [{"type": "gres", "name": "rpyadd"}]}, openapi_doc, status=500)


@pytest.mark.cluster22
def test_config_adds_every_area_at_once(addable, openapi_doc):
    """Accounts, users and associations in one body, committed together (the
    reference wants every area and refuses TRES, so it never succeeds)."""
    body = {"accounts": [{"name": "rpyadd_cfg"}], "users": [{"name": "rpyadd_cfgu"}],
            "associations": [{"account": "rpyadd_cfg", "user": "", "parent_account": "root",
                              "cluster": "restcluster"},
                             {"account": "rpyadd_cfg", "user": "rpyadd_cfgu",
                              "cluster": "restcluster"}]}
    assert reference(DB + "/config", True, "POST", body).status == 400
    assert listed("account", "rpyadd_cfg") == ""
    data = checked(ours(DB + "/config", True, "POST", body), openapi_doc, DB + "/config", 200,
                   "post")
    assert data["errors"] == []
    assert listed("association", "account=rpyadd_cfg", "format=account,user").splitlines() == \
        ["rpyadd_cfg|", "rpyadd_cfg|rpyadd_cfgu"]


def test_config_with_tres_stores_nothing(addable, openapi_doc):
    body = {"accounts": [{"name": "rpyadd_cfg2"}], "TRES": []}
    data = checked(ours(DB + "/config", True, "POST", body), openapi_doc, DB + "/config", 500,
                   "post")
    assert data["errors"][0]["error_number"] == 2036
    assert listed("account", "rpyadd_cfg2") == ""


# ---- dbv0.0.37: what it answers differently from dbv0.0.38 ----
# (Where both versions answer alike, the tests above run in each.)

def qos_ids() -> dict:
    rows = listed("qos", "format=name,id").splitlines()
    return dict(row.split("|") for row in rows)


@pytest.mark.cluster22
def test_v37_association_qos_are_ids(openapi_doc):
    data = check_same(f"{DB37}/associations", openapi_doc)
    acct = next(a for a in data["associations"] if a["account"] == ACCOUNT and not a["user"])
    ids = qos_ids()
    assert sorted(acct["qos"]) == sorted([ids["normal"], ids[QOS]])
    assert all(isinstance(a["qos"], list) for a in data["associations"])


@pytest.mark.cluster22
@pytest.mark.parametrize("path", [
    "/associations?account=physics",  # no filters: every association
    "/association?user=alice",  # every match (no ambiguity check)
    "/association?user=bob&account=chem&cluster=restcluster",
    "/users?foo=1", "/user/alice?foo=1", "/accounts?with_deleted=no&x=1",
    "/account/physics?foo=1", "/qos?foo=1", "/config?user=bob",  # no query is read
])
def test_v37_reads(path, openapi_doc):
    data = check_same(DB37 + path, openapi_doc, root="config" in path)
    assert data["errors"] == []


def test_v37_association_lists_every_user():
    data = ours(f"{DB37}/associations?user=bob").json()
    assert {a["user"] for a in data["associations"]} >= {"alice", "bob"}
    data = ours(f"{DB37}/association?user=alice").json()
    assert len(data["associations"]) > 1


@pytest.mark.cluster22
@pytest.mark.parametrize("path", ["/association?account=physics%2Cchem",  # one value, as given
                                  "/association?user=ALICE"])
def test_v37_association_filters_are_exact(path, openapi_doc):
    ref, our = both(DB37 + path)
    od = checked(our, openapi_doc, DB37 + path, 200)
    if ref.status == 500:  # the reference's "Nothing found"
        assert od["associations"] == [] and ref.json()["errors"][0]["error_number"] == 9003
    else:
        assert ordered(od) == ordered(ref.json())


@pytest.mark.parametrize("db,method,path", [
    *((DB37, "GET", p) for p in ("/job/abc", "/job/1.x", "/job/1_x", "/job/1.batch")),
    (DB37, "POST", "/qos"), (DB37, "DELETE", "/associations"),
    (DB36, "POST", "/qos"), (DB36, "DELETE", "/associations"), (DB36, "POST", "/associations"),
])
def test_v37_v36_not_served(db, method, path):
    body = {} if method == "POST" else None
    ref, our = (side(db + path, method=method, body=body) for side in (reference, ours))
    assert (our.status, our.body) == (ref.status, ref.body)
    assert our.status in (404, 405)


@pytest.mark.cluster22
def test_v37_job_id_is_an_integer(jobs, openapi_doc):
    job_id = jobs["rpydb_ok"]
    # Half to even: rpydb_ok, or rpydb_fail submitted after it.
    for path, shown in ((f"/job/{job_id}.4", ["rpydb_ok"]), (f"/job/{job_id}.0", ["rpydb_ok"]),
                        (f"/job/{job_id}.5", [["rpydb_ok"], ["rpydb_fail"]][job_id % 2])):
        data = check_same(DB37 + path, openapi_doc)
        assert names(data["jobs"]) == shown


def test_v37_jobs_are_v38_jobs_without_container(jobs):
    """Ours: the same records in both versions but for `container` (and an
    unknown association, null in dbv0.0.37; none here)."""
    for job_id in jobs.values():
        new, old = (ours(f"{db}/job/{job_id}").json()["jobs"] for db in (DB, DB37))
        for job in new:
            del job["container"]
        assert ordered(old) == ordered(new)


@pytest.mark.cluster22
def test_v37_node_filter_wants_a_cluster(jobs, openapi_doc):
    """Without a default cluster, slurmdbd takes no node filter: nothing found."""
    check_empty(f"{DB37}/jobs?job_name=rpydb_ok&node=vm", openapi_doc, "jobs", "slurmdb_jobs_get")
    data = check_same(f"{DB37}/jobs?job_name=rpydb_ok&node=vm&cluster=restcluster", openapi_doc)
    assert set(names(data["jobs"])) == {"rpydb_ok"}


@pytest.mark.cluster22
def test_v37_state_filter_by_name(jobs, openapi_doc):
    """The reference passes state names to slurmdbd unconverted, which reads
    them as 0 (PENDING): COMPLETED finds no completed job. Ours converts
    them, as dbv0.0.38 (README). Numbers work alike."""
    q = "job_name=rpydb_ok%2Crpydb_fail&start_time=2020-01-01&end_time=now"
    ref = reference(f"{DB37}/jobs?{q}&state=COMPLETED")
    # Every job was PENDING once in the window: the failed ones are listed too.
    assert ref.status == 200 and set(names(ref.json()["jobs"])) == {"rpydb_ok", "rpydb_fail"}
    data = checked(ours(f"{DB37}/jobs?{q}&state=COMPLETED"), openapi_doc, f"{DB37}/jobs", 200)
    assert set(names(data["jobs"])) == {"rpydb_ok"}
    data = check_same(f"{DB37}/jobs?{q}&state=3", openapi_doc)
    assert set(names(data["jobs"])) == {"rpydb_ok"}


# dbv0.0.37 writes (as root), with names of their own: _r for the reference, _o for ours.

V37 = {"user": ["rpy37_ur", "rpy37_uo", "rpy37_cfgu"],
       "account": ["rpy37_r", "rpy37_o", "rpy37_xr", "rpy37_xo", "rpy37_cfg"],
       "cluster": ["rpy37_cr", "rpy37_co"]}


def _remove_v37():
    sacctmgr("delete", "user", "root", "wckey=rpy37_wr,rpy37_wo", check=False)
    for kind, names in V37.items():  # users first
        sacctmgr("delete", kind, ",".join(names), check=False)


@pytest.fixture(scope="module")
def v37_objects():
    _remove_v37()
    try:
        sacctmgr("add", "account", "rpy37_r,rpy37_o", "description=d", "organization=o")
        yield
    finally:
        _remove_v37()


@pytest.mark.cluster22
@pytest.mark.parametrize("path,template,shown", [
    ("/users", {"users": [{"name": "rpy37_u{}", "default": {"account": "rpy37_{}"},
                           "administrator_level": "Operator",
                           "associations": [{"account": "rpy37_{}", "user": "rpy37_u{}",
                                             "cluster": "restcluster"}]}]},
     ("association", "user=rpy37_u{}", "format=cluster,account,user")),
    ("/accounts", {"accounts": [{"name": "rpy37_x{}", "description": "d",
                                 "organization": "o"}]},
     ("account", "rpy37_x{}", "format=account,description,organization")),
    ("/associations", {"associations": [{
        "account": "rpy37_{}", "user": "bob", "cluster": "restcluster", "priority": 3,
        "shares_raw": 2, "max": {"jobs": {"active": 5, "total": 9},
                                 "tres": {"per": {"job": [{"type": "cpu", "count": 2}]}}}}]},
     ("association", "account=rpy37_{}", "user=bob", ASSOC_FORMAT)),
    ("/wckeys", {"wckeys": [{"name": "rpy37_w{}", "user": "root", "cluster": "restcluster",
                             "id": 0}]}, ("wckey", "rpy37_w{}", "format=wckey,cluster,user")),
    ("/clusters", {"clusters": [{"name": "rpy37_c{}"}]},
     ("cluster", "rpy37_c{}", "format=cluster,controlhost,controlport,flags")),
])
def test_v37_addition_as_the_reference_adds(path, template, shown, v37_objects, openapi_doc):
    od = add_both(path, template, openapi_doc, db=DB37)
    assert od["errors"] == []
    ref_shown, our_shown = (listed(*(a.replace("{}", s) for a in shown)) for s in "ro")
    assert our_shown and swapped(our_shown, "rpy37_") == ref_shown


@pytest.mark.cluster22
def test_v37_association_added_not_changed(v37_objects, openapi_doc):
    """An association posted again is left as it was (dbv0.0.38 changes it);
    its QOS are given by name and stored as slurmdbd's ids (the reference
    stores the names unconverted)."""
    key = {"account": "rpy37_o", "user": "alice", "cluster": "restcluster"}
    for priority in (4, 6):
        data = checked(ours(DB37 + "/associations", True, "POST", {"associations": [
            {**key, "priority": priority, "qos": ["normal"]}]}), openapi_doc,
            DB37 + "/associations", 200, "post")
        assert data["errors"] == []
    assert listed("association", "account=rpy37_o", "user=alice",
                  "format=account,user,priority,qos") == "rpy37_o|alice|4|normal"


@pytest.mark.cluster22
def test_v37_association_removal(v37_objects, openapi_doc):
    """DELETE /association: every association the (required) account and
    user select."""
    # (The users may be there already, from the additions.)
    sacctmgr("add", "user", "rpy37_ur", "account=rpy37_r", check=False)
    sacctmgr("add", "user", "rpy37_uo", "account=rpy37_o", check=False)
    ref = reference(f"{DB37}/association?account=rpy37_r&user=rpy37_ur", True, "DELETE")
    data = checked(ours(f"{DB37}/association?account=rpy37_o&user=rpy37_uo", True, "DELETE"),
                   openapi_doc, f"{DB37}/association", 200, "delete")
    assert ref.status == 200 and ref.json()["errors"] == data["errors"] == []
    assert [swapped(n, "rpy37_") for n in data["removed_associations"]] == \
        ref.json()["removed_associations"]
    assert listed("association", "user=rpy37_ur") == listed("association", "user=rpy37_uo") == ""
    # Without a user the reference sends slurmdbd a NULL name; ours refuses.
    data = checked(ours(f"{DB37}/association?account=rpy37_o", True, "DELETE"), openapi_doc,
                   f"{DB37}/association", 400, "delete")
    assert data["errors"][0]["description"] == "account and user are required"


def test_v37_config_adds_every_area_at_once(v37_objects, openapi_doc):
    body = {"accounts": [{"name": "rpy37_cfg", "description": "d", "organization": "o"}],
            "users": [{"name": "rpy37_cfgu"}],
            "associations": [{"account": "rpy37_cfg", "user": "", "parent_account": "root",
                              "cluster": "restcluster"},
                             {"account": "rpy37_cfg", "user": "rpy37_cfgu",
                              "cluster": "restcluster"}]}
    data = checked(ours(DB37 + "/config", True, "POST", body), openapi_doc, DB37 + "/config",
                   200, "post")
    assert data["errors"] == []
    assert listed("association", "account=rpy37_cfg", "format=account,user").splitlines() == \
        ["rpy37_cfg|", "rpy37_cfg|rpy37_cfgu"]


# ---- dbv0.0.36: what it answers differently from dbv0.0.37 ----

@pytest.mark.cluster22
@pytest.mark.parametrize("path", [
    "/tres", "/qos", f"/qos/{QOS}", "/associations", "/association?user=bob", "/users",
    "/user/alice", "/accounts", f"/account/{ACCOUNT}", "/clusters",
])
def test_v36_reads(path, openapi_doc):
    data = check_same(DB36 + path, openapi_doc)
    assert data["errors"] == []


@pytest.mark.cluster22
def test_v36_records(jobs, openapi_doc):
    [q] = check_same(f"{DB36}/qos/{QOS}", openapi_doc)["QOS"]
    # max_jobs_pu (3) where later versions show max_submit_jobs_pu (8)
    assert q["limits"]["max"]["jobs"] == {"per": {"account": None, "user": 3}}
    assert list(q["limits"]) == ["grace_time", "max", "min"]
    acct = next(a for a in check_same(f"{DB36}/associations", openapi_doc)["associations"]
                if a["account"] == ACCOUNT and not a["user"])
    assert "is_default" not in acct and set(acct["max"]["jobs"]) == {"per"}
    [job] = check_same(f"{DB36}/job/{jobs['rpydb_ok']}", openapi_doc)["jobs"]
    assert job["state"] == {"current": "COMPLETED", "previous": "None"}



@pytest.mark.cluster22
def test_v36_diag_as_root(openapi_doc):
    """The reference answers 500 with the whole body and no error (a fault:
    its users list counts as a failure); ours 200."""
    ref, our = both(f"{DB36}/diag", root=True)
    assert ref.status == 500 and ref.json()["errors"] == []
    od = checked(our, openapi_doc, f"{DB36}/diag", 200)
    assert list(od["statistics"]) == list(ref.json()["statistics"])


@pytest.mark.cluster22
def test_v36_user_removal(v37_objects, openapi_doc):
    """The reference never removes a user (400, nothing done); ours does."""
    sacctmgr("add", "user", "rpy37_ur,rpy37_uo", "account=rpy37_r", check=False)
    ref = reference(f"{DB36}/user/rpy37_ur", True, "DELETE")
    assert ref.status == 400 and listed("user", "rpy37_ur", "format=user") == "rpy37_ur"
    data = checked(ours(f"{DB36}/user/rpy37_uo", True, "DELETE"), openapi_doc,
                   f"{DB36}/user/rpy37_uo", 200, "delete")
    assert data["removed_users"] == ["rpy37_uo"]
    assert listed("user", "rpy37_uo", "format=user") == ""
