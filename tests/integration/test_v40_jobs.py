"""GET /slurm/v0.0.40-42 jobs/, job/{job_id} and jobs/state/: our daemon
against Slurm 24.11's slurmrestd, on the 22.05 cluster and the 24.11 one
(conftest.SAME_CLUSTER24: then both answer from ours' cluster).

This module submits the same jobs on each cluster (once on 24.11) as alice
(held: a plain job, an array of four tasks, a two-component hetjob; a
running job and one that failed with exit code 3) and cancels them after.
Checked: every answer validates against our served document; the document
declares the reference's paths, operation ids, parameters and component
names for these endpoints, and the same keys for the job; the same request
to both daemons gives the same keys, order and JSON types everywhere, and
the same values where the fixtures make them equal (name, partition,
account, user, limits, state, flags ...), on 24.11 every value but the
volatile ones and the listed corrections; errors alike (status and entries).
"""
from __future__ import annotations

import functools
import re
import subprocess
import time

import pytest

from conftest import (SAME_CLUSTER24, one, reference24_doc, req, require_reference24,
                      response_schema, root24, run_ours, run_reference24, validate)
from doc40 import reachable

PREFIX = "rpyj40_"
VERSIONS = ("v0.0.40", "v0.0.41", "v0.0.42")
PATHS = ("jobs/", "job/{job_id}", "jobs/state/")
HET_SCRIPT = """#!/bin/sh
#SBATCH --mem=20
#SBATCH hetjob
#SBATCH --mem=30 --ntasks=1
true
"""
# What differs by submission (ids, times) or by controller: 24.11's slurmctld
# sets max_nodes from the node count requested, 22.05's leaves it 0; the
# clusters' priority plugins differ (a held job's 0 is compared).
MOVING = {"priority", "job_id", "submit_time", "last_sched_evaluation", "accrue_time", "eligible_time",
          "start_time", "end_time", "preemptable_time", "het_job_id", "het_job_id_set",
          "array_job_id", "max_nodes"}
# Flags the scheduler sets as it happens to look at a job (22.05's marks a
# held job DEPENDENT as it tests it; 24.11's does not).
SCHEDULED = {"BACKFILL_ATTEMPTED", "SCHEDULING_ATTEMPTED", "DEPENDENT"}
# Of those, compared with the job's id written as <id>.
BY_ID = {"standard_error", "standard_output", "standard_input", "het_job_id_set"}


def _sbatch(cmd, root=None, script=None) -> int:
    full = [*(("chroot", root) if root else ()), "runuser", "-u", "alice", "--", *cmd]
    out = subprocess.run(full, capture_output=True, text=True, check=True, timeout=60,
                         input=script).stdout.strip()
    return int(re.match(r"\d+", out).group())


def _submit(ids: dict, root=None) -> None:
    """Submits the jobs into `ids` (so a failed wait still cancels them)."""
    def sb(name, *args, script=None):
        return _sbatch(["sbatch", "--parsable", "-J", PREFIX + name, "-D", "/tmp",
                        "-o", "/tmp/" + PREFIX + "%j.out", "-p", "debug", "-A", "physics",
                        *args], root, script)
    ids.update({"held": sb("held", "--hold", "--mem=20", "-t", "10", "--wrap", "true"),
           "harray": sb("harray", "--hold", "--mem=20", "--array=0-3", "--wrap", "true"),
           "het": sb("het", "--hold", script=HET_SCRIPT),
           # Held jobs with unusual options (the v0.0.38 tests' and mail; not -c,
           # which 24.11's sbatch also writes as tres_per_task "cpu=N").
           "nice": sb("nice", "--begin=now+1hour", "--mem=20", "--exclusive", "--wrap", "true"),
           "freq": sb("freq", "--hold", "--mem=20", "--cpu-freq=1000-2000:performance",
                      "--profile=energy,network", "--mail-type=END,FAIL", "--mail-user=bob",
                      "--wrap", "true"),
           "opts": sb("opts", "--hold", "--mem=20", "--contiguous", "-n", "2",
                      "--ntasks-per-node=2", "--ntasks-per-core=1", "--threads-per-core=1",
                      "--sockets-per-node=1", "--profile=none", "--wrap", "true"),
           "mempercpu": sb("mempercpu", "--hold", "--mem-per-cpu=10", "--delay-boot=5",
                           "-x", "ghost1", "--no-requeue", "-p", "long", "--wrap", "true"),
           "prefer": sb("prefer", "--hold", "--mem=20", "--prefer=ghost", "--oversubscribe",
                        "-t", "10", "--time-min=5", "--wrap", "true"),
           "run": sb("run", "--mem=20", "-t", "10", "--wrap", "sleep 600"),
           "fail": sb("fail", "--mem=20", "-t", "10", "--wrap", "exit 3")})
    subprocess.run([*(("chroot", root) if root else ()), "scontrol", "update",
                    f"jobid={ids['nice']}", "nice=-5"], check=True, capture_output=True,
                   timeout=60)
    runner = run_reference24 if root else run_ours
    deadline = time.time() + 90
    while time.time() < deadline:  # until one runs and the other has failed
        _, data = get(f"/slurm/v0.0.42/jobs/state/?job_id={ids['run']}", runner)
        _, done = get(f"/slurm/v0.0.42/jobs/state/?job_id={ids['fail']}", runner)
        _, later = get(f"/slurm/v0.0.42/job/{ids['nice']}", runner)
        if data["jobs"][0]["state"] == ["RUNNING"] and done["jobs"][0]["state"] == ["FAILED"] \
                and later["jobs"][0]["state_reason"] == "BeginTime":  # the scheduler saw it
            return
        time.sleep(1)
    raise AssertionError(f"jobs {ids} did not run, fail and wait in time")


