"""POST /job/submit, POST /job/{job_id} and DELETE /job/{job_id}: the same
requests sent to the reference and to slurmrestd-py must make the same jobs.

Both daemons run in inet mode with rest_auth/jwt as a dedicated unprivileged
user (`slurmrestd`: neither root, SlurmUser nor the token's user), from the
same working directory, with alice's token: every job must be alice's. The
resulting jobs are compared field by field (`scontrol show job -o`), and
their environment and script as slurmctld stored them, except ids and times.
Jobs are submitted held (unless the case is about running) and cancelled at
the end of the module.

Known differences, asserted as such: the reference ignores `"requeue":
false`; it answers 200 to an update it cannot parse; its error descriptions
name its connection ("from fd:0->fd:1").

Submissions and updates are compared under v0.0.38 and v0.0.37 (`api`),
with the properties spelled as each version spells them (`spelled`).
"""
from __future__ import annotations

import glob
import json
import os
import re
import struct
import subprocess
import time

import pytest

from conftest import (API, APIS, APIS_36, OURS, REFERENCE, ROOT22, TIMEOUT, V36, assert_no_traceback,
                      in_api, parse_responses, reference_args, req, run_ours, run_reference,
                      validate)

DAEMON_USER = "slurmrestd"
WORKDIR = "/tmp"
SUBMIT = f"{API}/job/submit"
JOB = f"{API}/job/{{job_id}}"
ENV = {"PATH": "/bin:/usr/bin", "LANG": "C"}
SCRIPT = "#!/bin/sh\nsleep 600\n"
# Fields that move between two submissions, or with scheduling.
VOLATILE = {"JobId", "SubmitTime", "EligibleTime", "AccrueTime", "LastSchedEval", "StartTime",
            "EndTime", "RunTime", "AllocNode:Sid", "HetJobId", "HetJobIdSet", "ArrayJobId",
            "Priority"}
# What starting resolves (the minimal job may start under one daemon's
# submission while the other's still waits for the shared node).
RUNNING = {"JobState", "Reason", "NodeList", "BatchHost", "SchedNodeList", "Deadline",
           "Scheduler", "TimeLimit", "NumNodes", "TRES"}


# ---- running the daemons with JWT ----

def ensure_daemon_user() -> None:
    if subprocess.run(["id", DAEMON_USER], capture_output=True).returncode != 0:
        subprocess.run(["useradd", "-r", "-M", "-s", "/usr/sbin/nologin", DAEMON_USER],
                       check=True)


def slurm_token(user: str, lifespan: int = 900) -> str:
    out = subprocess.run(["scontrol", "token", f"username={user}", f"lifespan={lifespan}"],
                         capture_output=True, text=True, check=True, timeout=60).stdout
    return out.strip().split("=", 1)[1]


def jwt_headers(user: str | None, token: str | None) -> list[tuple[str, str]]:
    headers = []
    if user is not None:
        headers.append(("X-SLURM-USER-NAME", user))
    if token is not None:
        headers.append(("X-SLURM-USER-TOKEN", token))
    return headers


def request(method: str, path: str, body=None, headers=(), close: bool = True) -> bytes:
    data = None
    hs = list(headers)
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        hs.append(("Content-Type", "application/json"))
    return req(method, path, hs, data, close=close)


def run_jwt(data: bytes, ours: bool, runas: str = DAEMON_USER, env=None, args=None):
    """One inet-mode connection to either daemon with rest_auth/jwt (the
    reference serving the version of the request's path).
    Returns (exit status, responses, stderr)."""
    if ours:
        cmd = [OURS, *(args or ("-a", "jwt"))]
        envs = {"SLURMRESTD_LOG_STDERR": "1"}
    else:
        version = reference_args(data.split(b" ", 2)[1].decode())[-1]
        cmd = [REFERENCE, *(args or ("-a", "rest_auth/jwt", "-s", version))]
        envs = {"SLURM_JWT": "daemon"}
    envs.update(env or {})
    prefix = [] if runas == "root" else ["runuser", "-u", runas, "--"]
    if not ours and ROOT22:
        prefix = ["chroot", ROOT22, *prefix]
    proc = subprocess.run([*prefix, "env", *(f"{k}={v}" for k, v in envs.items()), *cmd],
                          input=data, capture_output=True, cwd=WORKDIR, timeout=TIMEOUT)
    responses, _, _ = parse_responses(proc.stdout, reference=not ours)
    return proc.returncode, responses, proc.stderr


