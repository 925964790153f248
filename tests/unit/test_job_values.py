"""Job properties into a job_desc_msg_t (jobdesc/, v0.0.38's keys) without a
cluster: values beyond their C field, or no text, are the reference's error
entries naming the key (400), never an exception."""
import pytest

from slurmrestd_py.errors import ESLURM_DATA_CONV_FAILED
from slurmrestd_py.jobdesc import control
from slurmrestd_py.v0_0_38.job_control import WORDS
from slurmrestd_py.v0_0_38.jobs import job_id_text

ENV = {"environment": {"PATH": "/bin"}}


def prepare(props: dict, update: bool = False):
    """(job_desc_msg_t or None, error entries), as a submission or update builds them."""
    errors, keep = [], []
    spec = control._parse(props, errors, update, WORDS)
    desc = control._prepare(spec, errors, update, keep) if spec is not None else None
    return desc, errors


def refused(key: str, value, update: bool = False) -> list:
    desc, errors = prepare({**ENV, key: value}, update)
    assert desc is None
    assert errors[-1]["description"] == f'Unable to process key "{key}"'
    return errors


@pytest.mark.parametrize("key, value", [
    ("distribution", "plane=402569"),  # plane_size: 16 bits
    ("nodes", "1-9999999999999"),  # 32 bits
    ("nodes", "9999999999999"),
    ("nodes", "5000000k"),
    ("memory_per_cpu", "99999999999999999T"),
    ("memory_per_node", "9223372036854775807G"),
    ("cpus_per_task", 70000),
    ("minimum_cpus_per_node", 65536),
    ("ntasks_per_gpu", -1),
    ("ntasks_per_tres", 1 << 40),
    ("tasks", "9" * 5000),
    ("nice", "-" + "9" * 5000),
])
def test_values_beyond_their_c_field_are_refused(key, value):
    refused(key, value)
    refused(key, value, update=True)


@pytest.mark.parametrize("key, value", [
    ("name", "a\0b"), ("comment", "\ud800"), ("argv", ["ok", "\udfff"]),
    ("environment", {"A": "\ud800"}), ("environment", {"\ud800": "x"}),
])
def test_text_no_c_string_holds_is_refused(key, value):
    errors = refused(key, value)
    assert errors[0]["error"].startswith(f"Invalid {key}: ")
    assert errors[0]["error_code"] == ESLURM_DATA_CONV_FAILED


def test_values_at_their_limits_are_accepted():
    desc, errors = prepare({**ENV, "distribution": "plane=65535", "nodes": "1-4294967295",
                            "memory_per_cpu": "8796093022207T", "cpus_per_task": 65535},
                           update=True)
    assert errors == [] and desc.plane_size == 65535 and desc.max_nodes == 4294967295
    assert desc.cpus_per_task == 65535


def test_a_script_no_c_string_holds_is_refused():
    from slurmrestd_py.convert import Invalid
    with pytest.raises(Invalid) as e:
        control.submit_job(type("Call", (), {"body": {"script": "#!/bin/sh\0", "job": ENV}}),
                           WORDS)
    assert e.value.field == "script"


@pytest.mark.parametrize("value, text", [
    ("9" * 5000, str((1 << 63) - 1)), ("-" + "9" * 5000, str(-(1 << 63))),
    ("0" * 5000 + "42", "42")])
def test_job_ids_of_any_length_saturate_as_the_reference_reads_them(value, text):
    assert job_id_text(value) == text


def test_signals_of_any_length_are_no_signal():
    assert control.signal_number("9" * 5000) == 0


def test_query_integers_of_any_length_saturate():
    from slurmrestd_py.words import truth as boolean
    from slurmrestd_py.words import rounded as _integer
    from slurmrestd_py.v0_0_38.reservations import update_time
    call = type("Call", (), {"query": {"update_time": "9" * 5000}})
    assert update_time(call) == (1 << 63) - 1
    assert _integer("-" + "9" * 5000) == -(1 << 63)
    assert boolean("0" * 5000) is False and boolean("1" * 5000) is True
    # Decimals are rounded as lrint does, the infinite too (no OverflowError).
    assert _integer("2.5") == 2 and _integer("1.0e999") == -(1 << 63)


def test_a_refusal_of_the_credentials_is_left_to_the_app():
    from slurmrestd_py.errors import SlurmError
    with pytest.raises(SlurmError):
        control._unless_refused(5005, "slurm_submit_batch_job")  # slurmctld hung up
    assert control._unless_refused(2017, "slurm_update_job2") == 2017