def _cancel(ids: dict, root=None) -> None:
    subprocess.run([*(("chroot", root) if root else ()), "scancel",
                    *map(str, ids.values())], capture_output=True, timeout=60)


def _jobs(root=None):
    ids = {}
    try:
        _submit(ids, root)
        yield ids
    finally:
        _cancel(ids, root)


@pytest.fixture(scope="module")
def ours():
    yield from _jobs()


@pytest.fixture(scope="module")
def theirs(ours):
    """The jobs the 24.11 reference sees: ours' own on 24.11."""
    require_reference24()
    if root24() is None:
        yield ours
    else:
        yield from _jobs(root24())


def get(path: str, runner=run_ours):
    resp = one(runner(req(path=path, close=True)))
    return resp.status, resp.json()


def path_of(version: str, tail: str) -> str:
    return f"/slurm/{version}/{tail}"


def mine(data: dict, ids: dict) -> list:
    """The fixture's job records (the hetjob's two), by name."""
    wanted = {*ids.values(), ids["het"] + 1}
    return sorted((j for j in data["jobs"] if j["job_id"] in wanted),
                  key=lambda j: (j["name"], j["job_id"]))


# ---- our answers against our document ----

@pytest.mark.parametrize("version", VERSIONS)
def test_list_and_one_validate(version, ours, openapi_doc):
    status, data = get(path_of(version, "jobs/"))
    assert status == 200 and data["errors"] == [], data["errors"]
    validate(openapi_doc, (path_of(version, "jobs/"), "get", 200), data)
    names = {j["name"] for j in mine(data, ours)}
    assert names == {PREFIX + n for n in ours}
    held = next(j for j in data["jobs"] if j["job_id"] == ours["held"])
    assert held["job_state"] == ["PENDING"] and held["hold"] is True
    assert held["priority"] == {"set": True, "infinite": False, "number": 0}
    fail = next(j for j in data["jobs"] if j["job_id"] == ours["fail"])
    assert fail["exit_code"]["status"] == ["ERROR"]
    assert fail["exit_code"]["return_code"]["number"] == 3
    assert held["time_limit"] == {"set": True, "infinite": False, "number": 10}
    for job_id in ours.values():
        status, one_data = get(path_of(version, f"job/{job_id}"))
        assert status == 200, one_data
        validate(openapi_doc, (path_of(version, "job/{job_id}"), "get", 200), one_data)
        assert {j["job_id"] for j in one_data["jobs"]} >= {job_id}


