"""What C values mean, apart from how an API version writes them.

A field declares the kind of its value (`Field("priority", U32, ...)`); the
kind's form (its JSON type and the expression that reads it) is the one
v0.0.36 to v0.0.38 use, which write an unset (NO_VAL) or unlimited
(INFINITE) number as null, unless the object's dialect gives another. A
dialect, {kind: form}, is the one place where a family of later versions
says how it writes such values (as {"set", "infinite", "number"} objects).
"""
from __future__ import annotations

from .schema import Kind, Scalar


def _f64(v):
    # The reference nulls a double whose uint32_t cast is NO_VAL or INFINITE
    # (x86-64: truncated through int64_t; NaN and out-of-range give 0).
    low = 0 if v != v or not -9.2e18 < v < 9.2e18 else int(v) & 0xFFFFFFFF
    return None if low >= 0xFFFFFFFE else float(v)


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
