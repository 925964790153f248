"""What C values mean, apart from how an API version writes them.

A field declares the kind of its value (`Field("priority", U32, ...)`); the
kind's form (its JSON type and the expression that reads it) is the one
v0.0.36 to v0.0.38 use, which write an unset (NO_VAL) or unlimited
(INFINITE) number as null, unless the object's dialect gives another. A
dialect, {kind: form}, is the one place where a family of later versions
says how it writes such values (as {"set", "infinite", "number"} objects).
"""
from __future__ import annotations

from typing import Callable

from .schema import ArrayOf, Bool, Field, Kind, Obj, Scalar, Str


def _low32(v: float) -> int:
    # A double's uint32_t cast, which the reference compares with NO_VAL and
    # INFINITE (x86-64: truncated through int64_t; NaN and out-of-range give 0).
    return 0 if v != v or not -9.2e18 < v < 9.2e18 else int(v) & 0xFFFFFFFF


def _f64(v):
    return None if _low32(v) >= 0xFFFFFFFE else float(v)


def _null_int(template: str) -> Scalar:
    return Scalar("integer", "int64", nullable=True, template=template)


# Each kind with its form in v0.0.36 to v0.0.38.
U16 = Kind("uint16_t: NO_VAL16 unset, INFINITE16 unlimited",
           _null_int("(None if (_v := {} & 0xFFFF) >= 0xFFFE else _v)"))
U32 = Kind("uint32_t (or the low 32 bits of a wider member): NO_VAL unset, INFINITE unlimited",
           _null_int("(None if (_v := {} & 0xFFFFFFFF) >= 0xFFFFFFFE else _v)"))
U64 = Kind("uint64_t: NO_VAL64 unset, INFINITE64 unlimited",
           _null_int("(None if (_v := {}) >= 0xFFFFFFFFFFFFFFFE else _v)"))
I64 = Kind("uint64_t count written signed: NO_VAL64 unset, INFINITE64 unlimited",
           _null_int("(None if (_v := {}) >= 0xFFFFFFFFFFFFFFFE else "
                     "_v - (1 << 64) if _v >= 1 << 63 else _v)"))
F64 = Kind("double: unset or unlimited when its uint32_t cast is NO_VAL or INFINITE",
           Scalar("number", "double", convert=_f64, nullable=True))
NV16 = Kind("uint16_t: NO_VAL16 unset", _null_int("(None if (_v := {}) == 0xFFFE else _v)"))
NV32 = Kind("uint32_t: NO_VAL unset", _null_int("(None if (_v := {}) == 0xFFFFFFFE else _v)"))
INF32 = Kind("uint32_t: INFINITE unlimited",
             _null_int("(None if (_v := {}) == 0xFFFFFFFF else _v)"))


def base(kind: Kind):
    """The function that writes a raw value of `kind` as v0.0.36 to v0.0.38 do."""
    return kind.base.converter()


def _number(width: int, signed: bool = False) -> Callable:
    """The reader of a {"set", "infinite", "number"} object from a raw integer
    whose two highest values of `width` bits are INFINITE and NO_VAL."""
    infinite, no_val = (1 << width) - 1, (1 << width) - 2

    def read(v):
        v &= infinite  # the low bits of a wider member, as the base forms read them
        if v == infinite:
            return {"set": False, "infinite": True, "number": 0}
        if v == no_val:
            return {"set": False, "infinite": False, "number": 0}
        if signed and v >= 1 << (width - 1):
            v -= 1 << width
        return {"set": True, "infinite": False, "number": v}
    return read


def _float_number(v):
    low = _low32(v)
    if low == 0xFFFFFFFF or v in (float("inf"), float("-inf")):
        return {"set": False, "infinite": True, "number": 0.0}
    if low == 0xFFFFFFFE or v != v:
        return {"set": False, "infinite": False, "number": 0.0}
    return {"set": True, "infinite": False, "number": float(v)}


class NumberObj(Obj):
    """A number as v0.0.40 and later write it: {"set", "infinite", "number"}
    (NO_VAL: set false; INFINITE: infinite true; the reference's
    `*_no_val_struct` components)."""

    def __init__(self, name: str, number: Scalar, read: Callable):
        super().__init__(name, [
            Field("set", Bool, description="True if number has been set; False if number is unset"),
            Field("infinite", Bool, description='True if number has been set to infinite; "set" '
                                                'and "number" will be ignored'),
            Field("number", number, description='If "set" is True the number will be set with '
                                                'value; otherwise ignore number contents'),
        ])
        self._read = read

    def converter(self):
        return self._read

    def code(self, value: str, bind) -> str:
        return f"{bind(self._read)}({value})"


_INT32 = Scalar("integer", "int32")
U16_OBJ = NumberObj("uint16_no_val_struct", _INT32, _number(16))
# (24.11's document says int32 here, but writes uint32 values beyond it, such
# as priority/basic's priorities near 2^32: ours says what is written.)
U32_OBJ = NumberObj("uint32_no_val_struct", Scalar("integer", "int64"), _number(32))
U64_OBJ = NumberObj("uint64_no_val_struct", Scalar("integer", "int64"), _number(64))
I64_OBJ = NumberObj("int64_no_val_struct", Scalar("integer", "int64"),
                    _number(64, signed=True))
F64_OBJ = NumberObj("float64_no_val_struct", Scalar("number", "double"), _float_number)

