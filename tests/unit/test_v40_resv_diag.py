"""v0.0.40-42 reservations and statistics: what each version serves, and
the declarations read from stand-ins of libslurm's records."""
import time
import types

import pytest

from slurmrestd_py import slurm
from slurmrestd_py.errors import ApiError
from slurmrestd_py.v0_0_40 import diag as d40
from slurmrestd_py.v0_0_40 import reservations as r40
from slurmrestd_py.v0_0_42 import diag as d42
from slurmrestd_py.v0_0_42 import reservations as r42
from slurmrestd_py.versions import BY_PLUGIN

from test_versions import operations

PARSERS = ("v0.0.40", "v0.0.41", "v0.0.42")


@pytest.mark.parametrize("plugin", PARSERS)
def test_each_path_once(plugin):
    ops = operations(plugin)
    served = [(op.method, op.path.split("/", 3)[3]) for op in ops]
    assert len(set(served)) == len(served)
    assert {("GET", t) for t in ("diag/", "licenses/", "ping/", "reservations/",
                                 "reservation/{reservation_name}")} <= set(served)
    assert len({op.operation_id for op in ops}) == len(ops)


def test_v0_0_41_pairs_v0_0_40_ping_with_v0_0_42_statistics():
    by_tail = {op.path.split("/", 3)[3]: op for op in operations("v0.0.41")}
    assert by_tail["diag/"].response.fields[0].type is d42.STATISTICS
    assert "responding" not in by_tail["ping/"].response.definition(
        BY_PLUGIN["v0.0.41"].ns)["properties"]["pings"]["items"]["properties"]
    assert by_tail["reservations/"].response.fields[0].type.items is r42.RESERVATION


def flags(table, bits):
    return r40.flags_field(table, "").type.listed(bits)


def test_reservation_flags_in_24_11_order():
    assert flags(r40.FLAG_NAMES, (1 << 25) | (1 << 21) | (1 << 14) | (1 << 15)) == \
        ["OVERLAP", "SPEC_NODES", "WEEKDAY", "FLEX"]
    # REOCCURRING: only with every repeating bit.
    every = (1 << 35) | (1 << 2) | (1 << 4) | (1 << 21) | (1 << 23)
    assert flags(r42.FLAG_NAMES, every)[-1] == "REOCCURRING"
    assert "REOCCURRING" not in flags(r42.FLAG_NAMES, every & ~(1 << 4))
    # 24.11 names no FIRST_CORES, REPLACE_DOWN, NO_ANY_NODES, NO_MAGNETIC.
    assert flags(r42.FLAG_NAMES, (1 << 16) | (1 << 30) | (1 << 9) | (1 << 33)) == []
    assert flags(r42.FLAG_NAMES, 1 << 39) == ["USER_DELETE"]


def test_user_delete_named_from_v0_0_41():
    def enum(obj):
        return next(f for f in obj.fields if f.key == "flags").type.items.enum
    assert "USER_DELETE" not in enum(r40.RESERVATION)
    assert enum(r42.RESERVATION)[-3:] == ["USER_DELETE", "NO_USER_DELETE", "REOCCURRING"]


def call(value):
    return types.SimpleNamespace(query={} if value is None else {"update_time": value})


@pytest.mark.parametrize("value, v40, v42", [
    (None, 0, 0), ("12", None, 12), ("abc", None, None), ("", None, None),
])
def test_update_time(value, v40, v42):
    for typed, expected in ((False, v40), (True, v42)):
        read = r40.update_time_reader(typed)
        if expected is None:
            with pytest.raises(ApiError) as e:
                read(call(value), "op_handler_reservations")
            assert e.value.status == 500 and e.value.payload == {}
            assert [x["source"] for x in e.value.errors] == ["#/update_time/",
                                                             "op_handler_reservations"]
            assert e.value.errors[0]["description"] == (
                "Invalid or unset timestamp value" if value == ""
                else f"Parsing of {value} for timestamp failed")
        else:
            assert read(call(value), "op_handler_reservations") == expected


def test_update_time_now():
    for typed in (False, True):
        assert abs(r40.update_time_reader(typed)(call("now"), "x") - time.time()) < 5


