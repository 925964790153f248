"""rpc_names: Slurm 22.05 rpc_num2string() table."""
from slurmrestd_py.slurm.rpc_names import RPC_NAMES, rpc_name


def test_known_ids():
    assert rpc_name(1008) == "REQUEST_PING"
    assert rpc_name(1002) == "MESSAGE_NODE_REGISTRATION_STATUS"
    assert rpc_name(2009) == "REQUEST_PARTITION_INFO"
    assert rpc_name(2040) == "REQUEST_NODE_INFO_SINGLE"
    assert rpc_name(2007) == "REQUEST_NODE_INFO"
    assert rpc_name(2001) == "REQUEST_BUILD_INFO"
    assert rpc_name(10001) == "ACCOUNTING_UPDATE_MSG"


def test_unknown_id_is_decimal_string():
    # rpc_num2string() falls back to snprintf("%u", id) for unknown ids.
    for type_id in (0, 1, 1006, 12345, 65535):
        assert type_id not in RPC_NAMES
        assert rpc_name(type_id) == str(type_id)


def test_table_is_consistent():
    assert len(RPC_NAMES) == 183
    assert list(RPC_NAMES) == sorted(RPC_NAMES)
    for type_id, name in RPC_NAMES.items():
        assert 0 <= type_id <= 0xFFFF
        assert name and name != str(type_id)
