"""JSON values converted as the reference's data layer converts them: a
number where a string is expected becomes "12", "3" where an integer is
expected becomes 3, and so on. `as_*` raise ValueError; `string`, `integer`
and `boolean` refuse with the reference's error entry (PropertyError)."""
from __future__ import annotations

from .. import convert, words
from ..errors import ESLURM_DATA_CONV_FAILED, SLURM_ERROR, PropertyError, error_entry


def data_error(message: str, code: int = SLURM_ERROR) -> PropertyError:
    """A refusal with one entry: `message` and Slurm's error number `code`."""
    return PropertyError(error_entry("error_code", code, message))


def as_str(v) -> str:
    """A value as a string (numbers printed, true/false, null as "")."""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return ""
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "%f" % v
    raise ValueError("not a scalar")


def as_int(v) -> int:
    """A value as an integer: ints, floats (rounded to even), integer strings."""
    if isinstance(v, bool) or v is None:
        raise ValueError("not a number")
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            return -(1 << 63)
        return round(v)
    if isinstance(v, str) and words.INT.match(v):
        return convert.saturate(convert.integer(v))
    raise ValueError("not an integer")


def as_bool(v) -> bool:
    """A value as a boolean, as the reference forces one: "" and null are
    false, true-ish words true, numbers by value, any other string true."""
    if isinstance(v, (list, dict)):
        raise ValueError("not a scalar")
    return words.truth(v)


def string(v, message: str = "Unable to read string") -> str:
    try:
        s = as_str(v)
    except ValueError:
        raise data_error(message, ESLURM_DATA_CONV_FAILED) from None
    convert.cstring(s, "string")  # it ends in a C string
    return s


def integer(v, message: str = "Unable to read integer value") -> int:
    try:
        return as_int(v)
    except ValueError:
        raise data_error(message, ESLURM_DATA_CONV_FAILED) from None


def boolean(v) -> bool:
    try:
        return as_bool(v)
    except ValueError:
        raise PropertyError() from None
