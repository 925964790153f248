"""errors.py: Slurm's error numbers as the installed <slurm/slurm_errno.h>
defines them, and the error-entry shapes of each endpoint style."""
import re

from slurmrestd_py import errors
from slurmrestd_py.slurm import lib

NUMBERS = [n for n in vars(errors) if re.fullmatch(r"E?SLURM_[A-Z_]+|EPERM", n)]


def test_every_number_is_the_headers():
    assert len(NUMBERS) > 15
    for name in NUMBERS:
        if name in ("SLURM_ERROR", "EPERM"):  # not from slurm_errno.h
            continue
        if getattr(errors, name) in errors.NEWER_ERRORS:  # later Slurm's, not 22.05's header
            assert not hasattr(lib, name), name
            continue
        assert getattr(errors, name) == getattr(lib, name), name


def test_entry_shapes():
    assert errors.error_entry("errno", 2018, "Invalid node name specified") == {
        "error": "Invalid node name specified", "errno": 2018}
    assert errors.error_entry("error_code", 9202, "x") == {"error": "x", "error_code": 9202}
    assert list(errors.error_entry("error_number", 1, "m", "d", "s")) == [
        "description", "error_number", "error", "source"]
    # slurmdb: description and source only when known.
    assert errors.error_entry("slurmdb", 9003, "Nothing found") == {
        "error_number": 9003, "error": "Nothing found"}
    assert list(errors.error_entry("slurmdb", 9003, "n", "d", "s")) == [
        "description", "error_number", "error", "source"]


def test_refused_credentials():
    assert errors.refused_credentials(errors.SLURM_PROTOCOL_AUTHENTICATION_ERROR)
    assert errors.refused_credentials(errors.ESLURM_AUTH_CRED_INVALID)
    assert not errors.refused_credentials(errors.ESLURM_INVALID_NODE_NAME)
    # slurmctld hangs up on a token it refuses; without a token that is no refusal.
    assert errors.refused_credentials(errors.SLURM_PROTOCOL_SOCKET_ZERO_BYTES_SENT, token=True)
    assert not errors.refused_credentials(errors.SLURM_PROTOCOL_SOCKET_ZERO_BYTES_SENT)
    assert errors.refused_credentials(errors.SLURMCTLD_COMMUNICATIONS_RECEIVE_ERROR, token=True)


def test_slurm_error_has_slurms_message():
    e = errors.SlurmError(errors.ESLURM_INVALID_NODE_NAME, "slurm_load_node")
    assert e.strerror == "Invalid node name specified"
    assert e.description == "" and e.call == "slurm_load_node"
