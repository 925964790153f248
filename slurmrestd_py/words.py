"""How the reference's data layer reads text it types (YAML 1.1 words and
numbers): one reading for every query, path and body value that needs it.
Apart from convert.py so that a request which types nothing compiles none
of these expressions."""
from __future__ import annotations

import re

from . import convert

NULL = re.compile(r"(?:~|[Nn][uU][lL][lL])\Z")
TRUE = re.compile(r"(?:[Yy](?:[eE][sS])?|[tT](?:[rR][uU][eE])?|[Oo][nN])\Z")
FALSE = re.compile(r"(?:[nN][Oo]?|[fF](?:[aA][lL][sS][eE])?|[oO][fF][fF])\Z")
INT = re.compile(r"[+-]?[0-9]+\Z")
FLOAT = re.compile(r"[+-]?[0-9]*[.][0-9]*(?:[eE][+-]?[0-9]+)?\Z")


def typed(text: str):
    """`text` as the reference's data layer types it: None, True, False, an
    integer (of any length), a float, or the text itself."""
    if NULL.match(text):
        return None
    if TRUE.match(text):
        return True
    if FALSE.match(text):
        return False
    if INT.match(text):
        return convert.integer(text)
    if FLOAT.match(text):
        return strtod(text)
    return text


def rounded(text: str) -> int | None:
    """An integer `text` spells (saturated to int64) or a decimal rounded as
    lrint does; None for any other text."""
    if INT.match(text):
        return convert.saturate(convert.integer(text))
    if FLOAT.match(text):
        return lrint(strtod(text))
    return None


def strtod(text: str) -> float:
    """strtod of a string FLOAT matched ("." and "-." read as 0)."""
    mantissa, _, exp = text.lower().partition("e")
    if mantissa.strip("+-") in ("", "."):
        return 0.0
    return float(mantissa + ("e" + exp if exp else ""))


def lrint(f: float) -> int:
    """A double as lrint makes it an int64: half to even; NaN and what lies
    beyond int64 give INT64_MIN, as on x86-64."""
    if f != f or not convert.INT64[0] <= f < convert.INT64[1]:
        return convert.INT64[0]
    return round(f)


def truth(value) -> bool:
    """A value forced to a Boolean as the reference forces one: null, "" and
    false words are false, numbers by value, true words and other text true."""
    if isinstance(value, str):
        if not value or NULL.match(value) or FALSE.match(value):
            return False
        if INT.match(value):
            return convert.integer(value) != 0
        if FLOAT.match(value):
            return strtod(value) != 0
        return True
    return value is not None and value != 0