def one(data: bytes, ours: bool, **kw):
    code, responses, stderr = run_jwt(data, ours, **kw)
    assert len(responses) == 1, (code, responses, stderr[-2000:])
    if ours:
        assert_no_traceback(responses[0].body)
    return responses[0]


# ---- what slurmctld made of a job ----

def job_records(job_id: int) -> dict[str, dict[str, str]]:
    """`scontrol show job -o` of a job (all components), by het offset, with
    each record's own id written as JID."""
    out = subprocess.run(["scontrol", "show", "job", "-o", str(job_id)], capture_output=True,
                         text=True, timeout=60).stdout
    records = {}
    for line in out.strip().splitlines():
        own = re.search(r"\bJobId=(\d+)", line).group(1)
        # Whole numbers only: a small id (a fresh cluster's) is also a digit
        # of other values.
        own_id = re.compile(rf"(?<!\d){own}(?!\d)")
        fields = {m.group(1): own_id.sub("JID", m.group(2).strip())
                  for m in re.finditer(r"(\S+?)=(.*?)(?= \S+?=|$)", line)}
        offset = fields.get("HetJobOffset", fields.get("ArrayTaskId", "0"))
        records[offset] = fields
    return records


def job_ids(job_id: int) -> list[str]:
    out = subprocess.run(["scontrol", "show", "job", "-o", str(job_id)], capture_output=True,
                         text=True, timeout=60).stdout
    return re.findall(r"\bJobId=(\d+)", out)


def spool(job_id: str, name: str) -> bytes | None:
    found = glob.glob(f"/var/spool/slurmctld/hash.*/job.{job_id}/{name}")
    return open(found[0], "rb").read() if found else None


def job_environment(job_id: str) -> list[str] | None:
    data = spool(job_id, "environment")
    if data is None:
        return None
    count = struct.unpack("<I", data[:4])[0]
    env = [e.decode() for e in data[4:].split(b"\0") if e]
    assert len(env) == count
    return sorted(env)


def differences(ref_id: int, our_id: int, ignore=()) -> list[str]:
    """What differs between two jobs (all components), besides ids and times.

    The scheduler updates some fields (Reason, ...) a moment after a change,
    one job before the other: the two get a few seconds to agree."""
    for _ in range(15):
        out = _differences(ref_id, our_id, ignore)
        if not out:
            return out
        time.sleep(0.3)
    return out


# Reasons that only say where an eligible job stands in the queue: two
# identical jobs get different ones by their order, not by their properties.
QUEUE_POSITION = {"None", "Priority", "Resources"}


def _comparable(records: dict) -> dict:
    return {offset: {**r, "Reason": "(queued)"} if r.get("Reason") in QUEUE_POSITION else r
            for offset, r in records.items()}


def _differences(ref_id: int, our_id: int, ignore) -> list[str]:
    skip = VOLATILE | set(ignore)
    a, b = _comparable(job_records(ref_id)), _comparable(job_records(our_id))
    out = [] if set(a) == set(b) else [f"components {sorted(a)} vs {sorted(b)}"]
    for offset in sorted(set(a) & set(b)):
        for key in sorted(set(a[offset]) | set(b[offset])):
            if key not in skip and a[offset].get(key) != b[offset].get(key):
                out.append(f"[{offset}] {key}: {a[offset].get(key)!r} vs {b[offset].get(key)!r}")
    for ra, rb in zip(job_ids(ref_id), job_ids(our_id)):
        if job_environment(ra) != job_environment(rb):
            out.append(f"environment of {ra} vs {rb}: "
                       f"{set(job_environment(ra) or ()) ^ set(job_environment(rb) or ())}")
        if spool(ra, "script") != spool(rb, "script"):
            out.append(f"script of {ra} vs {rb}")
    return out


