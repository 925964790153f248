"""The older /slurm versions: what each serves and the deltas it derives."""
import pytest

from slurmrestd_py.errors import ApiError, HttpError
from slurmrestd_py.versions import BY_PLUGIN


def operations(plugin):
    import importlib
    version = BY_PLUGIN[plugin]
    return [op.bound(version) for module, _ in version.modules
            for op in importlib.import_module(f"slurmrestd_py.{module}").OPERATIONS]


@pytest.mark.parametrize("plugin, count", [("v0.0.36", 11), ("v0.0.37", 13), ("v0.0.38", 14)])
def test_operation_counts_and_unique_ids(plugin, count):
    ops = operations(plugin)
    assert len(ops) == count
    assert len({op.operation_id for op in ops}) == count
    assert all(op.path.startswith(f"/slurm/{plugin}/") for op in ops)


def test_what_each_version_lacks():
    paths = {p: {op.path.split("/", 3)[3] for op in operations(p)}
             for p in ("v0.0.36", "v0.0.37", "v0.0.38")}
    assert paths["v0.0.38"] - paths["v0.0.37"] == {"licenses"}
    assert paths["v0.0.37"] - paths["v0.0.36"] == {"reservations",
                                                   "reservation/{reservation_name}"}
    v36 = {op.path: op for op in operations("v0.0.36")}
    assert not any(p.name == "update_time" for op in v36.values() for p in op.params)
    assert v36["/slurm/v0.0.36/job/{job_id}"].params[0].type.json_type == "integer"
    assert BY_PLUGIN["v0.0.36"].title == "REST v0.0.36"


def test_v0_0_37_job_properties():
    from slurmrestd_py.v0_0_37.job_control import WORDS
    assert {"cpu_binding hint", "msc_label", "time minimum"} <= set(WORDS.writers)
    assert not {"cpu_binding_hint", "mcs_label", "time_minimum", "container", "prefer",
                "oversubscribe"} & set(WORDS.writers)
    assert "oversubscribe" in WORDS.disabled
    assert WORDS.refused.format("x") == 'Unknown key "x"'


def test_v0_0_36_job_properties():
    from slurmrestd_py.v0_0_36.job_control import WORDS
    assert {"standard_in", "standard_out", "kill_on_invalid dependency"} <= set(WORDS.writers)
    assert "priority" in WORDS.disabled and "priority" not in WORDS.writers
    assert WORDS.default_name == "openapi"


def test_v0_0_37_job_flags():
    from slurmrestd_py.v0_0_37 import jobs
    assert "JOB_CPUS_SET " in dict(jobs.JOB_FLAGS).values()
    assert [f.key for f in jobs.JOB.fields if f.key in ("container", "prefer", "group_name")] \
        == []


@pytest.mark.parametrize("segment, number", [
    ("12", 12), ("12.4", 12), ("12.5", 12), ("13.5", 14), ("+7", 7), ("-3", 4294967293),
    ("4294967293", 4294967293),
])
def test_v0_0_36_job_ids(segment, number):
    from slurmrestd_py.v0_0_36.jobs import job_id
    assert job_id(segment) == (number, str(number))


@pytest.mark.parametrize("segment", ["abc", "12_1", "yes", "true", "1e3", "12+1"])
def test_v0_0_36_job_ids_that_match_no_path(segment):
    from slurmrestd_py.v0_0_36.jobs import job_id
    with pytest.raises(HttpError) as e:
        job_id(segment)
    assert e.value.status == 404


@pytest.mark.parametrize("segment", ["0", "4294967294", "99999999999"])
def test_v0_0_36_job_ids_that_name_no_job(segment):
    from slurmrestd_py.v0_0_36.jobs import job_id
    with pytest.raises(ApiError) as e:
        job_id(segment)
    assert (e.value.status, e.value.errno) == (400, 2017)


def test_v0_0_36_error_entries():
    from slurmrestd_py.v0_0_36.job_control import _entry
    assert _entry({"description": "invalid signal: 0", "error_number": 9000, "error": "x",
                   "source": "s"}) == {"error": "invalid signal: 0", "error_code": 9000}
    assert _entry({"description": 'Unknown key "x"', "source": "hsearch_r"}) == \
        {"error": 'Unknown key "x"', "error_code": -1}
    kept = {"error_code": 2127, "error": "environment must be set"}
    assert _entry(kept) is kept
