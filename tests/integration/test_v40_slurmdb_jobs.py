"""/slurmdb/v0.0.40, v0.0.41 and v0.0.42 jobs/ and job/{job_id}: a short
job run the same way on both clusters (ours, Slurm 22.05; the reference's,
Slurm 24.11), its accounting record read from each daemon: our answer is
what our document declares, has the reference's keys and types everywhere,
and the values the two clusters' fixtures make equal. On 24.11
(conftest.SAME_CLUSTER24) one job on ours' cluster, which both read: every
value."""
from __future__ import annotations

import json
import subprocess
import time

import pytest

from conftest import (SAME_CLUSTER24, json_of, one, req, root24, roots, run_ours, run_reference24,
                      shape, validate)

PARSERS = ("v0.0.40", "v0.0.41", "v0.0.42")
JOB_NAME = "rpy40_dbjob"
SBATCH = ["sbatch", "--parsable", "-p", "debug", "-A", "physics", "-J", JOB_NAME, "-t", "10",
          "-o", "/dev/null", "--wrap", "true"]


def _run(cmd: list[str], root: str | None) -> str:
    full = [*(("chroot", root) if root else ()), "runuser", "-u", "alice", "--", *cmd]
    return subprocess.run(full, check=True, capture_output=True, text=True,
                          timeout=60).stdout.strip()


def _completed_job(root: str | None) -> int:
    """A job of alice's (`true` in debug, account physics) run to completion
    on the cluster of `root` (None: ours); its id."""
    job_id = int(_run(SBATCH, root).split(";")[0])
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        # The job and its batch step, both accounted as done.
        rows = _run(["sacct", "-n", "-P", "-j", str(job_id), "-o", "jobid,state"], root)
        states = dict(row.split("|") for row in rows.splitlines())
        if states == {str(job_id): "COMPLETED", f"{job_id}.batch": "COMPLETED"}:
            time.sleep(1)
            return job_id
        time.sleep(1)
    pytest.fail(f"job {job_id} did not complete ({rows!r})")


@pytest.fixture(scope="module")
def jobs() -> tuple[int, int]:
    """(reference's job id, ours): one job on 24.11, where both read ours' cluster."""
    ids = {root: _completed_job(root) for root in roots()}
    return ids[root24()], ids[None]


def get(runner, path: str):
    resp = one(runner(req(path=path, close=True)))
    return resp.status, json_of(resp)


def both(path_ref: str, path_ours: str):
    (rs, ref), (os_, ours) = get(run_reference24, path_ref), get(run_ours, path_ours)
    return rs, ref, os_, ours


def shape_diff(a, b, path: str = "") -> list[str]:
    """Where the shapes `a` and `b` (conftest.shape) differ."""
    if a == b:
        return []
    if isinstance(a, dict) and isinstance(b, dict):
        out = [f"{path}/{k}" for k in set(a) ^ set(b)]
        for k in set(a) & set(b):
            out += shape_diff(a[k], b[k], f"{path}/{k}")
        return out
    return [f"{path}: {json.dumps(a)[:300]} != {json.dumps(b)[:300]}"]


def _payload(data: dict) -> dict:
    # meta names each daemon's release and client; warnings carry pointers.
    return {k: v for k, v in data.items() if k not in ("meta", "warnings")}


@pytest.mark.parametrize("version", PARSERS)
def test_job_in_our_document(version, jobs, openapi_doc):
    status, data = get(run_ours, f"/slurmdb/{version}/job/{jobs[1]}")
    assert status == 200, data
    assert [j["job_id"] for j in data["jobs"]] == [jobs[1]]
    assert data["errors"] == []
    validate(openapi_doc, (f"/slurmdb/{version}/job/{{job_id}}", "get", 200), _int32(data))


def _int32(data: dict) -> dict:
    """`data` with its jobs' priority in int32: the document declares the
    number objects' numbers int32 (as the reference's), but a 22.05
    priority/basic job's priority is near 2**32."""
    for job in data["jobs"]:
        job["priority"]["number"] &= 0x7FFFFFFF
    return data