@pytest.mark.parametrize("version", VERSIONS)
def test_states_validate(version, ours, openapi_doc):
    held, harray, het = ours["held"], ours["harray"], ours["het"]
    status, data = get(path_of(version, "jobs/state/"))
    assert status == 200, data
    validate(openapi_doc, (path_of(version, "jobs/state/"), "get", 200), data)
    named = {e["job_id"]: e["state"] for e in data["jobs"]}
    assert named[str(held)] == ["PENDING"]
    # A pending array is written per task; a hetjob per component.
    assert {f"{harray}_{t}" for t in range(4)} <= set(named)
    assert {f"{het}+0", f"{het + 1}+1"} <= set(named)
    for query, expected in ((held, [str(held)]), (harray, [f"{harray}_{t}" for t in range(4)]),
                            (het, [f"{het}+0", f"{het + 1}+1"]), (f"{het}%2B1", [f"{het + 1}+1"]),
                            (999999, [])):
        status, data = get(path_of(version, f"jobs/state/?job_id={query}"))
        assert status == 200, data
        assert [e["job_id"] for e in data["jobs"]] == expected


# ---- our document against the reference's ----

def _props(doc: dict, schema: dict, seen=()) -> dict:
    """Key paths of a schema (references followed) to their JSON type."""
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    out = {}
    if schema.get("type") == "array" and schema.get("items"):
        return {"[]" + k: v for k, v in _props(doc, schema["items"], seen).items()}
    for key, sub in schema.get("properties", {}).items():
        resolved = sub
        while "$ref" in resolved:
            resolved = doc["components"]["schemas"][resolved["$ref"].rsplit("/", 1)[1]]
        out[key] = resolved.get("type")
        out.update({f"{key}/{k}": v for k, v in _props(doc, resolved, seen).items()})
    return out


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("tail", PATHS)
def test_document_as_the_reference(version, tail, openapi_doc):
    ref_doc = reference24_doc()
    path = path_of(version, tail)
    ours_op, ref_op = openapi_doc["paths"][path]["get"], ref_doc["paths"][path]["get"]
    assert ours_op["operationId"] == ref_op["operationId"]
    assert [p["name"] for p in ours_op["parameters"]] == [p["name"] for p in ref_op["parameters"]]
    ours_schema = response_schema(openapi_doc, path)
    ref_schema = response_schema(ref_doc, path)
    if tail == "jobs/state/":
        # 24.11's document names the job list's response here, but it answers
        # with job states (openapi_job_state_resp): we document what it sends.
        assert ref_schema == {"$ref": f"#/components/schemas/{version}_openapi_job_info_resp"}
        assert list(_props(openapi_doc, ours_schema))[:3] == ["jobs", "jobs/[]job_id",
                                                               "jobs/[]state"]
        return
    assert reachable(openapi_doc, ours_schema) == reachable(ref_doc, ref_schema)
    ours_keys, ref_keys = _props(openapi_doc, ours_schema), _props(ref_doc, ref_schema)
    assert list(ours_keys) == list(ref_keys)
    # 24.11 documents a few lists without item types ("power/flags").
    assert {k: v for k, v in ours_keys.items()} == ref_keys


# ---- the same requests to the 24.11 reference ----

def shape(value):
    """JSON types all the way down (a list by its first item)."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return type(value).__name__


def _normal(job: dict) -> dict:
    """A record with what differs by submission left out, ids written as <id>."""
    out = {}
    for key, value in job.items():
        if key in BY_ID:
            out[key] = re.sub(r"\d{4,}", "<id>", value)
        elif key == "flags":
            out[key] = [f for f in value if f not in SCHEDULED]
        elif key not in MOVING:
            out[key] = value
    return out


# On 24.11 both daemons read the same jobs and every value is compared, but
# for these corrections (README "On Slurm 24.11"): 24.11 makes job_resources
# an opaque type, so ours writes for every job what a pending job shows.
LOST24 = ("job_resources",)


@functools.lru_cache(maxsize=None)
def _pending_form(version: str, held: int, key: str):
    """The reference's `key` of a pending job (the fixture's held one)."""
    return get(path_of(version, f"job/{held}"), run_reference24)[1]["jobs"][0][key]


def corrected(version: str, jobs: list, held: int) -> list:
    """The reference's records, on 24.11 with LOST24 as ours writes them."""
    if not SAME_CLUSTER24:
        return jobs
    return [{**j, **{k: _pending_form(version, held, k) for k in LOST24 if k in j}} for j in jobs]


