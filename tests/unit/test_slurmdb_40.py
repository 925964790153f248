"""/slurmdb v0.0.40-42 accounts, users, associations and wckeys: the
declarations (key order as 24.11 writes them, per-version deltas), the
v0.0.40+ number writer, and the records read from real libslurm structs."""
import pytest

from slurmrestd_py.dbv0_0_40 import accounts, associations as a40, users, wckeys
from slurmrestd_py.dbv0_0_41 import associations as a41
from slurmrestd_py.dbv0_0_42 import associations as a42, users as u42
from slurmrestd_py.errors import ESLURM_DATA_CONV_FAILED
from slurmrestd_py.slurm import ffi, lib
from slurmrestd_py.slurmdb.writers import Failed, Store, boolean, no_val

NO_VAL, INFINITE = 0xFFFFFFFE, 0xFFFFFFFF


@pytest.mark.parametrize("value,stored", [
    ({"set": True, "infinite": False, "number": 5}, 5), ({"set": False}, NO_VAL),
    ({"infinite": True}, INFINITE), ({"set": True, "number": "7"}, 7), (3, 3), ("4", 4),
    (None, NO_VAL), (float("inf"), INFINITE), (NO_VAL, INFINITE), ((1 << 64) - 2, NO_VAL)])
def test_no_val(value, stored):
    store = Store()
    rec = store.new("slurmdb_assoc_rec_t *")
    no_val("max_jobs")(rec, value, store)
    assert rec.max_jobs == stored


@pytest.mark.parametrize("value", [True, [], {"set": True}, "many", -1])
def test_no_val_refuses(value):
    store = Store()
    with pytest.raises(Failed) as e:
        no_val("max_jobs")(store.new("slurmdb_assoc_rec_t *"), value, store)
    assert e.value.errno == ESLURM_DATA_CONV_FAILED


@pytest.mark.parametrize("value,stored", [(True, 1), (False, 0), ("true", 1), (0, 0)])
def test_boolean(value, stored):
    store = Store()
    rec = store.new("slurmdb_assoc_rec_t *")
    boolean("is_def")(rec, value, store)
    assert rec.is_def == stored


def _keys(obj, ns="v0.0.42"):
    return list(obj.definition(ns)["properties"])


def test_assoc_keys_in_24_11_order():
    assert _keys(a42.ASSOC) == [
        "accounting", "account", "cluster", "comment", "default", "flags", "max", "id",
        "is_default", "lineage", "min", "parent_account", "partition", "priority", "qos",
        "shares_raw", "user"]
    tres = a42.ASSOC.definition("v0.0.42")["properties"]["max"]["properties"]["tres"]
    assert list(tres["properties"]) == ["total", "group", "minutes", "per"]
    assert list(tres["properties"]["minutes"]["properties"]) == ["total", "per"]


def test_assoc_id_per_version():
    def id_schema(obj):
        return obj.definition("v0.0.42")["properties"]["id"]
    assert id_schema(a40.ASSOC) == {"$ref": "#/components/schemas/v0.0.42_assoc_short",
                                    "description": "Unique ID"}
    assert id_schema(a41.ASSOC)["type"] == id_schema(a42.ASSOC)["type"] == "integer"
    assert "id_alt" in _keys(a42.ACCOUNTING) and "id_alt" not in _keys(a40.ACCOUNTING)


def test_rec_set_keys_are_sacctmgrs():
    assert _keys(a40.ASSOC_REC_SET) == [name for name, _ in a40.REC_SET_KEYS]
    assert all(f.write is not None for f in a40.ASSOC_REC_SET.entries)


def test_other_objects_keys():
    assert _keys(accounts.ACCOUNT) == ["associations", "coordinators", "description", "name",
                                       "organization", "flags"]
    assert _keys(users.USER) == ["administrator_level", "associations", "coordinators",
                                 "default", "flags", "name", "old_name", "wckeys"]
    assert _keys(wckeys.WCKEY) == ["accounting", "cluster", "id", "name", "user", "flags"]
    wckey_items = u42.USER.definition("v0.0.42")["properties"]["wckeys"]
    assert wckey_items == {"$ref": "#/components/schemas/v0.0.42_wckey_list",
                           "description": "List of available WCKeys"}


def test_numbers_read_as_objects():
    rec = ffi.new("slurmdb_assoc_rec_t *")
    lib.slurmdb_init_assoc_rec(rec, False)
    rec.max_jobs, rec.grp_jobs, rec.is_def, rec.shares_raw = 5, INFINITE, 1, 3
    data = a42.ASSOC.read(rec)
    assert data["max"]["jobs"]["active"] == {"set": True, "infinite": False, "number": 5}
    assert data["max"]["jobs"]["per"]["count"] == {"set": False, "infinite": True, "number": 0}
    assert data["priority"] == {"set": False, "infinite": False, "number": 0}
    assert (data["is_default"], data["shares_raw"], data["id"]) == (True, 3, 0)
    assert data["account"] == data["comment"] == data["lineage"] == ""
    assert data["qos"] == [] and data["flags"] == [] and data["accounting"] == []


def test_user_flags_and_level():
    rec = ffi.new("slurmdb_user_rec_t *")
    rec.admin_level = 3
    data = users.USER.read(rec)
    assert data["administrator_level"] == ["Administrator"] and data["flags"] == ["NONE"]
    rec.flags = 1
    assert users.USER.read(rec)["flags"] == ["DELETED"]