@pytest.mark.parametrize("version", PARSERS)
def test_job_as_the_reference(version, jobs):
    rs, ref, os_, ours = both(f"/slurmdb/{version}/job/{jobs[0]}",
                              f"/slurmdb/{version}/job/{jobs[1]}")
    assert (rs, os_) == (200, 200)
    assert not shape_diff(shape(_payload(ours)), shape(_payload(ref)))
    r, o = ref["jobs"][0], ours["jobs"][0]
    if SAME_CLUSTER24:  # one job in one database: every value
        assert list(o) == list(r)
        assert o == r
        return
    # Key order too, at every level of the job and its steps.
    assert list(o) == list(r)
    assert list(o["time"]) == list(r["time"])
    assert [list(s) for s in o["steps"]] == [list(s) for s in r["steps"]]
    same = ("account", "cluster", "partition", "user", "group", "name", "state", "exit_code",
            "derived_exit_code", "hold", "qos", "required", "kill_request_user",
            "reservation", "array", "het", "container", "constraints", "comment", "wckey",
            "block", "allocation_nodes", "submit_line", "used_gres", "script")
    assert {k: o[k] for k in same} == {k: r[k] for k in same}
    assert {k: o["association"][k] for k in ("account", "cluster", "partition", "user")} == \
        {k: r["association"][k] for k in ("account", "cluster", "partition", "user")}
    assert o["time"]["limit"] == r["time"]["limit"]
    # Which scheduler started it (main or backfill) is each cluster's own.
    assert "START_RECEIVED" in o["flags"] and "START_RECEIVED" in r["flags"]
    assert len(o["flags"]) == len(r["flags"]) == 2
    # TRES: the same resources (ids and counts of the fixtures' TRES table).
    for kind in ("requested", "allocated"):
        assert o["tres"][kind] == r["tres"][kind], kind
    step_keys = ("exit_code", "state", "tasks", "kill_request_user", "task", "CPU")
    assert [{k: s[k] for k in step_keys} for s in o["steps"]] == \
        [{k: s[k] for k in step_keys} for s in r["steps"]]
    assert [s["step"]["name"] for s in o["steps"]] == [s["step"]["name"] for s in r["steps"]]
    assert [s["step"]["id"] for s in o["steps"]] == [f"{jobs[1]}.batch"]
    assert [s["tres"]["allocated"] for s in o["steps"]] == \
        [s["tres"]["allocated"] for s in r["steps"]]
    assert [s["nodes"]["count"] for s in o["steps"]] == [s["nodes"]["count"] for s in r["steps"]]


@pytest.mark.parametrize("version", PARSERS)
def test_jobs_query(version, jobs, openapi_doc):
    query = f"users=alice&job_name={JOB_NAME}&start_time=2020-01-01"
    rs, ref, os_, ours = both(f"/slurmdb/{version}/jobs/?{query}",
                              f"/slurmdb/{version}/jobs/?{query}")
    assert (rs, os_) == (200, 200)
    assert jobs[0] in [j["job_id"] for j in ref["jobs"]]
    assert jobs[1] in [j["job_id"] for j in ours["jobs"]]
    assert {j["name"] for j in ours["jobs"]} == {j["name"] for j in ref["jobs"]} == {JOB_NAME}
    assert {j["user"] for j in ours["jobs"]} == {"alice"}
    assert not shape_diff(shape(_payload(ours)), shape(_payload(ref)))
    validate(openapi_doc, (f"/slurmdb/{version}/jobs/", "get", 200), _int32(ours))
    # Without steps when asked (a flag given: not the default DUP and NO_TRUNC).
    q = f"{query}&skip_steps=true"
    _, ref, _, ours = both(f"/slurmdb/{version}/jobs/?{q}", f"/slurmdb/{version}/jobs/?{q}")
    assert {len(j["steps"]) for j in ours["jobs"]} == {len(j["steps"]) for j in ref["jobs"]} \
        == {0}


@pytest.mark.parametrize("version", PARSERS)
def test_query_keys_as_the_reference(version, jobs):
    # An unknown key is ignored (the reference warns), an unreadable one
    # rejects the request.
    rs, ref, os_, ours = both(f"/slurmdb/{version}/jobs/?bogus=1&job_name={JOB_NAME}",
                              f"/slurmdb/{version}/jobs/?bogus=1&job_name={JOB_NAME}")
    assert (rs, os_) == (200, 200)
    assert ours["errors"] == ref["errors"] == []
    rs, ref, os_, ours = both(f"/slurmdb/{version}/jobs/?state=NOT_A_STATE",
                              f"/slurmdb/{version}/jobs/?state=NOT_A_STATE")
    assert os_ == 422 and "jobs" not in ours
    assert ours["errors"][-1]["error_number"] == 9000
    if version != "v0.0.40":
        # From v0.0.41 its parser reports the flag and goes on (500, "jobs" empty).
        assert rs == 500 and ref["jobs"] == [] and ref["errors"]
    else:
        assert rs == 422 and "jobs" not in ref
        assert ours["errors"][-1] == ref["errors"][-1]


def test_unknown_job(jobs):
    rs, ref, os_, ours = both("/slurmdb/v0.0.42/job/999999999", "/slurmdb/v0.0.42/job/999999999")
    assert (rs, os_) == (200, 200)
    assert ours["jobs"] == ref["jobs"] == []
