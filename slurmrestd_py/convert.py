"""Request values into what C fields hold: range and encoding checked in one place.

Every value a client sends (a body member, a query or path parameter) that
reaches libslurm passes through here first, whatever API version parses it:
integers of any length are read without Python's int-string limit, numbers
are checked against the C type of the field they fill, floats must be
finite, and text must be UTF-8 without NUL bytes (a lone surrogate that JSON
can spell, `"\\ud800"`, is no text). A value that fails is `Invalid`, a
client error naming the field (400), never an exception from cffi or int().
"""
from __future__ import annotations

import re

# The C ranges request values are checked against, as (lowest, highest).
INT64 = (-(1 << 63), (1 << 63) - 1)
UINT16 = (0, (1 << 16) - 1)
UINT32 = (0, (1 << 32) - 1)

# More significant digits than any C integer has: the value is only known to
# be beyond every range (Python's int() refuses strings over 4300 digits, and
# reading millions of digits would cost seconds).
_DIGITS_MAX = 40
HUGE = 1 << 160
_INTEGER = re.compile(r"\s*([+-]?)0*([0-9]+)\s*\Z")


class Invalid(ValueError):
    """A request value that cannot be used: a client error naming `field`."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def integer(text: str) -> int | None:
    """The integer `text` spells (sign, digits, surrounding blanks), or None.
    Beyond _DIGITS_MAX digits it is ±HUGE: outside every C range."""
    m = _INTEGER.match(text)
    if m is None:
        return None
    sign, digits = m.groups()
    n = int(digits) if len(digits) <= _DIGITS_MAX else HUGE
    return -n if sign == "-" else n


def saturate(n: int, bounds: tuple[int, int] = INT64) -> int:
    """`n` clamped to `bounds`, as strtoll and friends clamp what overflows."""
    return max(bounds[0], min(bounds[1], n))


def real(value, field: str) -> float:
    """A JSON number (or a numeric string) as a finite double, else Invalid."""
    try:
        f = float(value)
    except (OverflowError, ValueError, TypeError):
        raise Invalid(field, "not a finite number") from None
    if f != f or f in (float("inf"), float("-inf")):
        raise Invalid(field, "not a finite number")
    return f


def cstring(text: str, field: str) -> bytes:
    """`text` as a C string's bytes: UTF-8, no NUL (C would stop there)."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        raise Invalid(field, "not valid Unicode text") from None
    if b"\0" in data:
        raise Invalid(field, "contains a NUL character")
    return data


def text_only(data, where: str = "body") -> None:
    """Invalid if any string in `data` (keys included) is not valid Unicode:
    JSON and YAML can spell lone surrogates, which no C string can hold."""
    stack, seen = [data], set()
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not _encodable(item):
                raise Invalid(where, "a string is not valid Unicode (a lone surrogate)")
        elif isinstance(item, (dict, list)) and id(item) not in seen:
            seen.add(id(item))  # YAML aliases share containers: each is read once
            stack.extend(item.keys() if isinstance(item, dict) else item)
            if isinstance(item, dict):
                stack.extend(item.values())


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
