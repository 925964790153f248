"""v0_0_40/nodes.py and v0_0_42/nodes.py: the node record's declarations,
the state names against <slurm/slurm.h>, and the body and query read as
24.11's data parser reads them (no cluster needed: nothing is sent)."""
import re
import types

import pytest

from slurmrestd_py.slurm import ffi
from slurmrestd_py.v0_0_38 import nodes as v38
from slurmrestd_py.v0_0_40 import nodes as v40
from slurmrestd_py.v0_0_42 import nodes as v42

HEADER = "/usr/include/slurm/slurm.h"


def _header_bits() -> dict[str, int]:
    text = open(HEADER).read()
    bits = {m[0]: 1 << int(m[1])
            for m in re.findall(r"#define\s+(NODE_STATE_\w+|NODE_RESUME)\s+SLURM_BIT\((\d+)\)", text)}
    base = re.search(r"enum node_states \{(.*?)\}", text, re.S).group(1)
    names = re.findall(r"^\s*(NODE_STATE_\w+)", base, re.M)
    bits.update({name: i for i, name in enumerate(names)})
    return bits


# 24.11's names for <slurm/slurm.h>'s macros where they differ.
MACRO = {"RESERVED": "NODE_STATE_RES", "RESUME": "NODE_RESUME",
         "NOT_RESPONDING": "NODE_STATE_NO_RESPOND", "MAINTENANCE": "NODE_STATE_MAINT",
         "REBOOT_CANCELED": "NODE_STATE_REBOOT_CANCEL"}


def test_state_names_are_the_headers_bits():
    header = _header_bits()
    for name, value, mask, equal in v40.NODE_STATES.flags:
        if name == "INVALID":
            assert (value, mask) == (0xFFFFFFFE, 0xFFFFFFFF)
            continue
        assert value == header[MACRO.get(name, "NODE_STATE_" + name)], name
        assert equal == (mask == 0xF), name


@pytest.mark.parametrize("word, names", [
    (2, ["IDLE"]), (1 | 1 << 9 | 1 << 11, ["DOWN", "DRAIN", "NOT_RESPONDING"]),
    (0xFFFFFFFE, ["INVALID"]), (3 | 1 << 4, ["ALLOCATED"]),  # 22.05's PERFCTRS bit: no name
])
def test_states_as_24_11_lists_them(word, names):
    assert v40.NODE_STATES.listed(word) == names


def test_v0042_adds_only_the_gpu_keys():
    keys40 = [f.key for f in v40.NODE.fields]
    keys42 = [f.key for f in v42.NODE.fields]
    assert [k for k in keys42 if k not in keys40] == ["gpu_spec", "res_cores_per_gpu"]
    assert [k for k in keys42 if k in keys40] == keys40


def test_kept_keys_read_v0038s_c_fields():
    old = {f.key: f.read for f in v38.NODE.fields}
    new = {f.key: f.read for f in v40.NODE.fields}
    for was, now in (("architecture", "architecture"), ("free_memory", "free_mem"),
                     ("slurmd_version", "version"), ("reason_changed_at", "reason_changed_at"),
                     ("partitions", "partitions"), ("comment", "comment")):
        assert new[now] == old[was], now


def test_removed_fields_are_deprecated_objects():
    power = next(f for f in v40.NODE.fields if f.key == "power")
    assert power.type.definition("v0.0.40")["deprecated"] is True
    assert v40.NODE.definition("v0.0.40")["properties"]["power"] == {
        "$ref": "#/components/schemas/v0.0.40_power_mgmt_data"}
    inline = v42.NODE.definition("v0.0.42")["properties"]["power"]
    assert inline == {"type": "object", "properties": {}, "deprecated": True}


# ---- reading a request (no RPC)

def call(body=None, query=None):
    return types.SimpleNamespace(body=body, query=query or {}, warnings=[], params={})


def parse(body, shows=True):
    c = call(body)
    p = v40._Parse(c, shows)
    msg, keep = v40._update_msg(c, p)
    return msg, p, c


