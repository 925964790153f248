"""/slurmdb v0.0.40-42 jobs, QOS and clusters: values as 24.11 writes them
(exit codes, state and flag lists, CPU frequencies), their declarations
derived from v0.0.38's, and the operations each version serves."""
import pytest

from slurmrestd_py.app import build_router
from slurmrestd_py.dbv0_0_40 import jobs
from slurmrestd_py.dbv0_0_40.common import number_inputs
from slurmrestd_py.dbv0_0_41 import jobs as jobs41
from slurmrestd_py.dbv0_0_42 import jobs as jobs42, qos as qos42
from slurmrestd_py.dbv0_0_40 import qos
from slurmrestd_py.slurmdb.job_values import cpu_freq_name, job_states

UNSET = {"set": False, "infinite": False, "number": 0}


def num(n):
    return {"set": True, "infinite": False, "number": n}


@pytest.mark.parametrize("status, expected", [
    (0, (["SUCCESS"], num(0), UNSET, "")),
    (3 << 8, (["ERROR"], num(3), UNSET, "")),
    (9, (["SIGNALED"], UNSET, num(9), "KILL")),
    (15, (["SIGNALED"], UNSET, num(15), "TERM")),
    (0xFFFFFFFE, (["PENDING"], UNSET, UNSET, "")),
])
def test_exit_code(status, expected):
    out = jobs.exit_code(status)
    assert (out["status"], out["return_code"], out["signal"]["id"],
            out["signal"]["name"]) == expected


def test_job_states_base_then_flags():
    assert job_states(3) == ["COMPLETED"]
    assert job_states(1 | (1 << 15)) == ["RUNNING", "COMPLETING"]
    assert job_states(0 | (1 << 10) | (1 << 11)) == ["PENDING", "REQUEUED", "REQUEUE_HOLD"]


@pytest.mark.parametrize("flags, names", [
    (0, ["NONE"]), (0x14, ["STARTED_ON_SCHEDULE", "START_RECEIVED"]),
    (0x0F, ["CLEAR_SCHEDULING", "NOT_SET", "STARTED_ON_SUBMIT", "STARTED_ON_SCHEDULE",
            "STARTED_ON_BACKFILL"]),
])
def test_job_flags(flags, names):
    class Job:
        pass
    job = Job()
    job.flags = flags
    assert jobs.job_flags(job) == names


@pytest.mark.parametrize("value, text", [
    (0, "0"), (500, "500K"), (2400000, "2.40G"), (1000000, "1G"), (0x82000000, "Performance"),
    (0xFFFFFFFE, "Unknown"),
])
def test_cpu_freq_name(value, text):
    assert cpu_freq_name(value) == text


def test_job_keys_per_version():
    keys40 = [f.key for f in jobs.JOB.fields]
    keys41 = [f.key for f in jobs41.JOB.fields]
    keys42 = [f.key for f in jobs42.JOB.fields]
    assert set(keys41) - set(keys40) == {"stdin_expanded", "stdout_expanded",
                                         "stderr_expanded", "stdout", "stderr", "stdin"}
    assert set(keys42) - set(keys41) == {"qosreq", "restart_cnt"}
    assert keys40[:5] == ["account", "comment", "allocation_nodes", "array", "association"]
    required = next(f for f in jobs.JOB.fields if f.key == "required")
    assert [f.key for f in required.type.fields] == ["CPUs", "memory_per_cpu",
                                                      "memory_per_node"]


def test_qos_v42_adds_group_limits():
    def paths(obj, prefix=""):
        for f in obj.fields:
            sub = getattr(f.type, "fields", None)
            if sub and not getattr(f.type, "items", None) and f.type.name == "":
                yield from paths(f.type, prefix + f.key + "/")
            else:
                yield prefix + f.key
    added = set(paths(qos42.QOS)) - set(paths(qos.QOS))
    assert added == {"limits/max/jobs/count", "limits/max/tres/minutes/total"}


def test_number_inputs_take_objects():
    class Rec:
        priority = 0
    writer = number_inputs(qos.QOS).writers()["priority"].write
    rec = Rec()
    for value, stored in (({"set": True, "number": 5}, 5), ({"infinite": True}, 0xFFFFFFFF),
                          ({"set": False}, 0xFFFFFFFE), (7, 7)):
        writer(rec, value, None)
        assert rec.priority == stored


def test_operations_served():
    def ops(version):
        prefix = f"/slurmdb/{version}/"
        return {(op.method, op.path[len(prefix):])
                for op in build_router([f"db{version}"]).operations if op.path.startswith(prefix)}
    mine = {("GET", "jobs/"), ("GET", "job/{job_id}"), ("GET", "qos/"), ("POST", "qos/"),
            ("GET", "qos/{qos}"), ("DELETE", "qos/{qos}"), ("GET", "tres/"), ("POST", "tres/"),
            ("GET", "clusters/"), ("POST", "clusters/"), ("GET", "cluster/{cluster_name}"),
            ("DELETE", "cluster/{cluster_name}"), ("GET", "config"), ("POST", "config"),
            ("GET", "diag/"), ("GET", "instances/"), ("GET", "instance/")}
    for version in ("v0.0.40", "v0.0.41", "v0.0.42"):
        assert mine <= ops(version), version
