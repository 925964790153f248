"""rpc_names: the rpc_num2string() tables of Slurm 22.05 and 24.11."""
from slurmrestd_py.slurm import VERSION
from slurmrestd_py.slurm.rpc_names import CHANGED_24_11, RPC_NAMES, names_for, rpc_name


def test_known_ids():
    assert rpc_name(1008) == "REQUEST_PING"
    assert rpc_name(1002) == "MESSAGE_NODE_REGISTRATION_STATUS"
    assert rpc_name(2009) == "REQUEST_PARTITION_INFO"
    assert rpc_name(2040) == "REQUEST_NODE_INFO_SINGLE"
    assert rpc_name(2007) == "REQUEST_NODE_INFO"
    assert rpc_name(2001) == "REQUEST_BUILD_INFO"
    assert rpc_name(10001) == "ACCOUNTING_UPDATE_MSG"


def test_names_follow_the_built_release():
    # Message types 24.11 added are named only when built against 24.11.
    new = VERSION[:2] >= (24, 11)
    assert rpc_name(2057) == ("REQUEST_JOB_STATE" if new else "2057")
    assert rpc_name(5041) == ("REQUEST_KILL_JOBS" if new else "5041")


def test_unknown_id_is_decimal_string():
    # rpc_num2string() falls back to snprintf("%u", id) for unknown ids.
    for type_id in (0, 1, 1029, 12345, 65535):
        assert type_id not in names_for(VERSION)
        assert rpc_name(type_id) == str(type_id)


def test_tables_per_release():
    old, new = names_for((22, 5)), names_for((24, 11))
    assert old is RPC_NAMES
    assert 1006 not in old
    assert new[1006] == "REQUEST_RECONFIGURE_SACKD"
    assert old[1023] == "REQUEST_SET_FS_DAMPENING_FACTOR,"
    assert new[1023] == "REQUEST_SET_FS_DAMPENING_FACTOR"
    assert old[11008] == "SLURMSCRIPTD_SHUTDOWN"
    assert new[11007] == "SLURMSCRIPTD_SHUTDOWN"
    # 24.11 drops no id of 22.05's.
    assert set(old) <= set(new)


def test_table_is_consistent():
    assert len(RPC_NAMES) == 183
    assert len(names_for((24, 11))) == 213
    for table in (RPC_NAMES, CHANGED_24_11):
        assert list(table) == sorted(table)
        for type_id, name in table.items():
            assert 0 <= type_id <= 0xFFFF
            assert name and name != str(type_id)