def scancel(*ids) -> None:
    ids = [str(i) for i in ids if i]
    if ids:
        subprocess.run(["scancel", *ids], capture_output=True, timeout=60)


# ---- fixtures ----

@pytest.fixture(scope="module")
def tokens():
    ensure_daemon_user()
    return {u: slurm_token(u) for u in ("alice", "bob")}


@pytest.fixture(scope="module")
def created():
    jobs: list = []
    yield jobs
    scancel(*jobs)


def submit_both(tokens, created, body, user="alice", api=API):
    """The same submission to both daemons: (reference answer, our answer)."""
    data = request("POST", in_api(SUBMIT, api), body, jwt_headers(user, tokens[user]))
    answers = []
    for ours in (False, True):
        resp = one(data, ours)
        if resp.status == 200:
            created.append(resp.json()["job_id"])
        answers.append(resp)
    return answers


def check_ours(doc, resp, path: str, method: str, api=API) -> None:
    assert resp.content_type == "application/json", resp
    validate(doc, (in_api(path, api), method, resp.status), resp.body)


# v0.0.37's spellings of v0.0.38's properties (None: it has no such property).
V37_NAMES = {"cpu_binding_hint": "cpu_binding hint", "mcs_label": "msc_label",
             "time_minimum": "time minimum", "container": None, "prefer": None,
             "oversubscribe": None}


V36_NAMES = {**V37_NAMES, "priority": None}


def spelled(body, api):
    """A submission or update body (written for v0.0.38) as `api` spells it."""
    if api == API or not isinstance(body, dict):
        return body
    if "script" in body:
        return {k: ([spelled(j, api) for j in v] if k == "jobs" else spelled(v, api))
                if k in ("job", "jobs") else v for k, v in body.items()}
    names = V36_NAMES if api == V36 else V37_NAMES
    return {names.get(k, k): v for k, v in body.items() if names.get(k, k)}


def without(d: dict, *keys) -> dict:
    return {k: v for k, v in d.items() if k not in keys}


# ---- submissions the reference accepts ----

HELD = {"environment": ENV, "hold": True}

ACCEPTED = {
    "minimal": {"script": SCRIPT, "job": {"environment": ENV}},
    "many_properties": {"script": SCRIPT, "job": {
        **HELD, "name": "many", "partition": "long", "account": "chem", "qos": "normal",
        "time_limit": 30, "time_minimum": "10", "tasks": 2, "cpus_per_task": 1, "nodes": "1",
        "memory_per_cpu": 50, "comment": "twenty and more properties",
        "current_working_directory": "/tmp", "standard_output": "/tmp/rpy-out-%j",
        "standard_error": "/tmp/rpy-err-%j", "standard_input": "/dev/null",
        "licenses": "matlab:1", "mail_type": "END,FAIL", "mail_user": "alice@example.com",
        "nice": 10, "begin_time": "now+1hour", "requeue": True, "exclusive": "user",
        "kill_on_invalid_dependency": True, "open_mode": "append", "signal": "USR1@60",
        "delay_boot": 5, "tasks_per_node": 2, "minimum_cpus_per_node": 1,
        "temporary_disk_per_node": "10M", "spread_job": True, "profile": "task",
        "distribution": "block", "deadline": "2035-01-01T00:00:00", "cpu_frequency": "low",
        "account_gather_frequency": "task=30", "get_user_environment": "10L",
        "wait_all_nodes": 0, "cpu_binding_hint": "compute_bound", "umask": "022",
        "gres_flags": "enforce-binding", "memory_binding": "local", "no_kill": "set",
        "dependency": "", "wckey": "", "constraints": "", "prefer": ""}},
    "array": {"script": SCRIPT, "job": {**HELD, "array": "1-4%2", "name": "arr"}},
    "heterogeneous": {"script": SCRIPT, "jobs": [
        {**HELD, "name": "het0", "tasks": 1},
        {**HELD, "name": "het1", "partition": "long", "memory_per_cpu": 20, "tasks": 2}]},
    "memory_per_node": {"script": SCRIPT, "job": {**HELD, "memory_per_node": "1G",
                                                  "cpus_per_task": 2}},
    "conversions": {"script": SCRIPT, "job": {**HELD, "tasks": "2", "time_limit": "1:30:00",
                                              "comment": 1.5, "nice": None,
                                              "nodes": [1, 1], "priority": "TOP"}},
    "case_insensitive_keys": {"script": SCRIPT, "job": {"ENVIRONMENT": ENV, "Hold": True,
                                                        "Name": "cased", "cwd": "relative"}},
    "specialised_threads": {"script": SCRIPT, "job": {**HELD, "thread_specification": 1,
                                                      "distribution": "plane=2",
                                                      "oversubscribe": False,
                                                      "no_requeue": True}},
    # accepted, with an error entry listed all the same
    "negative_core_specification": {"script": SCRIPT, "job": {**HELD,
                                                              "core_specification": -1}},
}