# v0.0.40 and later: every number with NO_VAL or INFINITE as an object.
NUMBER_OBJECTS = {U16: U16_OBJ, U32: U32_OBJ, U64: U64_OBJ, I64: I64_OBJ, F64: F64_OBJ,
                  NV16: U16_OBJ, NV32: U32_OBJ, INF32: U32_OBJ}


# ---- v0.0.40 and later: how the data parsers write strings, users, lists and flags

def _text(ptr) -> str:
    # The data parsers write a NULL char* as "" (in YAML too, unlike 22.05's null).
    from .schema import _c_string
    return _c_string(ptr) or ""


def _user(uid: int) -> str:
    from .slurm import user_or_null
    return user_or_null(uid) or ""


# A char*: NULL is "".
TEXT = Scalar("string", convert=_text)
# A uid_t as its user's name; "" for an id without one (NO_VAL: no user).
USER = Scalar("string", convert=_user)


class ReadArray(ArrayOf):
    """A named array component read from one C value by `read` (a
    comma-separated char*, a flag word)."""

    def __init__(self, name: str, items, read: Callable, description: str = ""):
        super().__init__(name, items, description)
        self._read = read

    def converter(self):
        return self._read

    def code(self, value: str, bind) -> str:
        return f"{bind(self._read)}({value})"


def _csv(ptr) -> list[str]:
    # Split on commas, empty items dropped (the reference's strtok_r).
    return [s for s in _text(ptr).split(",") if s]


# A comma-separated char* as a list of strings (the reference's CSV_STRING).
CSV = ReadArray("csv_string", Str, _csv)


# v0.0.40 writes the "number" of every integer number object as int64
# (its uint16_no_val and uint32_no_val too); v0.0.41 on, as int32 below 64 bits.
_INT64 = Scalar("integer", "int64")
U16_OBJ_40 = NumberObj("uint16_no_val_struct", _INT64, _number(16))
U32_OBJ_40 = NumberObj("uint32_no_val_struct", _INT64, _number(32))
NUMBER_OBJECTS_40 = {**NUMBER_OBJECTS, U16: U16_OBJ_40, U32: U32_OBJ_40,
                     NV16: U16_OBJ_40, NV32: U32_OBJ_40, INF32: U32_OBJ_40}


ALL_BITS = (1 << 64) - 1


def bit(name: str, value: int | None, mask: int = ALL_BITS) -> tuple:
    """A flag written when all of its bits (within `mask`) are set."""
    return (name, value, mask, False)


def equal(name: str, value: int | None, mask: int) -> tuple:
    """A flag written when the word's bits under `mask` are `value`."""
    return (name, value, mask, True)


class FlagError(ValueError):
    """A name no flag of the list has (the reference's ESLURM_DATA_FLAGS_INVALID)."""


class Flags(ReadArray):
    """A flag word as a list of names (the reference's flag arrays).

    `flags` are (name, value, mask, equal) in the reference's order: an
    `equal` flag is named when the bits under `mask` equal `value` (a base
    state), any other when all of `value`'s bits are set, unless an equal
    flag already named has claimed bits of its mask. Names the bits do not
    cover are not written."""

    def __init__(self, name: str, flags, description: str = ""):
        # A value of None names what 24.11 has and 22.05 never sets: listed
        # in the enum, never written or parsed.
        self.flags = tuple((n, v & m, m, eq) for n, v, m, eq in flags if v is not None)
        self._listed: dict[int, list[str]] = {}
        super().__init__(name, Scalar("string", enum=[f[0] for f in flags]),
                         self.listed, description)

    def listed(self, word: int) -> list[str]:
        """The names of the flags `word` holds."""
        found = self._listed.get(word)
        if found is None:
            found, used = [], 0
            for name, value, mask, equal in self.flags:
                if equal:
                    if word & mask == value:
                        found.append(name)
                        used |= mask
                elif not used & mask and word & value == value:
                    found.append(name)
            if len(self._listed) < 4096:  # few distinct words occur
                self._listed[word] = found
        return list(found)

    def parse(self, names, word: int, unknown: Callable | None = None) -> int:
        """`word` with the flags `names` (a list, or one name) set, the way
        the reference parses a flag list into a field holding `word`: the
        first name clears every flag it does not set. A name no flag has is
        FlagError, or, with `unknown`, passed to unknown(index, name) and
        skipped (the reference reports it and goes on)."""
        if isinstance(names, str):
            names = [names]
        done = 0
        for index, item in enumerate(names):
            text = item if isinstance(item, str) else _scalar_text(item)
            if text is None:  # a list or object: the reference ignores it
                continue
            matched_any = False
            for name, value, mask, equal in self.flags:
                matched = text.casefold() == name.casefold()
                matched_any |= matched
                if equal:
                    if matched:
                        word = (word & ~mask) | value
                    elif ~done & mask == mask:
                        word &= ~mask
                    done |= mask
                else:
                    if matched:
                        word |= value
                    elif ~done & value == value:
                        word &= ~value
                    done |= value
            if not matched_any:
                if unknown is None:
                    raise FlagError(f'Unknown flag "{text}"')
                unknown(index, text)
        return word


def _scalar_text(value) -> str | None:
    # A non-string list item as the reference's data layer converts it to text.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    return None


def flag_list(name: str, bits: tuple) -> tuple[Flags, Callable]:
    """`Flags` where each (name, mask, value) is listed when `raw & mask ==
    value` (a bit flag has mask == value; a state, the mask of the whole
    field), and its reader of a raw C value."""
    flags = Flags(name, [(flag, value, mask, True) for flag, mask, value in bits])
    return flags, flags.listed
