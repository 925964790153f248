"""Job control in v0.0.40, v0.0.41 and v0.0.42: POST job/submit,
job/allocate (v0.0.41+), job/{job_id}; DELETE job/{job_id} and jobs/.

Writes are judged by what slurmctld holds afterwards (`scontrol show job
-o`). Every job is submitted held as alice and cancelled at the end of the
module. Our answers are validated against our document; the same requests
go to the Slurm 24.11 reference (tests/cluster24.sh) when it is there, and
the answers' keys, types, error entries and warnings, and the jobs each
cluster then holds, are compared.

Known difference: the reference's job/allocate waits for the allocation
(22.05's non-blocking call answers at once, with the job pending).
"""
from __future__ import annotations

import json
import subprocess

import pytest

from conftest import (ROOT24, json_of, one, reference24_doc, req, require_reference24,
                      run_ours, run_reference24, shape, validate)

PARSERS = ("v0.0.40", "v0.0.41", "v0.0.42")
SCRIPT = "#!/bin/sh\nsleep 600\n"
# What slurmctld keeps of a job's request, compared between the clusters.
HELD = ("JobName", "JobState", "Reason", "Priority", "TimeLimit", "TimeMin", "Comment",
        "Partition", "NumTasks", "Requeue", "MailType", "WorkDir", "Dependency")


def job(name: str, **extra) -> dict:
    return {"hold": True, "name": name, "environment": ["PATH=/bin:/usr/bin", "LANG=C"],
            "current_working_directory": "/tmp", **extra}


def call(method: str, path: str, body=None, reference: bool = False):
    """(status, data) of one request to ours (or the 24.11 reference)."""
    data = None if body is None else (body if isinstance(body, bytes)
                                      else json.dumps(body).encode())
    headers = [("Content-Type", "application/json")] if data is not None else []
    wire = req(method, path, headers, data, close=True)
    resp = one(run_reference24(wire) if reference else run_ours(wire))
    return resp.status, json_of(resp)


def show(job_id, reference: bool = False) -> dict:
    cmd = ["scontrol", "show", "job", "-o", str(job_id)]
    if reference:
        cmd = ["chroot", ROOT24, *cmd]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout
    fields = {}
    for token in out.split("\n")[0].split(" "):
        key, _, value = token.partition("=")
        if key and key not in fields:
            fields[key] = value
    return fields


SUBMITTED: list[tuple[bool, int]] = []


@pytest.fixture(scope="module", autouse=True)
def cancel_everything():
    yield
    for reference, job_id in SUBMITTED:
        cmd = ["scancel", str(job_id)]
        subprocess.run(["chroot", ROOT24, *cmd] if reference else cmd, capture_output=True,
                       timeout=60)


def submit(version: str, body: dict, reference: bool = False):
    status, data = call("POST", f"/slurm/{version}/job/submit", body, reference)
    if status == 200:
        SUBMITTED.append((reference, data["job_id"]))
    return status, data


def envelope_of(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "meta"}


# ---- ours, on the 22.05 cluster ----

@pytest.mark.parametrize("version", PARSERS)
def test_submit_update_cancel(version, openapi_doc):
    status, data = submit(version, {"script": SCRIPT, "job": job(
        f"jctl-{version}", time_limit={"set": True, "number": 30}, comment="first")})
    assert status == 200, data
    validate(openapi_doc, (f"/slurm/{version}/job/submit", "post", 200), data)
    assert data["step_id"] == "batch" and data["errors"] == []
    assert ("result" in data) == (version != "v0.0.42")
    # The held job's submission answers with slurmctld's "held" code as warnings.
    assert [w["source"] for w in data["warnings"]] == ["slurm_submit_batch_job()"] * 2
    held = show(data["job_id"])
    assert held["JobName"] == f"jctl-{version}" and held["TimeLimit"] == "00:30:00"
    assert held["Reason"] == "JobHeldUser" and held["Priority"] == "0"
    assert held["Comment"] == "first"

    path = f"/slurm/{version}/job/{data['job_id']}"
    status, upd = call("POST", path, {"name": "renamed", "comment": "second",
                                      "time_limit": 45})
    assert status == 200, upd
    validate(openapi_doc, (f"/slurm/{version}/job/{{job_id}}", "post", 200), upd)
    now = show(data["job_id"])
    assert (now["JobName"], now["Comment"], now["TimeLimit"]) == ("renamed", "second",
                                                                  "00:45:00")
    status, gone = call("DELETE", path)
    assert status == 200 and gone["errors"] == []
    validate(openapi_doc, (f"/slurm/{version}/job/{{job_id}}", "delete", 200), gone)
    assert show(data["job_id"])["JobState"] == "CANCELLED"