@pytest.mark.cluster22
@pytest.mark.parametrize("case", list(ACCEPTED))
@pytest.mark.parametrize("api", APIS_36)
def test_accepted_submission_makes_the_same_job(tokens, created, openapi_doc, case, api):
    ref, ours = submit_both(tokens, created, spelled(ACCEPTED[case], api), api=api)
    assert (ref.status, ours.status) == (200, 200), (ref.body, ours.body)
    check_ours(openapi_doc, ours, SUBMIT, "post", api)
    a, b = ref.json(), ours.json()
    assert without(a, "job_id") == without(b, "job_id")
    assert b["step_id"] == "BATCH"
    ignore = RUNNING if case == "minimal" else ()
    assert differences(a["job_id"], b["job_id"], ignore) == []
    # owned by the token's user, not by the daemon's
    for record in job_records(b["job_id"]).values():
        assert record["UserId"].startswith("alice(")
        if "hold" in json.dumps(ACCEPTED[case]).lower():
            assert record["Priority"] == "0" and record["Reason"] == "JobHeldUser"


def test_many_properties_really_set_twenty_or_more():
    assert len(ACCEPTED["many_properties"]["job"]) >= 20


# ---- submissions the reference rejects ----

REJECTED = {
    # slurmctld refuses it
    "unknown_partition": ({"script": SCRIPT, "job": {**HELD, "partition": "nope"}}, 500),
    "invalid_license": ({"script": SCRIPT, "job": {**HELD, "licenses": "nope:1"}}, 500),
    "unknown_account": ({"script": SCRIPT, "job": {**HELD, "account": "nope"}}, 500),
    # the property layer refuses it
    "unknown_key": ({"script": SCRIPT, "job": {**HELD, "bogus": 1}}, 400),
    "disabled_key": ({"script": SCRIPT, "job": {**HELD, "reboot": True}}, 400),
    "bad_time": ({"script": SCRIPT, "job": {**HELD, "time_limit": "abc"}}, 400),
    "bad_tasks": ({"script": SCRIPT, "job": {**HELD, "tasks": True}}, 400),
    "batch_signal": ({"script": SCRIPT, "job": {**HELD, "signal": "B:USR1@30"}}, 400),
    "boolean_exclusive": ({"script": SCRIPT, "job": {**HELD, "exclusive": True}}, 400),
    "unconfigured_gres": ({"script": SCRIPT, "job": {**HELD, "gres": "gpu:1"}}, 400),
    "nested_environment": ({"script": SCRIPT, "job": {**HELD, "environment": {"A": {}}}},
                           400),
    "three_node_counts": ({"script": SCRIPT, "job": {**HELD, "nodes": [1, 2, 3]}}, 400),
    "no_environment": ({"script": SCRIPT, "job": {"hold": True}}, 400),
    "bad_second_component": ({"script": SCRIPT, "jobs": [HELD, {**HELD, "bogus": 1}]}, 400),
    # the request itself
    "no_job": ({"script": SCRIPT}, 400),
    "job_not_an_object": ({"script": SCRIPT, "job": "x"}, 400),
    "no_script": ({"job": HELD}, (500, 400)),  # the reference's 500 for a client's error
    "no_components": ({"script": SCRIPT, "jobs": []}, 500),
}
# What v0.0.37 alone refuses: v0.0.38's spellings, oversubscribe (disabled),
# and a value it cannot process (described as an unknown key).
REJECTED_V37 = {
    "v38_spelling": ({"script": SCRIPT, "job": {**HELD, "time_minimum": 5}}, 400),
    "prefer": ({"script": SCRIPT, "job": {**HELD, "prefer": "ghost"}}, 400),
    "oversubscribe": ({"script": SCRIPT, "job": {**HELD, "oversubscribe": True}}, 400),
    "bad_time_minimum": ({"script": SCRIPT, "job": {**HELD, "time minimum": "abc"}}, 400),
}
REJECTED_CASES = [(API, case) for case in REJECTED] + \
    [("/slurm/v0.0.37", case) for case in [*REJECTED, *REJECTED_V37]]


