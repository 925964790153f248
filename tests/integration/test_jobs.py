"""GET /slurm/v0.0.38/jobs and /job/{job_id}: slurmrestd-py against the
reference, on jobs this module submits (as alice, one as bob) and cancels.

The jobs: held, running (sleep, 1 CPU, little memory), completed, failed
(exit 3), cancelled, waiting on a dependency, a held array and a short array
whose tasks ran (so each task is its own record), a held heterogeneous job,
and held jobs with unusual options (nice, CPU frequency, profile, memory per
CPU, contiguous ...). What is compared: status, key order and JSON types
of every record, and every value except the few that move between two calls
(scheduler times). Every answer validates against our served document. The
comparisons run under v0.0.38 and v0.0.37 (`api`): v0.0.37's job has fewer
keys and an older `job_resources` (v0_0_37/jobs.py).
"""
from __future__ import annotations

import re
import socket
import subprocess
import time

import pytest

import conftest
from conftest import API, APIS, APIS_36, declared_alike, get_both, json_of, one, req, run_ours

PREFIX = "rpyj_"
LIST_PATH = f"{API}/jobs"
ONE_PATH = f"{API}/job/{{job_id}}"
V37, V36 = "/slurm/v0.0.37", "/slurm/v0.0.36"
# Values that may change between the reference's call and ours.
MOVING = {"last_sched_evaluation", "accrue_time", "start_time", "end_time", "eligible_time"}
FUTURE = int(time.time()) + 10 * 365 * 86400
UNKNOWN = 999999
INVALID_DESC = {"error_number": 9002, "source": "_handle_job_get",
                "error": "Jobs description entry not found, empty or not dictionary or list"}
HET_SCRIPT = """#!/bin/sh
#SBATCH --mem=20
#SBATCH hetjob
#SBATCH --mem=30 --ntasks=1
true
"""


def run(cmd, user=None, check=True, input=None):
    if user:
        cmd = ["runuser", "-u", user, "--", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, check=check, timeout=60,
                          input=input)


def sbatch(name, *args, user="alice", script=None) -> int:
    cmd = ["sbatch", "--parsable", "-J", PREFIX + name, "-D", "/tmp", "-o", "/dev/null",
           "-e", "/dev/null", *args]
    out = run(cmd, user=user, input=script).stdout.strip()
    return int(re.match(r"\d+", out).group())


def job_lines(job_id) -> list[dict]:
    """scontrol's records for a job id (all tasks of an array, all components)."""
    out = run(["scontrol", "show", "job", "-o", str(job_id)], check=False).stdout
    return [dict(re.findall(r"(\w+)=(\S*)", line)) for line in out.splitlines() if line]


def wait_for(what, predicate, timeout=180):
    end = time.time() + timeout
    while time.time() < end:
        if predicate():
            return
        time.sleep(0.5)
    pytest.fail(f"timed out waiting for {what}")


def state_is(job_id, *states, count=None):
    lines = job_lines(job_id)
    return bool(lines) and all(l.get("JobState") in states for l in lines) and \
        (count is None or len(lines) == count)


