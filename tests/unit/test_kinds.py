"""kinds.py: a field declares what its C value means; the object's dialect
gives it a JSON form, the same in the compiled reader, a converter and the schema."""
import types

import pytest

from slurmrestd_py import kinds
from slurmrestd_py.kinds import F64, I64, INF32, NV16, NV32, U16, U32, U64
from slurmrestd_py.schema import Field, Obj, Scalar

NO_VAL, INFINITE = 0xFFFFFFFE, 0xFFFFFFFF
THING = Obj("thing", [Field("limit", U32), Field("time/min", INF32, "time_min")])


@pytest.mark.parametrize("kind, raw, value", [
    (U16, 0xFFFE, None), (U16, 0xFFFF, None), (U16, 7, 7), (U16, 0x1_0007, 7),
    (U32, NO_VAL, None), (U32, INFINITE, None), (U32, 5, 5),
    (U32, (1 << 40) | NO_VAL, None),  # a wider member read through its low 32 bits
    (U64, (1 << 64) - 2, None), (U64, 1 << 63, 1 << 63),
    (I64, (1 << 64) - 1, None), (I64, 1 << 63, -(1 << 63)), (I64, 3, 3),
    (F64, float(NO_VAL), None), (F64, float("nan"), float("nan")), (F64, 2.5, 2.5),
    # A double is null when its uint32_t cast is NO_VAL or INFINITE, as the reference.
    (F64, 4294967295.0, None), (F64, 4294967294.5, None), (F64, 8589934590.0, None),
    (NV16, 0xFFFE, None), (NV16, 0xFFFF, 0xFFFF),
    (NV32, NO_VAL, None), (NV32, INFINITE, INFINITE),
    (INF32, INFINITE, None), (INF32, NO_VAL, NO_VAL),
])
def test_base_dialect_writes_unset_and_unlimited_as_null(kind, raw, value):
    got = kinds.base(kind)(raw)
    assert got == value or (got != got and value != value)
    # The compiled reader's inline expression says the same.
    obj = Obj("x", [Field("v", kind)])
    read = obj.read(types.SimpleNamespace(v=raw))["v"]
    assert read == value or (read != read and value != value)
    assert obj.definition()["properties"]["v"]["nullable"] is True


def test_an_object_without_a_dialect_takes_the_base_forms():
    assert THING.dialect is None
    assert THING.read(types.SimpleNamespace(limit=NO_VAL, time_min=INFINITE)) == {
        "limit": None, "time": {"min": None}}
    assert "(None if (_v := j.limit & 0xFFFFFFFF)" in THING.source  # inline, no call


def test_a_kind_has_no_form_outside_a_dialect():
    with pytest.raises(TypeError):
        U32.schema("v0.0.38")


def test_another_dialect_reshapes_every_kind_of_a_derived_object():
    # The shape later versions give numbers (set/infinite/number), as a test dialect.
    number = Obj("uint32_no_val", [
        Field("set", Scalar("boolean"), lambda v: v != NO_VAL),
        Field("infinite", Scalar("boolean"), lambda v: v == INFINITE),
        Field("number", Scalar("integer"), lambda v: 0 if v >= NO_VAL else v),
    ])
    dialect = {U32: number, INF32: number}
    later = THING.derive(dialect=dialect)
    assert later.read(types.SimpleNamespace(limit=NO_VAL, time_min=30)) == {
        "limit": {"set": False, "infinite": False, "number": 0},
        "time": {"min": {"set": True, "infinite": False, "number": 30}}}
    assert later.definition("v")["properties"]["limit"] == {
        "$ref": "#/components/schemas/v_uint32_no_val"}
    assert "v_uint32_no_val" in later.components("v")
    # Derivations keep their dialect; the base object is unchanged.
    assert later.derive(drop=["time/min"]).dialect is dialect
    assert THING.read(types.SimpleNamespace(limit=3, time_min=4)) == {"limit": 3, "time": {"min": 4}}


# ---- v0.0.40 forms: strings, CSV lists, flag lists

def _states():
    return kinds.Flags("states", [
        ("INVALID", NO_VAL, INFINITE, True), ("UNKNOWN", 0, 0xF, True), ("DOWN", 1, 0xF, True),
        ("IDLE", 2, 0xF, True), ("DRAIN", 1 << 9, 0xFFFFFFF0, False),
        ("RESUME", 1 << 8, 0xFFFFFFF0, False)])