@pytest.mark.cluster22
@pytest.mark.parametrize("api, case", REJECTED_CASES)
def test_rejected_submission_gets_the_same_errors(tokens, created, openapi_doc, api, case):
    body, status = REJECTED[case] if case in REJECTED else REJECTED_V37[case]
    ref, ours = submit_both(tokens, created, body, api=api)
    expected = status if isinstance(status, tuple) else (status, status)  # (reference, ours)
    assert (ref.status, ours.status) == expected, (ref.body, ours.body)
    check_ours(openapi_doc, ours, SUBMIT, "post", api)
    assert ref.json() == ours.json()
    assert "job_id" not in ours.json() and ours.json()["errors"]


# v0.0.36 says what failed in entries of its own shape; the texts differ
# (the reference's name its C functions), the status does not, but for the
# script (as in v0.0.38).
# (An unconfigured GRES crashes the v0.0.36 reference: test_v0_0_36_gres.)
V36_REJECTED = [*(c for c in REJECTED if c != "unconfigured_gres"), "priority",
                "bad_standard_out"]


@pytest.mark.cluster22
@pytest.mark.parametrize("case", V36_REJECTED)
def test_v0_0_36_rejected_submission(tokens, created, openapi_doc, case):
    body, status = REJECTED.get(case) or {
        "priority": ({"script": SCRIPT, "job": {**HELD, "priority": 5}}, 400),
        "bad_standard_out": ({"script": SCRIPT, "job": {**HELD, "standard_out": {}}}, 400),
    }[case]
    ref, ours = submit_both(tokens, created, body, api=V36)
    expected = status if isinstance(status, tuple) else (status, status)
    assert (ref.status, ours.status) == expected, (ref.body, ours.body)
    check_ours(openapi_doc, ours, SUBMIT, "post", V36)
    for entry in ours.json()["errors"]:
        assert set(entry) == {"error", "error_code"}, entry
    assert {tuple(sorted(e)) for e in ref.json()["errors"]} <= \
        {("error",), ("error", "error_code")}
    assert "job_id" not in ours.json() and ours.json()["errors"]


@pytest.mark.cluster22
def test_v0_0_36_gres(tokens, openapi_doc):
    """The v0.0.36 reference dies on an unconfigured GRES (no answer); ours
    refuses it as v0.0.38 does."""
    body, _ = REJECTED["unconfigured_gres"]
    data = request("POST", in_api(SUBMIT, V36), body, jwt_headers("alice", tokens["alice"]))
    code, responses, _ = run_jwt(data, False)
    assert (code, responses) == (139, [])  # SIGSEGV
    ours = one(data, True)
    assert ours.status == 400
    check_ours(openapi_doc, ours, SUBMIT, "post", V36)
    errors = ours.json()["errors"]
    assert errors and all(set(e) == {"error", "error_code"} for e in errors), errors