def test_body_fills_update_node_msg():
    msg, p, c = parse({"state": ["DRAIN"], "reason": "r", "comment": "c", "weight": 5,
                       "features": ["a", "b"], "name": ["n1", "n2", "n3"],
                       "cpu_bind": 4, "reason_uid": "root"})
    assert p.errors == [] and c.warnings == []
    assert msg.node_state == 1 << 9
    assert ffi.string(msg.reason) == b"r" and ffi.string(msg.comment) == b"c"
    assert msg.weight == 5 and msg.cpu_bind == 4 and msg.reason_uid == 0
    assert ffi.string(msg.features) == b"a,b"
    assert ffi.string(msg.node_names) == b"n[1-3]"


def test_untouched_fields_stay_unset():
    msg, p, _ = parse({})
    assert msg.node_state == msg.weight == 0xFFFFFFFE
    assert msg.comment == ffi.NULL and msg.node_names == ffi.NULL


@pytest.mark.parametrize("weight, value", [
    ({"set": True, "number": 3}, 3), ({"infinite": True}, 0xFFFFFFFF),
    ({"set": False, "number": 3}, 0xFFFFFFFE), (None, 0xFFFFFFFE), ("7", 7),
])
def test_number_objects(weight, value):
    msg, p, _ = parse({"weight": weight})
    assert p.errors == [] and msg.weight == value


def test_type_warnings_show_the_value_from_v0041_on():
    _, _, c = parse({"comment": 5}, shows=True)
    assert c.warnings == [{"description": "Expected OpenAPI type=string (Slurm type=string) but "
                                          "got OpenAPI type=integer format=int64 (Slurm type=64 "
                                          "bit integer): 5", "source": "#/comment/"}]
    _, _, c = parse({"comment": 5}, shows=False)
    assert c.warnings[0]["description"].endswith("(Slurm type=64 bit integer)")


def test_unknown_flag_is_an_error_and_the_rest_is_read():
    msg, p, _ = parse({"state": ["BOGUS", "DRAIN"], "weight": 2})
    assert msg is not None and msg.weight == 2 and msg.node_state == 1 << 9
    assert [(e["error_number"], e["source"]) for e in p.errors] == [(9207, "#/state[0]/")]


def test_a_refused_value_stops_the_request():
    msg, p, _ = parse({"weight": "abc"})
    assert msg is None
    assert [(e["error_number"], e["description"]) for e in p.errors] == [
        (9202, 'Expected integer but got "abc"')]
    msg, p, _ = parse({"comment": [1]})  # 24.11: no error at all, and no update
    assert msg is None and p.errors == []
    msg, p, _ = parse([1])
    assert msg is None and p.errors[0]["error_number"] == 9209


def test_unknown_keys_are_warned_after_the_fields():
    _, _, c = parse({"zzz": "x", "name": "n1"})
    assert [w["source"] for w in c.warnings] == ["#/name/", "#/zzz/"]


@pytest.mark.parametrize("value, since", [("0", 0), ("1796397105", 1796397105), ("1.5", 1)])
def test_update_time_numbers(value, since):
    c = call(query={"update_time": value})
    assert v40.query(c, v40._Parse(c, True)) == (since, v38.SHOW_FLAGS)


@pytest.mark.parametrize("value, description", [
    ("", "Invalid or unset timestamp value"), ("null", "Invalid or unset timestamp value"),
    ("junk", "Parsing of junk for timestamp failed"),
])
def test_update_time_refused(value, description):
    c = call(query={"update_time": value})
    p = v40._Parse(c, True)
    with pytest.raises(v40._Refused):
        v40.query(c, p)
    assert [(e["description"], e["source"]) for e in p.errors] == [(description, "#/update_time/")]


def test_flags_query():
    c = call(query={"flags": ["ALL", "FUTURE"]})
    assert v40.query(c, v40._Parse(c, True)) == (0, 0x81)
    c = call(query={"flags": "BOGUS"})
    p = v40._Parse(c, True)
    assert v40.query(c, p) == (0, v38.SHOW_FLAGS)
    assert p.errors[0]["error_number"] == 9207