@pytest.fixture(scope="module")
def jobs():
    # Leftovers of an interrupted run (jobs named with PREFIX, not yet ended).
    out = run(["squeue", "-h", "-t", "PD,R,S,CG", "-o", "%A %j"]).stdout
    stale = [job_id for job_id, _, name in (line.partition(" ") for line in out.splitlines())
             if name.startswith(PREFIX)]
    if stale:
        run(["scancel", *stale], check=False)
    ids: dict[str, int] = {}
    try:
        ids["held"] = sbatch("held", "--hold", "--mem=20", "--wrap", "true")
        # Jobs that must run go to "long": its higher priority tier schedules
        # them before other tests' pending jobs in "debug".
        ids["run"] = sbatch("run", "-p", "long", "--mem=20", "-t", "10",
                            "--comment", "a comment", "-L", "matlab:1", "--wrap", "sleep 300")
        ids["dep"] = sbatch("dep", "--mem=20", f"--dependency=afterok:{ids['run']}",
                            "--wrap", "true")
        ids["done"] = sbatch("done", "-p", "long", "--mem=20", "--wrap", "true")
        ids["fail"] = sbatch("fail", "-p", "long", "--mem=20", "--wrap", "exit 3")
        ids["cancel"] = sbatch("cancel", "--hold", "--mem=20", "--wrap", "true")
        ids["harray"] = sbatch("harray", "--hold", "--mem=20", "--array=0-3", "--wrap", "true")
        ids["array"] = sbatch("array", "-p", "long", "--mem=20", "--array=0-3",
                              "--wrap", "true")
        ids["het"] = sbatch("het", "--hold", script=HET_SCRIPT)
        ids["bob"] = sbatch("bob", "--hold", "--mem=20", "--wrap", "true", user="bob")
        ids["nice"] = sbatch("nice", "--begin=now+1hour", "--mem=20", "--exclusive",
                             "--wrap", "true")
        run(["scontrol", "update", f"jobid={ids['nice']}", "nice=-5"])
        ids["freq"] = sbatch("freq", "--hold", "--mem=20", "--cpu-freq=1000-2000:performance",
                             "--profile=energy,network", "--wrap", "true")
        ids["opts"] = sbatch("opts", "--hold", "--mem=20", "--contiguous", "-n", "2",
                             "--ntasks-per-node=2", "--ntasks-per-core=1",
                             "--threads-per-core=1", "--sockets-per-node=1", "--profile=none",
                             "--wrap", "true")
        ids["mempercpu"] = sbatch("mempercpu", "--hold", "--mem-per-cpu=10", "--delay-boot=5",
                                  "-x", "ghost1", "--no-requeue", "-p", "long",
                                  "--wrap", "true")
        ids["prefer"] = sbatch("prefer", "--hold", "--mem=20", "--prefer=ghost",
                               "--oversubscribe", "-t", "10", "--time-min=5",
                               "--container=/tmp", "--wrap", "true")
        ids["cpus"] = sbatch("cpus", "--hold", "--mem=20", "-c", "1", "--wrap", "true")
        run(["scancel", str(ids["cancel"])])
        wait_for("the running job", lambda: state_is(ids["run"], "RUNNING"))
        wait_for("the completed job", lambda: state_is(ids["done"], "COMPLETED"))
        wait_for("the failed job", lambda: state_is(ids["fail"], "FAILED"))
        wait_for("the cancelled job", lambda: state_is(ids["cancel"], "CANCELLED"))
        wait_for("the array's tasks", lambda: state_is(ids["array"], "COMPLETED", count=4))
        wait_for("the dependent job to be evaluated",
                 lambda: any(l.get("Reason") == "Dependency" for l in job_lines(ids["dep"])))
        yield ids
    finally:
        if ids:
            run(["scancel", *map(str, ids.values())], check=False)


def json_type(value):
    return {bool: "boolean", int: "integer", float: "number", str: "string", list: "array",
            dict: "object", type(None): "null"}[type(value)]


def shape(value):
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(v) for v in value]
    return json_type(value)


def same_records(ref_jobs, our_jobs, fixture_ids=None):
    """Records of the jobs both answers list: same keys in the same order and
    same JSON types; for this module's jobs (all when `fixture_ids` is None),
    same values but the moving ones."""
    ref_by_id = {j["job_id"]: j for j in ref_jobs}
    ours_by_id = {j["job_id"]: j for j in our_jobs}
    assert len(ref_by_id) == len(ref_jobs) and len(ours_by_id) == len(our_jobs)
    if fixture_ids is None:
        assert [j["job_id"] for j in our_jobs] == [j["job_id"] for j in ref_jobs]
        fixture_ids = set(ref_by_id)
    # Other tests may submit jobs between the two calls; ours are in both.
    assert set(fixture_ids) <= set(ref_by_id) & set(ours_by_id)
    for job_id in set(ref_by_id) & set(ours_by_id):
        r, o = ref_by_id[job_id], ours_by_id[job_id]
        if job_id in fixture_ids:
            assert list(o) == list(r), job_id
            assert shape(o) == shape(r), job_id
            diff = {k: (r[k], o[k]) for k in r if k not in MOVING and r[k] != o[k]}
            assert not diff, (job_id, diff)
        elif r["job_state"] == o["job_state"] and ("job_resources" in r) == ("job_resources" in o):
            assert list(o) == list(r), job_id
            assert {k: json_type(v) for k, v in o.items() if k not in MOVING} == \
                {k: json_type(v) for k, v in r.items() if k not in MOVING}, job_id


