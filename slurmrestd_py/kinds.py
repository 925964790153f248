"""What C values mean, apart from how an API version writes them.

A field declares the kind of its value (`Field("priority", U32, ...)`), and
the dialect of the object that holds it gives the kind its JSON type and
the expression that reads it. A dialect is the one place where a family of
API versions says how it writes such values: v0.0.36 to v0.0.38 (`BASE`)
write an unset (NO_VAL) or unlimited (INFINITE) number as null; later
versions write the same kinds as {"set", "infinite", "number"} objects.
"""
from __future__ import annotations

from .schema import Kind, Scalar

U16 = Kind("uint16_t: NO_VAL16 unset, INFINITE16 unlimited")
U32 = Kind("uint32_t (or the low 32 bits of a wider member): NO_VAL unset, INFINITE unlimited")
U64 = Kind("uint64_t: NO_VAL64 unset, INFINITE64 unlimited")
I64 = Kind("uint64_t count written signed: NO_VAL64 unset, INFINITE64 unlimited")
F64 = Kind("double: unset or unlimited when its uint32_t cast is NO_VAL or INFINITE")
NV16 = Kind("uint16_t: NO_VAL16 unset")
NV32 = Kind("uint32_t: NO_VAL unset")
INF32 = Kind("uint32_t: INFINITE unlimited")


def _f64(v):
    # The reference nulls a double whose uint32_t cast is NO_VAL or INFINITE
    # (x86-64: truncated through int64_t; NaN and out-of-range give 0).
    low = 0 if v != v or not -9.2e18 < v < 9.2e18 else int(v) & 0xFFFFFFFF
    return None if low >= 0xFFFFFFFE else float(v)


def _null_int(template: str) -> Scalar:
    return Scalar("integer", "int64", nullable=True, template=template)


BASE = {
    U16: _null_int("(None if (_v := {} & 0xFFFF) >= 0xFFFE else _v)"),
    U32: _null_int("(None if (_v := {} & 0xFFFFFFFF) >= 0xFFFFFFFE else _v)"),
    U64: _null_int("(None if (_v := {}) >= 0xFFFFFFFFFFFFFFFE else _v)"),
    I64: _null_int("(None if (_v := {}) >= 0xFFFFFFFFFFFFFFFE else "
                   "_v - (1 << 64) if _v >= 1 << 63 else _v)"),
    F64: Scalar("number", "double", convert=_f64, nullable=True),
    NV16: _null_int("(None if (_v := {}) == 0xFFFE else _v)"),
    NV32: _null_int("(None if (_v := {}) == 0xFFFFFFFE else _v)"),
    INF32: _null_int("(None if (_v := {}) == 0xFFFFFFFF else _v)"),
}


def base(kind: Kind):
    """The function that writes a raw value of `kind` as v0.0.36 to v0.0.38 do."""
    return BASE[kind].converter()
