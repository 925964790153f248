"""dbv0.0.37 and dbv0.0.36: derived from dbv0.0.38's declarations, served
with the reference's operations, dbv0.0.38 itself unchanged."""
import pytest

from slurmrestd_py.app import build_router
from slurmrestd_py.errors import HttpError


def _operations(plugin):
    prefix = "/slurmdb/" + plugin[2:] + "/"
    return {(op.method, op.path[len(prefix):]) for op in build_router([plugin]).operations
            if op.path.startswith(prefix)}


def test_operations_as_the_reference_serves_them():
    new, v37, v36 = (_operations(p) for p in ("dbv0.0.38", "dbv0.0.37", "dbv0.0.36"))
    assert (len(new), len(v37), len(v36)) == (32, 30, 29)
    assert new - v37 == {("POST", "qos"), ("DELETE", "associations")}
    assert v37 - v36 == {("POST", "associations")} and not v37 - new and not v36 - v37


def test_objects_are_derived():
    from slurmrestd_py.dbv0_0_36 import associations, jobs, qos
    from slurmrestd_py.dbv0_0_37 import users
    assert "flags" not in [f.key for f in users.USER.fields]
    limits = qos.QOS.definition("x")["properties"]["limits"]["properties"]
    assert list(limits) == ["grace_time", "max", "min"]
    assert list(limits["max"]["properties"]["jobs"]["properties"]) == ["per"]
    assert [leaf.read for leaf in qos.QOS.entries if leaf.key.startswith("limits/max/jobs/")] \
        == ["max_jobs_pa", "max_jobs_pu"]
    state = jobs.JOB.definition("x")["properties"]["state"]["properties"]
    assert list(state) == ["current", "previous"]
    assert "is_default" not in associations.ASSOCIATION.definition("x")["properties"]


@pytest.mark.parametrize("segment,text", [("12", "12"), ("12.5", "12"), ("13.5", "14"),
                                          ("+7", "7"), ("-3", "-3"), ("1.e999", str(2**63 - 1))])
def test_job_id_is_an_integer(segment, text):
    from slurmrestd_py.dbv0_0_37.jobs import job_id_text
    assert job_id_text(segment) == text


@pytest.mark.parametrize("segment", ["abc", "1_2", "1.batch", "1e3", "true"])
def test_job_id_not_an_integer_matches_nothing(segment):
    from slurmrestd_py.dbv0_0_37.jobs import job_id_text
    with pytest.raises(HttpError) as e:
        job_id_text(segment)
    assert e.value.status == 404
