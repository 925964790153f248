"""v0.0.40 and later job descriptions: the "number or {set, infinite,
number}" reader, flag and string lists, the parsers' type warnings, and the
declarations of v0.0.40-42 (derived from v0.0.38's)."""
import pytest

from slurmrestd_py.errors import PropertyError
from slurmrestd_py.jobdesc import control_40
from slurmrestd_py.jobdesc.job_desc import Spec
from slurmrestd_py.jobdesc.values import no_val_number
from slurmrestd_py.jobdesc.writers import number, text_list, w_mail_flags, w_shared_flags
from slurmrestd_py.kinds import U32_OBJ
from slurmrestd_py.schema import Str
from slurmrestd_py.v0_0_40 import job_control as v40
from slurmrestd_py.v0_0_41 import job_control as v41
from slurmrestd_py.v0_0_42 import job_control as v42

NO_VAL, INFINITE = 0xFFFFFFFE, 0xFFFFFFFF


@pytest.mark.parametrize("value, expected", [
    (30, 30), ("30", 30), (" 7 ", 7), (2.9, 2), (None, NO_VAL),
    ({"set": True, "number": 30}, 30), ({"set": False, "number": 30}, NO_VAL),
    ({"infinite": True}, INFINITE), ({"set": True, "infinite": True, "number": 5}, INFINITE),
    ({}, NO_VAL), (float("inf"), INFINITE), (float("nan"), NO_VAL),
    (NO_VAL, INFINITE), (1 << 40, INFINITE),  # from NO_VAL up: unlimited, as the reference
])
def test_no_val_number(value, expected):
    assert no_val_number(value) == expected


def test_no_val_number_widths():
    assert no_val_number(None, 64) == (1 << 64) - 2
    assert no_val_number({"infinite": True}, 16) == 0xFFFF
    assert no_val_number(70000, 16) == 0xFFFF


@pytest.mark.parametrize("value", ["abc", [1], True])
def test_no_val_number_refusals(value):
    with pytest.raises(PropertyError) as v40_style:
        no_val_number(value)
    assert v40_style.value.entries[0]["error_number"] == 9209
    assert v40_style.value.entries[0]["error"] == "Data parser expected a dictionary or object"
    with pytest.raises(PropertyError) as v41_style:
        no_val_number(value, quoted=True)
    entry = v41_style.value.entries[0]
    assert entry["error_number"] == 9202 and entry["description"].startswith(
        "Expected integer but got ")


def test_number_object_without_number():
    with pytest.raises(PropertyError) as e:
        no_val_number({"set": True})
    assert "field not present" in e.value.entries[0]["description"]


def test_number_writer_leaves_unset_alone():
    spec = Spec()
    number("time_limit")(spec, {"set": False})
    assert spec.time_limit == NO_VAL
    number("time_limit")(spec, 45)
    assert spec.time_limit == 45
    number("req_switch", member=True)(spec, {"set": True, "number": 2})
    assert spec.numbers == {"req_switch": 2}


def test_flag_and_string_lists():
    spec = Spec()
    w_mail_flags(spec, ["END", "fail"])
    assert spec.mail_type == 0b110 and spec.mail_type_set
    w_mail_flags(spec, "BEGIN")  # one name alone
    assert spec.mail_type == 1
    with pytest.raises(PropertyError) as e:
        w_mail_flags(spec, ["NEVER"])
    assert e.value.entries[0]["error_number"] == 9207
    w_shared_flags(spec, ["user"])
    assert spec.shared == 2
    text_list("exc_nodes")(spec, ["ghost1", "ghost2"])
    assert spec.text["exc_nodes"] == "ghost1,ghost2"


def test_type_warnings():
    w = control_40.type_warning(Str, 5, "#/job/name/", control_40.V41)
    assert w == {"description": "Expected OpenAPI type=string (Slurm type=string) but got "
                                "OpenAPI type=integer (Slurm type=64 bit integer): 5",
                 "source": "#/job/name/"}
    assert control_40.type_warning(Str, 5, "#/x/", control_40.V40)["description"].endswith(
        "(Slurm type=64 bit integer)")
    # A plain number for a number object: v0.0.40 warns, later versions do not.
    assert control_40.type_warning(U32_OBJ, 30, "#/x/", control_40.V40)
    assert control_40.type_warning(U32_OBJ, 30, "#/x/", control_40.V41) is None
    assert control_40.type_warning(Str, None, "#/x/") is None
    tasks = v40.JOB_DESC.writers()["tasks"].type
    assert "type=integer format=int32 (Slurm type=64 bit integer)" in \
        control_40.type_warning(tasks, "2", "#/x/")["description"]


def test_declarations_derive_from_v38():
    keys40 = [f.key for f in v40.JOB_DESC.fields]
    assert keys40 == v40.ORDER  # the reference's order
    assert not set(v40.DROPPED) & set(keys40)
    # Kept keys write as v0.0.38's do unless their form changed.
    old = v40.v38.PROPERTIES.writers()  # (other tests may reload the modules)
    for key, field in v40.JOB_DESC.writers().items():
        if key in old and key not in v40.RETYPED:
            assert field.write is old[key].write, key
    keys41 = [f.key for f in v41.JOB_DESC.fields]
    assert set(keys41) - set(keys40) == {"resv_mpi_ports", "segment_size"}
    assert set(keys40) - set(keys41) == {"cores_per_socket"}
    keys42 = [f.key for f in v42.JOB_DESC.fields]
    assert set(keys42) - set(keys41) == {"oom_kill_step"}
    assert set(keys41) - set(keys42) == {"exclusive", "oversubscribe", "resv_mpi_ports"}


def test_operations():
    ids = {v: [(op.method, op.path, op.operation_id) for op in m.OPERATIONS]
           for v, m in (("40", v40), ("41", v41), ("42", v42))}
    assert ("POST", "job/allocate", "post_job_allocate") not in ids["40"]
    assert ("POST", "job/allocate", "post_job_allocate") in ids["41"]
    assert ("DELETE", "jobs/", "delete_jobs") in ids["42"]
    assert [f.key for f in v42.SUBMIT_RESPONSE.fields][:3] == [
        "job_id", "step_id", "job_submit_user_msg"]