def named_users(ref_jobs, our_jobs):
    """v0.0.36's reference never looks user names up: libslurm gives none, so
    it sends "" where ours (as v0.0.37) names the job's user."""
    ours = {j["job_id"]: j["user_name"] for j in our_jobs}
    for j in ref_jobs:
        if j["user_name"] == "" and ours.get(j["job_id"]):
            j["user_name"] = ours[j["job_id"]]
    return ref_jobs


def check_same(path, openapi_doc, template, fixture_ids=None, status=200, headers=(), api=API):
    """Records as same_records compares them; the envelope as conftest's."""
    fixed = named_users if api == V36 else lambda ref, ours: ref
    data = conftest.check_same(path, openapi_doc, template, "jobs", status,
                               lambda ref, ours: same_records(fixed(ref, ours), ours,
                                                              fixture_ids),
                               headers, key_always=False, api=api)
    return data and data[1]


def by_id(data):
    return {j["job_id"]: j for j in data["jobs"]}


def full_job_record() -> bool:
    """Whether ours' cluster's jobs show show_flags and job_resources: 24.11
    dropped the one from its job record and made the other's type opaque
    (README, "On Slurm 24.11"), so there a running job shows what a pending
    one does."""
    return conftest.cluster_release().startswith("22.05.")


# ---- the list ----

@pytest.mark.cluster22
@pytest.mark.parametrize("path", [LIST_PATH, LIST_PATH + "/?update_time=0"])
@pytest.mark.parametrize("api", APIS_36)
def test_list_same_as_reference(path, jobs, openapi_doc, api):
    data = check_same(path, openapi_doc, LIST_PATH, jobs.values(), api=api)
    mine = [j for j in data["jobs"] if j["name"].startswith(PREFIX)]
    # 15 submissions; the arrays' records: held one record, ran 4 tasks; het 2.
    assert len({j["job_id"] for j in mine}) >= 15 + 3 + 1