@pytest.mark.cluster22
def test_v0_0_36_names_nameless_submissions_only(tokens, created, update_pair, openapi_doc):
    """A nameless v0.0.36 submission is named "openapi" by both; an update
    renames the job "openapi" in the reference only (its fault)."""
    ref, ours = submit_both(tokens, created, {"script": SCRIPT, "job": HELD}, api=V36)
    assert ref.status == ours.status == 200
    for answer in (ref, ours):
        assert job_records(answer.json()["job_id"])["0"]["JobName"] == "openapi"
    assert differences(ref.json()["job_id"], ours.json()["job_id"]) == []
    ref_id, our_id = update_pair
    headers = jwt_headers("alice", tokens["alice"])
    try:
        ref = one(request("POST", f"{V36}/job/{ref_id}", {"comment": "v36"}, headers), False)
        ours = one(request("POST", f"{V36}/job/{our_id}", {"comment": "v36"}, headers), True)
        assert ref.status == ours.status == 200, (ref.body, ours.body)
        check_ours(openapi_doc, ours, JOB, "post", V36)
        assert (job_records(ref_id)["0"]["JobName"], job_records(our_id)["0"]["JobName"]) == \
            ("openapi", "upd")
        assert differences(ref_id, our_id, ignore={"JobName"}) == []
    finally:
        subprocess.run(["scontrol", "update", f"jobid={ref_id}", "name=upd"], timeout=60)


# ---- where the reference is wrong ----

@pytest.mark.cluster22
def test_requeue_false_is_honoured(tokens, created, openapi_doc):
    ref, ours = submit_both(tokens, created, {"script": SCRIPT,
                                              "job": {**HELD, "requeue": False}})
    assert (ref.status, ours.status) == (200, 200)
    check_ours(openapi_doc, ours, SUBMIT, "post")
    a, b = ref.json()["job_id"], ours.json()["job_id"]
    assert job_records(a)["0"]["Requeue"] == "1"  # the reference ignores the value
    assert job_records(b)["0"]["Requeue"] == "0"
    assert differences(a, b, ignore={"Requeue"}) == []


def test_properties_that_crash_the_reference_work(tokens, created, openapi_doc):
    # The reference frees argv (and batch_features) twice and dies.
    body = {"script": SCRIPT, "job": {**HELD, "argv": ["one", "two"]}}
    data = request("POST", SUBMIT, body, jwt_headers("alice", tokens["alice"]))
    ours = one(data, True)
    assert ours.status == 200, ours.body
    created.append(ours.json()["job_id"])
    check_ours(openapi_doc, ours, SUBMIT, "post")
    # slurmctld shows a batch job's arguments as Command (22.05 all of them,
    # 24.11 the first): as for sbatch's job given the same arguments.
    path = f"{WORKDIR}/rpy_argv.sh"
    with open(path, "w") as f:
        f.write(SCRIPT)
    try:
        out = subprocess.run(["runuser", "-u", "alice", "--", "sbatch", "--parsable", "--hold",
                              "-o", "/dev/null", path, "two"], capture_output=True, text=True,
                             check=True, timeout=TIMEOUT).stdout
    finally:
        os.unlink(path)
    sbatch_id = int(out.split(";")[0])
    created.append(sbatch_id)
    expected = job_records(sbatch_id)["0"]["Command"].replace(path, "one")
    assert job_records(ours.json()["job_id"])["0"]["Command"] == expected


# ---- local authentication submits as the peer ----

@pytest.mark.cluster22
def test_local_auth_submission_is_the_peers(created, openapi_doc):
    body = json.dumps({"script": SCRIPT, "job": {**HELD, "name": "local"}}).encode()
    data = req("POST", SUBMIT, [("Content-Type", "application/json")], body, close=True)
    ref = run_reference(data).response
    ours = run_ours(data).response
    assert (ref.status, ours.status) == (200, 200), (ref.body, ours.body)
    created.extend([ref.json()["job_id"], ours.json()["job_id"]])
    check_ours(openapi_doc, ours, SUBMIT, "post")
    b = job_records(ours.json()["job_id"])
    assert b["0"]["UserId"].startswith("alice(")
    assert differences(ref.json()["job_id"], ours.json()["job_id"]) == []


