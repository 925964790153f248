"""Request bodies into slurmdb records (slurmrestd_py/slurmdb/writers.py):
the value conversions the reference's parser makes, and its error entries.
Records are real libslurm structs (cffi); no slurmdbd is needed."""
import pytest

from slurmrestd_py.errors import ESLURM_DATA_CONV_FAILED, ESLURM_REST_FAIL_PARSING
from slurmrestd_py.slurmdb.writers import (Failed, Store, admin_level, flag_names, objects, real,
                                           run, string, unsigned)
from slurmrestd_py.slurm import ffi, records, strings, text

FLAGS = ((1, "DELETED"), (4, "OTHER"))


def wckey(store):
    return store.new("slurmdb_wckey_rec_t *")


def failure(write, value, rec=None):
    store = Store()
    with pytest.raises(Failed) as e:
        write(rec if rec is not None else wckey(store), value, store)
    return e.value


@pytest.mark.parametrize("value,stored", [
    ("alice", "alice"), (5, "5"), (True, "true"), (False, "false"), (1.5, "1.500000"),
    (None, None), ("", "")])
def test_string(value, stored):
    store = Store()
    rec = wckey(store)
    string("name")(rec, value, store)
    assert text(rec.name) == stored


@pytest.mark.parametrize("value", [[], {}, ["a"]])
def test_string_refuses_containers(value):
    assert failure(string("name"), value).errno == ESLURM_DATA_CONV_FAILED


@pytest.mark.parametrize("write, value", [
    (string("name"), "a\0b"), (string("name"), "\ud800"),
    (unsigned("id", 32), "9" * 5000), (unsigned("id", 32), 1 << 32),
    (real("usage_factor"), 10 ** 400), (real("usage_factor"), "1e999"),
])
def test_values_no_c_field_holds_fail_their_field(write, value):
    store = Store()
    with pytest.raises(Failed) as e:
        run([("field", False, write)], store.new("slurmdb_qos_rec_t *"), {"field": value}, store)
    assert e.value.errno == ESLURM_DATA_CONV_FAILED
    assert e.value.errors[-1] == (ESLURM_DATA_CONV_FAILED, "Failed to parse field 'field'",
                                  "_parser_run")


@pytest.mark.parametrize("value,stored", [
    (0, 0), (7, 7), ("42", 42), (" 9 ", 9), (0xFFFFFFFD, 0xFFFFFFFD),
    (None, 0xFFFFFFFF),  # null: INFINITE
    (-1, 0xFFFFFFFF), (-2, 0xFFFFFFFE)])  # INFINITE64 and NO_VAL64 as int64
def test_unsigned32(value, stored):
    store = Store()
    rec = wckey(store)
    unsigned("id", 32)(rec, value, store)
    assert rec.id == stored


@pytest.mark.parametrize("value", [-3, 1 << 32, "x", 1.5, True, [], "0x10"])
def test_unsigned32_refuses(value):
    assert failure(unsigned("id", 32), value).errno == ESLURM_DATA_CONV_FAILED


def test_unsigned16_bounds():
    store = Store()
    rec = wckey(store)
    unsigned("is_def", 16)(rec, -2, store)
    assert rec.is_def == 0xFFFE
    assert failure(unsigned("is_def", 16), 1 << 16).errno == ESLURM_DATA_CONV_FAILED


def test_flags_any_case_bits_and_booleans():
    store = Store()
    rec = wckey(store)
    flag_names("flags", FLAGS, (("is_def", "DEFAULT"),))(rec, ["deleted", "Default"], store)
    assert (rec.flags, rec.is_def) == (1, 1)


def test_unknown_flag_is_reported_as_the_reference_does():
    e = failure(flag_names("flags", FLAGS), ["DELETED", "BOGUS"])
    assert e.errno == ESLURM_REST_FAIL_PARSING
    assert e.errors == ((ESLURM_REST_FAIL_PARSING, "Unknown flag", "flags"),)
    assert failure(flag_names("flags", FLAGS), "DELETED").errno == ESLURM_REST_FAIL_PARSING


@pytest.mark.parametrize("value,level", [
    ("None", 1), ("Operator", 2), ("Administrator", 3), ("admin", 3), ("SuperUser", 3),
    # str_2_slurmdb_admin_level reads the first letter only.
    ("nobody", 1), ("Not Set", 1), ("ops", 2)])