def test_records_as_the_reference_renders_them(jobs):
    resp = one(run_ours(req(path=LIST_PATH, close=True)))
    assert resp.status == 200
    records = by_id(json_of(resp))
    held, running, done, fail = (records[jobs[k]] for k in ("held", "run", "done", "fail"))
    full = full_job_record()
    assert (held["job_state"], held["state_reason"], held["priority"]) == \
        ("PENDING", "JobHeldUser", 0)
    assert held["user_name"] == held["group_name"] == "alice"
    assert held["flags"] == ["JOB_MEM_SET"] and held["show_flags"] == \
        (["SHOW_ALL", "SHOW_DETAIL", "SHOW_LOCAL"] if full else [])
    # Unset strings are "", unset numbers null, times integers.
    assert held["batch_host"] == held["nodes"] == held["comment"] == held["dependency"] == ""
    assert held["array_task_id"] is None and held["nice"] is None and held["time_limit"] is None
    assert "job_resources" not in held
    assert held["memory_per_node"] == 20 and held["memory_per_cpu"] is None
    assert (held["cpus"], held["tasks"], held["node_count"]) == (1, 1, 1)
    for key in ("submit_time", "start_time", "end_time", "accrue_time", "eligible_time"):
        assert isinstance(held[key], int) and not isinstance(held[key], bool)

    assert running["job_state"] == "RUNNING" and running["state_reason"] == "None"
    assert (running["comment"], running["licenses"], running["time_limit"]) == \
        ("a comment", "matlab:1", 10)
    assert running["flags"] == ["JOB_WAS_RUNNING", "JOB_MEM_SET"]
    if full:
        res = running["job_resources"]
        assert list(res) == ["nodes", "allocated_cores", "allocated_hosts", "allocated_nodes"]
        host = socket.gethostname()
        assert (res["nodes"], res["allocated_cores"], res["allocated_hosts"]) == (host, 1, 1)
        [node] = res["allocated_nodes"]
        assert list(node) == ["sockets", "nodename", "cpus_used", "memory_used",
                              "memory_allocated"]
        assert node["nodename"] == host and node["memory_allocated"] == 20
        [(socket_id, cores)] = node["sockets"].items()
        assert socket_id in ("0", "1") and cores == {"cores": {"0": "allocated"}}
    else:
        assert "job_resources" not in running
    assert isinstance(running["billable_tres"], float)
    assert running["tres_alloc_str"].startswith("cpu=1,mem=20M,node=1")

    assert (done["job_state"], done["exit_code"]) == ("COMPLETED", 0)
    assert (fail["job_state"], fail["exit_code"], fail["state_reason"]) == \
        ("FAILED", 3 << 8, "NonZeroExitCode")
    assert records[jobs["cancel"]]["job_state"] == "CANCELLED"
    dep = records[jobs["dep"]]
    assert dep["state_reason"] == "Dependency"
    assert dep["dependency"] == f"afterok:{jobs['run']}(unfulfilled)"
    assert records[jobs["bob"]]["user_name"] == "bob"

    harray = records[jobs["harray"]]
    assert (harray["array_job_id"], harray["array_task_id"], harray["array_task_string"]) == \
        (jobs["harray"], None, "0-3")
    tasks = sorted((j["array_task_id"], j["array_job_id"]) for j in records.values()
                   if j["array_job_id"] == jobs["array"])
    assert tasks == [(i, jobs["array"]) for i in range(4)]
    het = [j for j in records.values() if j["het_job_id"] == jobs["het"]]
    assert sorted(j["het_job_offset"] for j in het) == [0, 1]
    assert {j["het_job_id_set"] for j in het} == {f"{jobs['het']}-{jobs['het'] + 1}"}

    # The reference's quirks: an unsigned negative nice, the misspelt key of a
    # set CPU frequency minimum, cpus_per_task only with a CPU frequency.
    nice = records[jobs["nice"]]
    assert nice["nice"] == (1 << 32) - 5 and nice["shared"] == "none"
    freq = records[jobs["freq"]]
    assert "cpu_frequency_minimum" not in freq
    assert (freq["cpu_frequency_minumum"], freq["cpu_frequency_maximum"]) == (1000, 2000)
    assert freq["cpus_per_task"] == 1 and held["cpus_per_task"] is None
    assert freq["profile"] == ["Energy", "Network"] and held["profile"] is None
    opts = records[jobs["opts"]]
    assert opts["profile"] == ["None"] and opts["contiguous"] is True
    assert (opts["tasks_per_node"], opts["tasks_per_core"], opts["threads_per_core"],
            opts["sockets_per_node"], opts["tasks"]) == (2, 1, 1, 1, 2)
    mem = records[jobs["mempercpu"]]
    assert (mem["memory_per_node"], mem["memory_per_cpu"]) == (None, 10)
    assert (mem["requeue"], mem["excluded_nodes"], mem["partition"]) == (False, "ghost1", "long")
    prefer = records[jobs["prefer"]]
    assert (prefer["prefer"], prefer["shared"], prefer["time_minimum"], prefer["container"]) \
        == ("ghost", "shared", 5, "/tmp")


def test_v0_0_37_records(jobs):
    """v0.0.37: v0.0.38's records without container, prefer and group_name;
    JOB_CPUS_SET spelled with a trailing space; job_resources always there,
    {} for a job without resources, else in its older shape."""
    v38 = by_id(json_of(one(run_ours(req(path=LIST_PATH, close=True)))))
    v37 = by_id(json_of(one(run_ours(req(path=f"{V37}/jobs", close=True)))))
    for job_id in jobs.values():
        keys = [k for k in v38[job_id] if k not in ("container", "prefer", "group_name")]
        if "job_resources" not in keys:
            keys.insert(keys.index("job_id") + 1, "job_resources")
        assert list(v37[job_id]) == keys, job_id
    assert v37[jobs["held"]]["job_resources"] == {}
    assert "JOB_CPUS_SET" in v38[jobs["cpus"]]["flags"]
    assert "JOB_CPUS_SET " in v37[jobs["cpus"]]["flags"]
    res = v37[jobs["run"]]["job_resources"]
    if not full_job_record():
        assert res == {}
        return
    assert list(res) == ["nodes", "allocated_cpus", "allocated_hosts", "allocated_nodes"]
    assert (res["nodes"], res["allocated_hosts"], list(res["allocated_nodes"])) == ("vm", 1, ["0"])
    node = res["allocated_nodes"]["0"]
    assert list(node) == ["sockets", "cores", "memory", "cpus"] and node["memory"] == 20
    assert set(node["sockets"].values()) | set(node["cores"].values()) <= \
        {"assigned", "unassigned"}