@pytest.mark.parametrize("version", PARSERS)
def test_script_inside_job_and_flag_lists(version):
    status, data = submit(version, {"job": job(
        "jctl-inside", script=SCRIPT, mail_type=["END", "FAIL"], open_mode=["APPEND"],
        requeue=False, tasks=2, priority=None, excluded_nodes=["ghost1"])})
    assert status == 200, data
    held = show(data["job_id"])
    assert held["MailType"] == "END,FAIL" and held["NumTasks"] == "2"
    assert held["Requeue"] == "0" and held["ExcNodeList"] == "ghost1"


@pytest.mark.parametrize("version", PARSERS)
def test_het_job(version):
    status, data = submit(version, {"script": SCRIPT, "jobs": [job("jctl-het0"),
                                                               job("jctl-het1")]})
    assert status == 200, data
    assert show(f"{data['job_id']}+1")["JobName"] == "jctl-het1"
    assert data["warnings"][0]["source"] == "slurm_submit_batch_het_job()"


@pytest.mark.parametrize("version", PARSERS)
def test_delete_jobs_filters(version, openapi_doc):
    a = submit(version, {"script": SCRIPT, "job": job(f"jctl-kill-a-{version}")})[1]["job_id"]
    b = submit(version, {"script": SCRIPT, "job": job(f"jctl-kill-b-{version}")})[1]["job_id"]
    status, data = call("DELETE", f"/slurm/{version}/jobs/",
                        {"job_name": f"jctl-kill-a-{version}"})
    assert status == 200 and data["status"] == [], data
    validate(openapi_doc, (f"/slurm/{version}/jobs/", "delete", 200), data)
    assert show(a)["JobState"] == "CANCELLED" and show(b)["JobState"] == "PENDING"
    status, data = call("DELETE", f"/slurm/{version}/jobs/",
                        {"jobs": [str(b), "999999"], "signal": "SIGKILL"})
    assert status == 200
    assert [(s["step_id"], s["job_id"]["set"], s["error"]["code"]) for s in data["status"]] \
        == [("999999", False, 2017)]
    assert show(b)["JobState"] == "CANCELLED"


@pytest.mark.parametrize("version", ("v0.0.41", "v0.0.42"))
def test_allocate(version, openapi_doc):
    status, data = call("POST", f"/slurm/{version}/job/allocate", {"job": job("jctl-alloc")})
    assert status == 200, data
    SUBMITTED.append((False, data["job_id"]))
    validate(openapi_doc, (f"/slurm/{version}/job/allocate", "post", 200), data)
    held = show(data["job_id"])
    assert held["JobName"] == "jctl-alloc" and held["BatchFlag"] == "0"


# Bad input: (what, method, path tail, body, status, error numbers, error sources)
BAD = [
    ("unknown key", "POST", "job/submit", {"script": SCRIPT, "job": job("jctl-bad", bogus=1)},
     200, [], []),
    ("wrong type", "POST", "job/submit",
     {"script": SCRIPT, "job": job("jctl-bad", time_limit="abc")}, 500, [9209],
     ["#/job/time_limit/"]),
    ("no script", "POST", "job/submit", {"job": job("jctl-bad")}, 422, [9000], ["_job_post"]),
    ("no job", "POST", "job/submit", {"script": SCRIPT}, 422, [9000], ["_job_post"]),
    ("empty", "POST", "job/submit", b"", 422, [9000], ["_job_post"]),
    ("no such job", "POST", "job/999999", {"comment": "x"}, 404, [2017],
     ["slurm_update_job2()"]),
    ("bad update", "POST", "job/999999", {"time_limit": "x"}, 500, [9209, 9000],
     ["#/time_limit/", "_job_post_update"]),
]


@pytest.mark.parametrize("version", PARSERS)
@pytest.mark.parametrize("case", BAD, ids=[c[0] for c in BAD])
def test_bad_input(version, case, openapi_doc):
    what, method, tail, body, status, numbers, sources = case
    path = f"/slurm/{version}/{tail}"
    got, data = call(method, path, body)
    if got == 200 and "job_id" in data:
        SUBMITTED.append((False, data["job_id"]))
    assert got == status, data
    # v0.0.41 and later refuse a value that is no number as a conversion failure.
    numbers = [9202 if n == 9209 and version != "v0.0.40" else n for n in numbers]
    assert [e["error_number"] for e in data["errors"]] == numbers
    assert [e["source"] for e in data["errors"]] == sources
    if what == "unknown key":
        assert data["warnings"][0] == {
            "description": 'Ignoring unknown field "bogus" of type 64 bit integer in '
                           "DATA_PARSER_JOB_DESC_MSG", "source": "#/job/bogus/"}