def stats(**over):
    s = {}
    for obj in (d40.STATISTICS, d42.STATISTICS):
        for f in obj.fields:
            if isinstance(f.read, str):
                s[f.read] = 3
    s.update(req_time=1000, req_time_start=940, schedule_cycle_counter=12,
             schedule_cycle_sum=120, schedule_cycle_depth=24, bf_cycle_counter=2,
             bf_queue_len_sum=10, bf_table_size_sum=40, bf_depth_sum=4, bf_depth_try_sum=2,
             bf_cycle_sum=50, bf_active=1,
             rpc_type_size=2, rpc_type_id=[1008, 2009], rpc_type_cnt=[4, 0],
             rpc_type_time=[10, 0], rpc_user_size=1, rpc_user_id=[0], rpc_user_cnt=[3],
             rpc_user_time=[9], rpc_queue_type_count=1, rpc_queue_type_id=[1008],
             rpc_queue_count=[2], rpc_dump_count=0, rpc_dump_types=[], rpc_dump_hostlist=[],
             # slurmctld's exit counts by its own index (24.11 keeps them; 22.05 none)
             schedule_exit=[10, 11, 12, 13, 14, 15], schedule_exit_cnt=6,
             bf_exit=[20, 21, 22, 23, 24, 25], bf_exit_cnt=6)
    s.update(over)
    return types.SimpleNamespace(**s)


def test_v0_0_40_statistics():
    s = d40.STATISTICS.read(stats())
    assert s["schedule_cycle_per_minute"] == 12  # from a minute on (22.05: past it)
    assert d40.STATISTICS.read(stats(req_time=999))["schedule_cycle_per_minute"] == 0
    assert s["bf_table_size_mean"] == s["bf_queue_len_mean"] == 5
    assert s["req_time"] == {"set": True, "infinite": False, "number": 1000}
    if slurm.declared("stats_info_response_msg_t", "schedule_exit"):
        assert s["schedule_exit"] == {"end_job_queue": 10, "default_queue_depth": 11,
                                      "max_job_start": 12, "max_rpc_cnt": 14,
                                      "max_sched_time": 15, "licenses": 13}
        assert s["bf_exit"] == {"end_job_queue": 20, "bf_max_job_start": 21,
                                "bf_max_job_test": 22, "bf_max_time": 25,
                                "bf_node_space_size": 24, "state_changed": 23}
    else:  # 22.05 keeps no such counts
        assert set(s["schedule_exit"].values()) == set(s["bf_exit"].values()) == {0}
    assert s["rpcs_by_message_type"][0] == {"message_type": "REQUEST_PING", "type_id": 1008,
                                            "count": 4, "average_time": 2, "total_time": 10}
    assert s["rpcs_by_user"] == [{"user": "root", "user_id": 0, "count": 3, "average_time": 3,
                                  "total_time": 9}]
    assert "bf_cycle_max" not in s and "pending_rpcs" not in s


def test_v0_0_42_statistics():
    s = d42.STATISTICS.read(stats())
    keys = list(s)
    assert keys.index("schedule_exit") == keys.index("schedule_cycle_depth") + 1
    assert keys.index("bf_exit") == keys.index("bf_cycle_max") + 1
    assert keys[-4:] == ["rpcs_by_message_type", "rpcs_by_user", "pending_rpcs",
                         "pending_rpcs_by_hostlist"]
    ping, other = s["rpcs_by_message_type"]
    assert list(ping) == ["type_id", "message_type", "count", "queued", "dropped",
                          "cycle_last", "cycle_max", "total_time", "average_time"]
    assert ping["average_time"] == {"set": True, "infinite": False, "number": 2}
    assert other["average_time"] == {"set": False, "infinite": False, "number": 0}
    assert s["rpcs_by_user"][0]["user"] == "root"
    assert s["pending_rpcs"] == [{"type_id": 1008, "message_type": "REQUEST_PING", "count": 2}]
    assert s["pending_rpcs_by_hostlist"] == []


def test_diag_failure_has_no_statistics(monkeypatch):
    from slurmrestd_py.errors import SlurmError

    def refused(*args):
        raise SlurmError(1007, "slurm_get_statistics")
    monkeypatch.setattr(slurm, "owned", refused)
    with pytest.raises(ApiError) as e:
        d40.DIAG_OPERATION.handler(None)
    assert (e.value.status, e.value.errno, e.value.call) == (500, 1007, "op_handler_diag")
    assert e.value.payload == {}  # no statistics object: the envelope alone
