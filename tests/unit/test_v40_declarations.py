"""v0.0.40+ partitions, shares and the query readers, read from C structs
made here: the nested keys in the reference's order, memory limits split by
their per-CPU bit, flag lists, and update_time as each version reads it."""
import pytest

from slurmrestd_py import slurm
from slurmrestd_py.kinds import flag_list
from slurmrestd_py.slurm import ffi, lib
from slurmrestd_py.v0_0_40 import partitions as p40
from slurmrestd_py.v0_0_40 import query
from slurmrestd_py.v0_0_40 import shares as s40
from slurmrestd_py.v0_0_42 import partitions as p42

NO_VAL, INFINITE, NO_VAL64 = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFFFFFFFFFE
UNSET = {"set": False, "infinite": False, "number": 0}
UNLIMITED = {"set": False, "infinite": True, "number": 0}


def number(n):
    return {"set": True, "infinite": False, "number": n}


def partition(**fields):
    p = ffi.new("partition_info_t *")
    for name, value in fields.items():
        setattr(p, name, value)
    return p


def test_keys_nest_in_the_reference_order():
    top = list(p42.PARTITION.read(partition()))
    assert top == ["nodes", "accounts", "groups", "qos", "alternate", "tres", "cluster",
                   "select_type", "cpus", "defaults", "grace_time", "maximums", "minimums",
                   "name", "node_sets", "priority", "timeouts", "partition", "suspend_time"]
    assert "select_type" not in p40.PARTITION.read(partition())
    read = p40.PARTITION.read(partition())
    assert list(read["maximums"]) == [
        "cpus_per_node", "cpus_per_socket", "memory_per_cpu", "partition_memory_per_cpu",
        "partition_memory_per_node", "nodes", "shares", "oversubscribe", "time",
        "over_time_limit"]
    assert list(read["defaults"]) == ["memory_per_cpu", "partition_memory_per_cpu",
                                      "partition_memory_per_node", "time", "job"]
    assert read["name"] == "" and read["partition"] == {"state": ["INACTIVE"]}


def test_limits_and_memory():
    per_cpu = lib.MEM_PER_CPU | 100
    read = p40.PARTITION.read(partition(
        def_mem_per_cpu=per_cpu, max_mem_per_cpu=400, default_time=INFINITE, max_time=NO_VAL,
        max_nodes=3, over_time_limit=0xFFFF, max_share=lib.SHARED_FORCE | 2, state_up=0xFFFE))
    d, m = read["defaults"], read["maximums"]
    assert (d["memory_per_cpu"], d["partition_memory_per_cpu"], d["partition_memory_per_node"]) \
        == (per_cpu - (1 << 64), number(100), UNSET)
    assert (m["memory_per_cpu"], m["partition_memory_per_cpu"], m["partition_memory_per_node"]) \
        == (400, UNSET, number(400))
    assert (d["time"], m["time"], m["nodes"], m["over_time_limit"]) == \
        (UNLIMITED, UNSET, number(3), UNLIMITED)
    assert (m["shares"], m["oversubscribe"]) == (0x8002, {"jobs": 2, "flags": ["force"]})
    assert m["cpus_per_socket"] == UNLIMITED  # 22.05 has no such limit
    assert read["partition"]["state"] == ["UNKNOWN"]
    unset = p40.PARTITION.read(partition(def_mem_per_cpu=NO_VAL64))["defaults"]
    assert (unset["memory_per_cpu"], unset["partition_memory_per_node"]) == (None, UNSET)


def test_select_type():
    read = p42.PARTITION.read(partition(cr_type=lib.CR_CORE | lib.CR_MEMORY))
    assert read["select_type"] == ["CORE", "MEMORY"]
    assert p42.PARTITION.read(partition(cr_type=lib.CR_CPU))["select_type"] == ["CPU"]


def test_flag_list():
    lst, read = flag_list("things", (("A", 0x3, 0x1), ("B", 0x3, 0x2), ("C", 0x4, 0x4)))
    assert (read(0x1), read(0x6), read(0x3), read(0)) == (["A"], ["B", "C"], [], [])
    assert lst.definition()["items"] == {"type": "string", "enum": ["A", "B", "C"]}


@pytest.mark.parametrize("text, typed, value, error", [
    ("", False, 0, "Invalid or unset timestamp value"),
    ("", True, 0, "Invalid or unset timestamp value"),
    ("12", True, 12, None), ("99999999999999999999", True, (1 << 63) - 1, None),
    ("-5", True, -5, None), ("0.4", True, 0, None), ("0x10", True, 16, None),
    ("inf", True, 0, "Invalid or unset timestamp value"),
    ("null", True, 0, "Invalid or unset timestamp value"),
    ("true", True, 0, "Expected integer but got true"),
    ("12", False, 0, "Parsing of 12 for timestamp failed"),
    ("null", False, 0, "Parsing of null for timestamp failed"),
    ("abc", True, 0, "Parsing of abc for timestamp failed"),
])
def test_timestamp(text, typed, value, error):
    errors = []
    assert query.timestamp(text, "#/update_time/", errors, typed) == value
    assert [e["description"] for e in errors] == ([error] if error else [])


def test_timestamp_reads_dates():
    assert query.timestamp("now+1hour", "#/update_time/", [], False) > 0
    assert query.timestamp("2020-01-01T00:00:00", "#/update_time/", [], True) > 0


def test_show_flags():
    errors = []
    assert query.show_flags("all", "#/flags", errors) == lib.SHOW_ALL
    assert query.show_flags("Detail", "#/flags", errors) == lib.SHOW_DETAIL
    assert errors == []
    assert query.show_flags("bogus", "#/flags", errors) == 0
    assert errors == [{"description": 'Unknown flag "bogus"', "error_number": 9207,
                       "error": "Data parser unable to parse invalid flag",
                       "source": "#/flags[0]/"}]


@pytest.mark.skipif(not slurm.PRIVATE_LAYOUTS, reason="the share messages are 22.05's layout")
def test_share_tres_lists_by_name():
    share = ffi.new("assoc_shares_object_t *")
    run = ffi.new("uint64_t[]", [5, NO_VAL64])
    usage = ffi.new("long double[]", [1.5, float(NO_VAL)])
    share.tres_run_secs, share.usage_tres_raw, share.user = run, usage, 1
    names = [ffi.new("char[]", b"cpu"), ffi.new("char[]", b"mem")]
    msg = ffi.new("shares_response_msg_t *")
    msg.tres_cnt, msg.tres_names = 2, ffi.new("char *[]", names)
    read = s40.SHARE.with_names(tres=s40._tres_reader(msg)).read(share)
    assert read["tres"] == {
        "run_seconds": [{"name": "cpu", "value": number(5)}, {"name": "mem", "value": UNSET}],
        "group_minutes": [],  # a NULL array
        "usage": [{"name": "cpu", "value": 1.5}, {"name": "mem", "value": None}]}
    assert read["type"] == ["USER"] and read["usage"] == 0