def test_admin_level(value, level):
    store = Store()
    user = store.new("slurmdb_user_rec_t *")
    admin_level("admin_level")(user, value, store)
    assert user.admin_level == level


@pytest.mark.parametrize("value", ["", "bogus", None, 3])
def test_admin_level_refuses(value):
    store = Store()
    assert failure(admin_level("admin_level"), value,
                   store.new("slurmdb_user_rec_t *")).errno in (ESLURM_REST_FAIL_PARSING,
                                                                ESLURM_DATA_CONV_FAILED)


def test_real():
    store = Store()
    qos = store.new("slurmdb_qos_rec_t *")
    real("usage_factor")(qos, "2.5", store)
    assert qos.usage_factor == 2.5
    real("usage_factor")(qos, None, store)
    assert qos.usage_factor == float(0xFFFFFFFE)
    assert failure(real("usage_factor"), True, qos).errno == ESLURM_DATA_CONV_FAILED


COORD = [("name", True, string("name")), ("direct", False, unsigned("direct", 16))]


def test_run_applies_inputs_in_order_and_ignores_unknown_keys():
    store = Store()
    rec = store.new("slurmdb_coord_rec_t *")
    run(COORD, rec, {"name": "physics", "direct": 1, "other": [1]}, store)
    assert (text(rec.name), rec.direct) == ("physics", 1)


def test_run_reports_missing_and_unparsable_fields():
    store = Store()
    with pytest.raises(Failed) as e:
        run(COORD, store.new("slurmdb_coord_rec_t *"), {"direct": 1}, store)
    assert e.value.errors == ((ESLURM_REST_FAIL_PARSING, "Missing required field 'name'",
                               "_parser_run"),)
    with pytest.raises(Failed) as e:
        run(COORD, store.new("slurmdb_coord_rec_t *"), {"name": "x", "direct": "x"}, store)
    assert e.value.errors == ((ESLURM_DATA_CONV_FAILED, "Failed to parse field 'direct'",
                               "_parser_run"),)


def test_nested_objects_report_each_level():
    store = Store()
    user = store.new("slurmdb_user_rec_t *")
    inputs = [("coordinators", False, objects("coord_accts", "slurmdb_coord_rec_t *",
                                              lambda: COORD))]
    run(inputs, user, {"coordinators": [{"name": "a"}, {"name": "b", "direct": 1}]}, store)
    coords = records(user.coord_accts, "slurmdb_coord_rec_t *")
    assert [text(c.name) for c in coords] == ["a", "b"]
    with pytest.raises(Failed) as e:
        run(inputs, store.new("slurmdb_user_rec_t *"), {"coordinators": [{"direct": 1}]}, store)
    assert [d for _, d, _ in e.value.errors] == ["Missing required field 'name'",
                                                 "Failed to parse field 'coordinators'"]
    with pytest.raises(Failed):
        run(inputs, store.new("slurmdb_user_rec_t *"), {"coordinators": ["a"]}, store)


def test_store_lists_hold_what_they_were_given():
    store = Store()
    names = [store.string(n) for n in ("a", "b")]
    assert strings(store.list(names)) == ["a", "b"]
    assert strings(store.list()) == []
    assert ffi.string(names[0]) == b"a"


@pytest.mark.parametrize("text,value", [
    ("null", None), ("~", None), ("Yes", True), ("on", True), ("n", False), ("OFF", False),
    ("-12", -12), ("+7", 7), ("1.5", 1.5), (".", 0.0), ("-.", 0.0), ("1e3", "1e3"),
    ("12_1", "12_1"), ("", ""),
])
def test_strings_are_typed_as_the_reference_types_them(text, value):
    # One reading of YAML 1.1 words and numbers for every query, path and body value.
    from slurmrestd_py import words
    assert words.typed(text) == value and type(words.typed(text)) is type(value)


def test_truth_and_lrint():
    from slurmrestd_py.words import lrint, truth
    assert [truth(v) for v in ("", "null", "no", "0", "0.0", ".", "yes", "2", "x", None, 0, 3)] \
        == [False] * 6 + [True] * 3 + [False, False, True]
    assert (lrint(2.5), lrint(3.5), lrint(-2.5)) == (2, 4, -2)
    assert lrint(float("nan")) == lrint(1e300) == -(1 << 63)