# ---- against the 24.11 reference ----

CONTROL_PATHS = ("job/submit", "job/allocate", "job/{job_id}", "jobs/")


def _resolve(doc: dict, node):
    while isinstance(node, dict) and "$ref" in node:
        node = doc["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _keys(doc: dict, schema) -> dict:
    """Property names at every level of an object schema (arrays: their items)."""
    schema = _resolve(doc, schema)
    if schema.get("type") == "array":
        return {"[]": _keys(doc, schema.get("items", {}))}
    props = schema.get("properties")
    if not props:
        return {}
    return {k: _keys(doc, v) for k, v in props.items()}


@pytest.mark.parametrize("version", PARSERS)
def test_document_as_reference(version, openapi_doc):
    ref = reference24_doc()
    for tail in CONTROL_PATHS:
        path = f"/slurm/{version}/{tail}"
        assert (path in openapi_doc["paths"]) == (path in ref["paths"]), path
        if path not in ref["paths"]:
            continue
        mine, theirs = openapi_doc["paths"][path], ref["paths"][path]
        methods = [m for m in theirs if m in ("get", "post", "delete")]
        if tail == "jobs/" or tail == "job/{job_id}":
            methods = [m for m in methods if m != "get"]  # GET: test_v40_jobs
        for m in methods:
            assert mine[m]["operationId"] == theirs[m]["operationId"]
            assert [p["name"] for p in mine[m].get("parameters", [])] == \
                [p["name"] for p in theirs[m].get("parameters", [])]
            ours_body, ours_resp = [_keys(openapi_doc, s) if s else None for s in (
                mine[m].get("requestBody", {}).get("content", {}).get(
                    "application/json", {}).get("schema"),
                mine[m]["responses"]["200"]["content"]["application/json"]["schema"])]
            ref_body, ref_resp = [_keys(ref, s) if s else None for s in (
                theirs[m].get("requestBody", {}).get("content", {}).get(
                    "application/json", {}).get("schema"),
                theirs[m]["responses"]["200"]["content"]["application/json"]["schema"])]
            assert _top(ours_resp) == _top(ref_resp), (path, m)
            if ref_body is not None:
                assert _flat(ours_body) == _flat(ref_body), (path, m)


def _top(keys: dict) -> list:
    return sorted(keys)


def _flat(keys: dict, prefix: str = "") -> set:
    """Key paths, two levels deep (the job description's keys and their parts)."""
    out = set()
    for k, v in keys.items():
        out.add(prefix + k)
        if prefix.count("/") < 2 and isinstance(v, dict):
            out |= _flat(v, f"{prefix}{k}/")
    return out


def _both(version: str, body: dict, tail: str = "job/submit", method: str = "POST"):
    require_reference24()
    out = []
    for reference in (True, False):
        if tail == "job/submit":
            out.append(submit(version, body, reference))
        else:
            out.append(call(method, f"/slurm/{version}/{tail}", body, reference))
    return out


SAME = [
    ("plain", {"script": SCRIPT, "job": job("jctl-same", time_limit={"set": True,
                                                                       "number": 30})}),
    ("numbers and lists", {"script": SCRIPT, "job": job(
        "jctl-same", time_limit=20, time_minimum="10", tasks=2, mail_type=["END"],
        requeue=False, comment="c", open_mode="APPEND")}),
    ("wrong types", {"script": SCRIPT, "job": {**job(
        "jctl-same", tasks="2", requeue="yes", excluded_nodes="ghost1"), "name": 5}}),
    ("unknown key", {"script": SCRIPT, "job": job("jctl-same", Comment="x", bogus=[1])}),
    ("numbers unset", {"script": SCRIPT, "job": job(
        "jctl-same", time_minimum={"set": False}, nice=10, begin_time={"set": True, "number": 0},
        required_switches=None)}),
    ("bad number", {"script": SCRIPT, "job": job("jctl-same", time_limit="abc")}),
    ("list refused", {"script": SCRIPT, "job": job("jctl-same", argv="x",
                                                   time_limit=[1, 2])}),
    ("environment as text", {"script": SCRIPT, "job": {**job("jctl-same"),
                                                       "environment": "A=1"}}),
    ("no script", {"job": job("jctl-same")}),
    ("no job", {"script": SCRIPT}),
]


@pytest.mark.parametrize("version", PARSERS)
@pytest.mark.parametrize("case", SAME, ids=[c[0] for c in SAME])
def test_submit_same_as_reference(version, case):
    (rs, rd), (os_, od) = _both(version, case[1])
    assert os_ == rs, (rd, od)
    assert shape(envelope_of(od)) == shape(envelope_of(rd))
    assert od["errors"] == rd["errors"]
    assert od["warnings"] == rd["warnings"]
    if rs == 200:
        theirs, mine = show(rd["job_id"], True), show(od["job_id"])
        assert {k: mine.get(k) for k in HELD if k != "WorkDir"} == \
            {k: theirs.get(k) for k in HELD if k != "WorkDir"}


@pytest.mark.parametrize("version", PARSERS)
def test_update_and_cancel_same_as_reference(version):
    (_, rd), (_, od) = _both(version, {"script": SCRIPT, "job": job("jctl-upd")})
    ids = {True: rd["job_id"], False: od["job_id"]}
    update = {"name": "jctl-upd2", "comment": "now", "time_limit": {"set": True, "number": 15},
              "mail_type": ["BEGIN"]}
    answers = {r: call("POST", f"/slurm/{version}/job/{ids[r]}", update, r) for r in ids}
    assert answers[False][0] == answers[True][0] == 200
    assert shape(envelope_of(answers[False][1])) == shape(envelope_of(answers[True][1]))
    assert {k: show(ids[False]).get(k) for k in HELD if k != "WorkDir"} == \
        {k: show(ids[True], True).get(k) for k in HELD if k != "WorkDir"}
    # An unknown signal is an error entry; v0.0.40 then sends nothing, later
    # versions SIGKILL.
    gone = {r: call("DELETE", f"/slurm/{version}/job/{ids[r]}?signal=NOSUCH", None, r)
            for r in ids}
    assert envelope_of(gone[False][1]) == envelope_of(gone[True][1])
    assert gone[False][1]["errors"][0]["source"] == "#/signal/"
    state = "PENDING" if version == "v0.0.40" else "CANCELLED"
    assert show(ids[False])["JobState"] == show(ids[True], True)["JobState"] == state
    gone = {r: call("DELETE", f"/slurm/{version}/job/{ids[r]}", None, r)[1] for r in ids}
    assert shape(envelope_of(gone[False])) == shape(envelope_of(gone[True]))
    assert [s["error"] for s in gone[False].get("status", [])] == \
        [s["error"] for s in gone[True].get("status", [])]  # (already done: v0.0.42 says so)
    assert show(ids[False])["JobState"] == show(ids[True], True)["JobState"] == "CANCELLED"
    missing = {r: call("DELETE", f"/slurm/{version}/job/999999", None, r) for r in ids}
    assert envelope_of(missing[False][1]) == envelope_of(missing[True][1])
    bad = {r: call("POST", f"/slurm/{version}/job/999999", {"comment": "x"}, r) for r in ids}
    assert bad[False][0] == bad[True][0] and envelope_of(bad[False][1]) == \
        envelope_of(bad[True][1])


@pytest.mark.parametrize("version", PARSERS)
def test_delete_jobs_same_as_reference(version):
    (_, rd), (_, od) = _both(version, {"script": SCRIPT, "job": job("jctl-many")})
    answers = {}
    for reference, job_id in ((True, rd["job_id"]), (False, od["job_id"])):
        answers[reference] = call("DELETE", f"/slurm/{version}/jobs/",
                                  {"jobs": [str(job_id), 999999], "signal": "KILL"},
                                  reference)
    (rs, rdata), (os_, odata) = answers[True], answers[False]
    assert os_ == rs == 200
    assert odata["warnings"] == rdata["warnings"]
    assert odata["status"] == rdata["status"]
    assert show(od["job_id"])["JobState"] == show(rd["job_id"], True)["JobState"]


@pytest.mark.parametrize("version", PARSERS)
def test_delete_jobs_by_filter_same_as_reference(version):
    name = f"jctl-filter-{version}"
    (_, rd), (_, od) = _both(version, {"script": SCRIPT, "job": job(name)})
    (_, rk), (_, ok) = _both(version, {"script": SCRIPT, "job": job(name + "-kept")})
    answers = {r: call("DELETE", f"/slurm/{version}/jobs/",
                       {"job_name": name, "job_state": ["PENDING"], "signal": "9"}, r)
               for r in (True, False)}
    assert answers[False][0] == answers[True][0] == 200
    assert envelope_of(answers[False][1]) == envelope_of(answers[True][1])
    assert show(od["job_id"])["JobState"] == show(rd["job_id"], True)["JobState"] \
        == "CANCELLED"
    assert show(ok["job_id"])["JobState"] == show(rk["job_id"], True)["JobState"] == "PENDING"