@pytest.mark.cluster22
def test_v0_0_36_user_names(jobs):
    ref, ours = get_both(f"{V36}/job/{jobs['held']}")
    assert (json_of(ref)["jobs"][0]["user_name"], json_of(ours)["jobs"][0]["user_name"]) == \
        ("", "alice")


@pytest.mark.parametrize("path, status", [
    ("{held}_1", 404), ("abc", 404), ("yes", 404),
    # The held job is on ours' cluster only on 24.11.
    pytest.param("{held}.4", 200, marks=pytest.mark.cluster22), ("0", (500, 400)),
    (str(UNKNOWN), 500), ("-3", 500), ("99999999999", (500, 400)),
])
def test_v0_0_36_integer_job_ids(path, status, jobs, openapi_doc):
    """v0.0.36's job id is an integer: anything else matches no path. Its
    errors are {"error", "error_code"} entries, with the real error number
    (the reference's is 0) and a 400 for ids that cannot name a job."""
    ref, ours = get_both(f"{V36}/job/{path.format(**jobs)}")
    ref_status, our_status = status if isinstance(status, tuple) else (status, status)
    assert (ref.status, ours.status) == (ref_status, our_status), (ref.body, ours.body)
    if our_status == 404:
        assert ours.body == ref.body
        return
    rd, od = json_of(ref), json_of(ours)
    conftest.validate(openapi_doc, (f"{V36}/job/{{job_id}}", "get", our_status), od)
    if our_status == 200:
        assert [j["job_id"] for j in od["jobs"]] == [j["job_id"] for j in rd["jobs"]]
        return
    assert [list(e) for e in od["errors"]] == [list(e) for e in rd["errors"]] == \
        [["error", "error_code"]]
    assert [e["error_code"] for e in rd["errors"]] == [0]
    assert [e["error_code"] for e in od["errors"]] == [2017]


# ---- one job ----

KINDS = ["held", "run", "dep", "done", "fail", "cancel", "harray", "het", "bob", "nice",
         "freq", "opts", "mempercpu", "prefer"]


@pytest.mark.cluster22
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("api", APIS_36)
def test_one_same_as_reference(kind, jobs, openapi_doc, api):
    job_id = jobs[kind]
    data = check_same(f"{API}/job/{job_id}", openapi_doc, ONE_PATH, api=api)
    found = [j["job_id"] for j in data["jobs"]]
    # A het job's leader id lists every component; any other id its record.
    assert found == ([job_id, job_id + 1] if kind == "het" else [job_id])


@pytest.mark.cluster22
@pytest.mark.parametrize("api", APIS)
def test_array_task_ids(jobs, openapi_doc, api):
    array = jobs["array"]
    for task in range(4):
        data = check_same(f"{API}/job/{array}_{task}", openapi_doc, ONE_PATH, api=api)
        records = data["jobs"]
        assert {j["array_job_id"] for j in records} == {array}
        assert task in [j["array_task_id"] for j in records]
        # The task whose job id is the array's own lists the whole array.
        if len(records) > 1:
            assert sorted(j["array_task_id"] for j in records) == [0, 1, 2, 3]


@pytest.mark.cluster22
def test_array_id_lists_every_task(jobs, openapi_doc):
    data = check_same(f"{API}/job/{jobs['array']}", openapi_doc, ONE_PATH)
    assert sorted(j["array_task_id"] for j in data["jobs"]) == [0, 1, 2, 3]


@pytest.mark.cluster22
@pytest.mark.parametrize("offset", [0, 1])
@pytest.mark.parametrize("api", APIS)
def test_het_component_ids(offset, jobs, openapi_doc, api):
    het = jobs["het"]
    # "+" must be percent-encoded in a path (a bare one is refused by both).
    data = check_same(f"{API}/job/{het}%2B{offset}", openapi_doc, ONE_PATH, api=api)
    ids = [j["job_id"] for j in data["jobs"]]
    # The leader's id lists every component.
    assert ids == ([het, het + 1] if offset == 0 else [het + 1])
    assert by_id(data)[het + offset]["het_job_offset"] == offset