@pytest.mark.parametrize("word, names", [
    (2, ["IDLE"]), (1 | 1 << 9, ["DOWN", "DRAIN"]), (NO_VAL, ["INVALID"]),
    (0, ["UNKNOWN"]), (1 << 4 | 2, ["IDLE"]),  # bits no flag names are not written
    (7, []),
])
def test_flags_name_the_base_then_each_bit(word, names):
    flags = _states()
    assert flags.listed(word) == names
    obj = Obj("x", [Field("state", flags)])
    assert obj.read(types.SimpleNamespace(state=word)) == {"state": names}
    assert obj.definition("v0.0.42")["properties"]["state"] == {
        "$ref": "#/components/schemas/v0.0.42_states"}
    assert flags.definition()["items"]["enum"][0] == "INVALID"


@pytest.mark.parametrize("names, word", [
    (["DRAIN"], 1 << 9), ("drain", 1 << 9), (["IDLE", "DRAIN"], 2 | 1 << 9),
    (["DRAIN", "DOWN"], 1 | 1 << 9), ([], NO_VAL), (["INVALID"], NO_VAL), (["RESUME"], 1 << 8),
])
def test_flags_parse_from_an_unset_word(names, word):
    assert _states().parse(names, NO_VAL) == word


def test_flags_refuse_an_unknown_name():
    with pytest.raises(kinds.FlagError, match='Unknown flag "BOGUS"'):
        _states().parse(["IDLE", "BOGUS"], NO_VAL)


def test_v0_0_40_number_objects_write_every_integer_as_int64():
    from slurmrestd_py.kinds import NUMBER_OBJECTS, NUMBER_OBJECTS_40, U16, U32
    for kind in (U16, U32):
        assert NUMBER_OBJECTS_40[kind].definition()["properties"]["number"]["format"] == "int64"
    number = NUMBER_OBJECTS[U16].definition()["properties"]["number"]
    assert number["format"] == "int32"
    # A uint32 may not fit int32 (24.11 writes such values where it documents int32).
    assert NUMBER_OBJECTS[U32].definition()["properties"]["number"]["format"] == "int64"
    for kind in (U16, U32):
        assert NUMBER_OBJECTS_40[kind].converter()(5) == NUMBER_OBJECTS[kind].converter()(5)


def test_flags_equal_entries_claim_their_mask_and_unknown_bits_only_list():
    from slurmrestd_py.kinds import Flags, bit, equal
    flags = Flags("f", [equal("NOT_SET", 0, 0xFF), equal("NONE", 1, 0xFF),
                        bit("A", 0x100), bit("B", 0x200, mask=0xF00), bit("NEW", None)])
    assert flags.listed(0) == ["NOT_SET"]
    assert flags.listed(1) == ["NONE"]
    # NONE claimed 0xFF: a bit whose mask meets it (A's is every bit) is not
    # written, one masked apart (B's, as job state flags) is.
    assert flags.listed(0x301) == ["NONE", "B"]
    assert flags.listed(0x300) == ["NOT_SET", "B"]  # 0 under 0xFF is NOT_SET
    assert flags.listed(0x2) == []
    assert flags.definition()["items"]["enum"] == ["NOT_SET", "NONE", "A", "B", "NEW"]
    assert Obj("o", [Field("f", flags, "v")]).read(type("C", (), {"v": 0x201})) == \
        {"f": ["NONE", "B"]}


def test_a_raw_reader_is_written_by_the_kind_of_its_dialect():
    from slurmrestd_py.kinds import NUMBER_OBJECTS
    from slurmrestd_py.schema import Raw
    mem = Obj("mem", [Field("per_cpu", U64, Raw("(j.m & 0xFF) if j.m & 0x100 else (1 << 64) - 2"))],
              dialect=NUMBER_OBJECTS)
    assert mem.read(types.SimpleNamespace(m=0x105)) == {
        "per_cpu": {"set": True, "infinite": False, "number": 5}}
    assert mem.read(types.SimpleNamespace(m=5))["per_cpu"]["set"] is False
    assert Obj("mem", mem.entries).read(types.SimpleNamespace(m=5)) == {"per_cpu": None}