def values(job: dict) -> dict:
    """What is compared of a record: on 22.05 (two clusters) _normal, on 24.11 all."""
    return job if SAME_CLUSTER24 else _normal(job)


def _pair(version: str, ours: dict, theirs: dict, tail="jobs/"):
    s1, a = get(path_of(version, tail))
    s2, b = get(path_of(version, tail), run_reference24)
    assert (s1, a["errors"]) == (s2, b["errors"])
    return mine(a, ours), mine(b, theirs), a, b


@pytest.mark.parametrize("version", VERSIONS)
def test_list_as_the_reference(version, ours, theirs):
    a, b, whole_a, whole_b = _pair(version, ours, theirs)
    assert [j["name"] for j in a] == [j["name"] for j in b]
    assert list(whole_a) == list(whole_b)
    for x, y in zip(a, corrected(version, b, theirs["held"])):
        assert list(x) == list(y), x["name"]
        assert shape(x) == shape(y), x["name"]
        assert values(x) == values(y), x["name"]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("tail", ["{held}", "{harray}", "{harray}_1", "{het}", "{het}%2B1",
                                  "{run}.batch", "{fail}"])
def test_one_as_the_reference(version, tail, ours, theirs):
    s1, a = get(path_of(version, "job/" + tail.format(**ours)))
    s2, b = get(path_of(version, "job/" + tail.format(**theirs)), run_reference24)
    assert (s1, a["errors"], a["warnings"]) == (s2, b["errors"], b["warnings"])
    assert list(a) == list(b)
    y = corrected(version, b["jobs"], theirs["held"])
    assert shape(a["jobs"]) == shape(y)
    assert [values(j) for j in a["jobs"]] == [values(j) for j in y]


@pytest.mark.parametrize("version", VERSIONS)
def test_states_as_the_reference(version, ours, theirs):
    def named(ids, runner):
        forms = []
        queries = [ids[kind] for kind in ("held", "harray", "het", "run", "fail")]
        # A task still pending in its array's record, a hetjob component, a step.
        queries += [f"{ids['harray']}_2", f"{ids['het']}%2B1", f"{ids['het']}%2B0",
                    f"{ids['held']}.batch"]
        for query in queries:
            status, data = get(path_of(version, f"jobs/state/?job_id={query}"), runner)
            assert status == 200 and data["errors"] == [], data
            forms.append([(e["job_id"] if SAME_CLUSTER24 else re.sub(r"^\d+", "<id>", e["job_id"]),
                           e["state"]) for e in data["jobs"]])
        return forms
    assert named(ours, run_ours) == named(theirs, run_reference24)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("tail", [
    "job/0", "job/abc", "job/999999", "jobs/?update_time=abc", "jobs/?update_time=true",
    "jobs/?update_time=", "jobs/?flags=", "jobs/state/?job_id=", "jobs/state/?job_id=x",
    "job/{held}?update_time=abc", "jobs/?update_time=9999999999", "jobs/?update_time=1.5",
    "jobs/?update_time=now", "jobs/?update_time=yes", "job/1?flags=bogus",
])
def test_errors_as_the_reference(version, tail, ours, theirs):
    s1, a = get(path_of(version, tail.format(**ours)))
    s2, b = get(path_of(version, tail.format(**theirs)), run_reference24)
    assert s1 == s2
    assert list(a) == list(b)
    assert a["errors"] == b["errors"]
    assert [w["source"] for w in a["warnings"]] == [w["source"] for w in b["warnings"]]
    for key in ("jobs", "last_backfill", "last_update"):
        if key in a and key != "jobs":
            assert shape(a[key]) == shape(b[key])


@pytest.mark.parametrize("version", VERSIONS)
def test_unknown_flag_answers_the_jobs_with_an_error(version, ours, theirs):
    s1, a = get(path_of(version, "jobs/?flags=bogus"))
    s2, b = get(path_of(version, "jobs/?flags=bogus"), run_reference24)
    if version == "v0.0.40":  # refused there
        assert (s1, a["errors"], list(a)) == (s2, b["errors"], list(b)) == (422, a["errors"],
                                                                          list(b))
        return
    assert s1 == s2 == 500
    assert a["errors"] == b["errors"]
    assert [j["name"] for j in mine(a, ours)] == [j["name"] for j in mine(b, theirs)]