@pytest.mark.cluster22
@pytest.mark.parametrize("api", APIS)
def test_unknown_job(openapi_doc, api):
    data = check_same(f"{API}/job/{UNKNOWN}", openapi_doc, ONE_PATH, status=500, api=api)
    assert data["jobs"] == []
    assert data["errors"] == [{"description": f"Unable to find JobId={UNKNOWN}",
                               "error_number": 2017, "error": "Invalid job id specified",
                               "source": "slurm_load_job"}]


@pytest.mark.cluster22
@pytest.mark.parametrize("template, expected", [
    ("{harray}_2", "{harray}_2"),  # a held array is one record: no task 2 of its own
    ("{array}_9", "{array}_9"),
    ("abc", "abc"), ("0", "0"), ("{held}abc", "{held}abc"), ("{held}_", "{held}_"),
    ("yes", "true"), ("Off", "false"), ("1e3", "1e3"), ("1.e400", "-9223372036854775808"),
    ("%20", " "), ("{held}%20", "{held} "),
])
@pytest.mark.parametrize("api", APIS)
def test_ids_the_reference_cannot_translate(template, expected, jobs, openapi_doc, api):
    data = check_same(f"{API}/job/{template.format(**jobs)}", openapi_doc, ONE_PATH,
                      status=400, api=api)
    assert "jobs" not in data
    assert data["errors"] == [{**INVALID_DESC,
                               "description": f"Unable to find JobId={expected.format(**jobs)}"}]


@pytest.mark.cluster22
@pytest.mark.parametrize("template", [
    "{held_m1}.6",  # decimals are rounded
    "{held}.4", "0{held}", "%2B{held}", "%20{held}",
])
def test_ids_read_as_numbers(template, jobs, openapi_doc):
    held = jobs["held"]
    path = template.format(held=held, held_m1=held - 1)
    data = check_same(f"{API}/job/{path}", openapi_doc, ONE_PATH)
    assert [j["job_id"] for j in data["jobs"]] == [held]


@pytest.mark.cluster22
@pytest.mark.parametrize("value, shown", [
    ("-4", "-4"), ("99999999999999999999", "9223372036854775807"), ("-0.6", "-1"),
    (f"{UNKNOWN - 1}.5", str(UNKNOWN - 1)), (f"{UNKNOWN}.5", str(UNKNOWN + 1)),  # half to even
    (f"{UNKNOWN}%2B-1", f"{UNKNOWN}+-1"), ("%2B999999", "999999"),
])
@pytest.mark.parametrize("api", APIS)
def test_ids_that_name_no_job(value, shown, openapi_doc, api):
    data = check_same(f"{API}/job/{value}", openapi_doc, ONE_PATH, status=500, api=api)
    assert data["jobs"] == []
    assert data["errors"][0]["description"] == f"Unable to find JobId={shown}"
    assert data["errors"][0]["error_number"] == 2017


def test_bare_plus_is_refused(jobs):
    ref, ours = get_both(f"{API}/job/{jobs['het']}+1")
    assert ref.status == ours.status == 400
    assert ours.body == b"Unable to parse URL path."


# ---- update_time ----

@pytest.mark.parametrize("value", [FUTURE, "99999999999999999999", f"{FUTURE}.4"])
@pytest.mark.parametrize("api", APIS)
def test_not_modified(value, jobs, openapi_doc, api):
    check_same(f"{LIST_PATH}?update_time={value}", openapi_doc, LIST_PATH, status=304, api=api)


@pytest.mark.cluster22
def test_not_modified_then_changed(jobs, openapi_doc):
    """Unchanged since now: 304 with no body; after a change: 200 with the change."""
    for _ in range(10):  # other tests' jobs may change meanwhile: try again
        since = int(time.time()) + 1
        ref, ours = get_both(f"{LIST_PATH}?update_time={since}")
        if ref.status == ours.status == 304:
            break
        time.sleep(1)
    else:
        pytest.fail("jobs kept changing: never got 304")
    assert ours.body == b"" and "content-type" not in ours.headers
    time.sleep(2)  # the change must fall in a later second than `since - 1`
    run(["scontrol", "update", f"jobid={jobs['held']}", "comment=changed"])
    try:
        data = check_same(f"{LIST_PATH}?update_time={since}", openapi_doc, LIST_PATH,
                          jobs.values())
        assert by_id(data)[jobs["held"]]["comment"] == "changed"
    finally:
        run(["scontrol", "update", f"jobid={jobs['held']}", "comment="], check=False)