# ---- updates ----

UPDATES = [
    {"comment": "updated", "time_limit": 30},
    {"hold": False},
    {"hold": True},
    {"partition": "long"},
    {"nice": 10},
    {"time_limit": "2:00:00", "qos": "normal"},
    {"dependency": "afterok:1"},
    {"account": "chem"},
    {"licenses": "fluent:1"},
    {"nodes": "1"},
    {"tasks": 2},
    {"memory_per_cpu": 200},
    {"no_requeue": True},
    {"begin_time": "now+2hours"},
    {"standard_output": "/tmp/rpy-updated"},
    {},
]


@pytest.fixture(scope="module")
def update_pair(tokens, created):
    # In partition ghosts (its nodes are down) neither job can start while the
    # updates below release it, so both stay comparable.
    body = {"script": SCRIPT, "job": {**HELD, "name": "upd", "partition": "ghosts"}}
    ref, ours = submit_both(tokens, created, body)
    return ref.json()["job_id"], ours.json()["job_id"]


@pytest.mark.cluster22
@pytest.mark.parametrize("update", UPDATES, ids=lambda u: "+".join(u) or "empty")
@pytest.mark.parametrize("api", APIS)
def test_update_has_the_same_effect(tokens, update_pair, openapi_doc, update, api):
    ref_id, our_id = update_pair
    headers = jwt_headers("alice", tokens["alice"])
    ref = one(request("POST", f"{api}/job/{ref_id}", update, headers), False)
    ours = one(request("POST", f"{api}/job/{our_id}", update, headers), True)
    assert ref.status == ours.status == 200, (ref.body, ours.body)
    check_ours(openapi_doc, ours, JOB, "post", api)
    assert ref.json() == ours.json()
    assert differences(ref_id, our_id) == []


@pytest.mark.cluster22
def test_update_refused_by_slurmctld_gets_the_same_error(tokens, created, update_pair,
                                                         openapi_doc):
    ref_id, our_id = update_pair
    bobs = submit_both(tokens, created, {"script": SCRIPT, "job": HELD}, user="bob")[0]
    bob_job = bobs.json()["job_id"]
    headers = jwt_headers("alice", tokens["alice"])
    for target, body in ((bob_job, {"comment": "not yours"}), (999999, {"comment": "x"}),
                         ("abc", {"comment": "x"}), (None, {"priority": 5})):
        ref = one(request("POST", f"{API}/job/{target or ref_id}", body, headers), False)
        ours = one(request("POST", f"{API}/job/{target or our_id}", body, headers), True)
        assert ref.status == ours.status == 500
        check_ours(openapi_doc, ours, JOB, "post")
        strip = [without(e, "description") for e in ref.json()["errors"]]
        assert strip == [without(e, "description") for e in ours.json()["errors"]]
    assert "Comment=not yours" not in subprocess.run(
        ["scontrol", "show", "job", str(bob_job)], capture_output=True, text=True).stdout


@pytest.mark.cluster22
@pytest.mark.parametrize("api", APIS)
def test_update_that_cannot_be_parsed_is_a_400(tokens, update_pair, openapi_doc, api):
    ref_id, our_id = update_pair
    headers = jwt_headers("alice", tokens["alice"])
    for body in ({"bogus": 1}, {"time_limit": "abc"}, []):
        ref = one(request("POST", f"{api}/job/{ref_id}", body, headers), False)
        ours = one(request("POST", f"{api}/job/{our_id}", body, headers), True)
        assert (ref.status, ours.status) == (200, 400)  # the reference says 200
        check_ours(openapi_doc, ours, JOB, "post", api)
        strip = [without(e, "description") for e in ref.json()["errors"]]
        assert strip == [without(e, "description") for e in ours.json()["errors"]]
    assert differences(ref_id, our_id) == []