@pytest.mark.cluster22
@pytest.mark.parametrize("value", ["-5", "1.5", "%2B7"])
@pytest.mark.parametrize("api", APIS)
def test_odd_but_valid_update_time(value, jobs, openapi_doc, api):
    check_same(f"{LIST_PATH}?update_time={value}", openapi_doc, LIST_PATH, jobs.values(), api=api)


@pytest.mark.cluster22
@pytest.mark.parametrize("value", ["abc", "", "1e3", "true"])
@pytest.mark.parametrize("api", APIS)
def test_bad_update_time(value, openapi_doc, api):
    data = check_same(f"{LIST_PATH}?update_time={value}", openapi_doc, LIST_PATH, (),
                      status=400, api=api)
    assert data["errors"] == [] and data["jobs"] == []


# ---- YAML, the document, the name tables ----

@pytest.mark.cluster22
def test_yaml_same_data(jobs):
    import yaml
    for kind in ("held", "run"):
        ref, ours = get_both(f"{API}/job/{jobs[kind]}", headers=[("Accept", "application/x-yaml")])
        assert ref.status == ours.status == 200
        assert ours.content_type == "application/x-yaml"
        rd, od = yaml.safe_load(ref.body), yaml.safe_load(ours.body)
        for r in rd["jobs"]:
            for key in MOVING:
                r.pop(key)
        for o in od["jobs"]:
            for key in MOVING:
                o.pop(key)
        assert od == rd
        # NULL strings are null in YAML ("" in JSON).
        assert od["jobs"][0]["admin_comment"] is None


def test_document_declares_what_the_reference_does(openapi_doc, reference_doc):
    r_props, o_props = declared_alike(openapi_doc, reference_doc, (LIST_PATH, ONE_PATH),
                                      "v0.0.38_job_response_properties")
    schemas = openapi_doc["components"]["schemas"]
    # Ours also declares the keys the reference writes but does not document.
    assert set(r_props) <= set(o_props)
    assert set(o_props) - set(r_props) == {"group_name", "prefer", "cpu_frequency_minumum",
                                           "tasks_per_node"}
    assert o_props["job_resources"] == {"$ref": "#/components/schemas/v0.0.38_job_resources",
                                        "description": o_props["job_resources"]["description"]}
    assert "allocated_nodes" in schemas["v0.0.38_job_resources"]["properties"]


def test_state_and_reason_names_match_libslurm():
    import ctypes
    from slurmrestd_py.v0_0_38 import jobs as ours
    lib = ctypes.CDLL("libslurm.so")
    state = lib.slurm_job_state_string
    state.restype, state.argtypes = ctypes.c_char_p, [ctypes.c_uint32]
    # 24.11 renamed it slurm_job_state_reason_string.
    reason = getattr(lib, "slurm_job_reason_string", None) or lib.slurm_job_state_reason_string
    reason.restype, reason.argtypes = ctypes.c_char_p, [ctypes.c_int]
    flags = [bit for bit, _ in ours.STATE_FLAGS]
    values = list(range(14)) + [f | b for f in flags for b in (0, 1, 3)] + \
        [a | b for a in flags for b in flags]
    for value in values:
        assert ours.job_state_name(value) == state(value).decode(), hex(value)
    for value in range(len(ours.REASONS)):
        assert ours.REASONS[value] == reason(value).decode(), value
    # libslurm names nothing beyond ours' table: it writes the number (22.05)
    # or its one name of any unknown reason (24.11).
    unknown = reason(1 << 20).decode()
    for value in range(len(ours.REASONS), len(ours.REASONS) + 2):
        assert reason(value).decode() in (str(value), unknown)


def test_hostlist_expansion():
    from slurmrestd_py.v0_0_38.jobs import expand_hostlist
    assert expand_hostlist("vm") == ["vm"]
    assert expand_hostlist("ghost[1-2],vm") == ["ghost1", "ghost2", "vm"]
    assert expand_hostlist("n[08-10,3]-ib") == ["n08-ib", "n09-ib", "n10-ib", "n3-ib"]
    assert expand_hostlist("r[1-2]n[1-2]") == ["r1n1", "r1n2", "r2n1", "r2n2"]