def test_update_applies_name_and_mail_type(tokens, created, openapi_doc):
    # The reference drops both on update; ours applies them.
    data = request("POST", SUBMIT, {"script": SCRIPT, "job": {**HELD, "name": "before"}},
                   jwt_headers("alice", tokens["alice"]))
    job_id = one(data, True).json()["job_id"]
    created.append(job_id)
    ours = one(request("POST", f"{API}/job/{job_id}", {"name": "after", "mail_type": "END"},
                       jwt_headers("alice", tokens["alice"])), True)
    assert ours.status == 200
    record = job_records(job_id)["0"]
    assert record["JobName"] == "after" and record["MailType"] == "END"


# ---- signals ----

def _signal(job_id, query: str, tokens, ours: bool, user="alice", api=API):
    return one(request("DELETE", f"{api}/job/{job_id}{query}", None,
                       jwt_headers(user, tokens[user])), ours)


@pytest.mark.cluster22
@pytest.mark.parametrize("query,status", [
    ("?signal=BOGUS", 400), ("?signal=0", 400), ("?signal=99", 400), ("?signal=-3", 400),
    ("?signal=USR1", 500), ("?signal=10", 500), ("?signal=SIGUSR2", 500),
    ("?signal=usr1", 500),
])
@pytest.mark.parametrize("api", APIS)
def test_signal_a_pending_job(tokens, update_pair, openapi_doc, query, status, api):
    ref_id, our_id = update_pair
    ref = _signal(ref_id, query, tokens, False, api=api)
    ours = _signal(our_id, query, tokens, True, api=api)
    assert ref.status == ours.status == status
    check_ours(openapi_doc, ours, JOB, "delete", api)
    assert json.dumps(ref.json()).replace(str(ref_id), "J") == \
        json.dumps(ours.json()).replace(str(our_id), "J")


@pytest.mark.cluster22
def test_signal_another_users_job_is_refused(tokens, created, openapi_doc):
    bob_job = submit_both(tokens, created, {"script": SCRIPT, "job": HELD}, user="bob")[1]
    bob_id = bob_job.json()["job_id"]
    for ours in (False, True):
        resp = _signal(bob_id, "", tokens, ours)
        assert resp.status == 500
        assert [(e["error_number"], e["source"]) for e in resp.json()["errors"]] == \
            [(2002, "slurm_kill_job")]
    check_ours(openapi_doc, resp, JOB, "delete")
    assert job_records(bob_id)["0"]["JobState"] == "PENDING"


@pytest.mark.cluster22
def test_signal_running_jobs_then_cancel(tokens, created, openapi_doc):
    # The node has two CPUs: free them of this module's earlier jobs, and use
    # partition "long" (higher priority tier) to run ahead of anything waiting.
    scancel(*created)
    job = {"environment": ENV, "partition": "long"}
    ref, ours = submit_both(tokens, created, {"script": SCRIPT, "job": job})
    ids = {False: ref.json()["job_id"], True: ours.json()["job_id"]}
    for job_id in ids.values():
        subprocess.run(["scontrol", "update", f"jobid={job_id}", "priority=4294901800"],
                       check=True, timeout=60)
    deadline = time.time() + 120
    while time.time() < deadline and not all(
            job_records(i)["0"]["JobState"] == "RUNNING" for i in ids.values()):
        time.sleep(0.5)
    assert all(job_records(i)["0"]["JobState"] == "RUNNING" for i in ids.values()), \
        subprocess.run(["squeue"], capture_output=True, text=True).stdout
    for query in ("?signal=CONT", "?signal=18", "", "?signal=KILL"):
        answers = {o: _signal(i, query, tokens, o) for o, i in ids.items()}
        assert answers[False].status == answers[True].status == 200, answers
        assert answers[False].json() == answers[True].json()
        check_ours(openapi_doc, answers[True], JOB, "delete")
    for job_id in ids.values():
        for _ in range(100):
            if job_records(job_id)["0"]["JobState"] in ("CANCELLED", "COMPLETED", "FAILED"):
                break
            time.sleep(0.2)
        assert job_records(job_id)["0"]["JobState"] == "CANCELLED"
