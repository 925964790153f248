"""JSON values converted as the reference's data layer converts them: a
number where a string is expected becomes "12", "3" where an integer is
expected becomes 3, and so on. `as_*` raise ValueError; `string`, `integer`
and `boolean` refuse with the reference's error entry (PropertyError)."""
from __future__ import annotations

import json

from .. import convert, words
from ..errors import (ESLURM_DATA_CONV_FAILED, ESLURM_DATA_EXPECTED_DICT, NEWER_ERRORS,
                      SLURM_ERROR, PropertyError, error_entry)


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


# ---------------------------------------------------------------------------
# v0.0.40 and later: values as the data parsers read them

def data_type(v) -> str:
    """The reference's name of a JSON value's type (its data_t type)."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "64 bit integer"
    if isinstance(v, float):
        return "floating point number"
    if isinstance(v, str):
        return "string"
    return "list" if isinstance(v, list) else "dictionary"


def parser_error(errno: int, description: str) -> PropertyError:
    """A refusal by a v0.0.40+ data parser (error_number entry; the caller adds its source)."""
    message = NEWER_ERRORS.get(errno)
    if message is None:
        from ..slurm import strerror
        message = strerror(errno)
    return PropertyError({"description": description, "error_number": errno,
                          "error": message})


def no_val_number(v, width: int = 32, quoted: bool = False) -> int:
    """A number, or a {"set", "infinite", "number"} object, as the
    reference's *_NO_VAL parsers read it into a `width`-bit C value: unset
    (null, set false) is NO_VAL, infinite (or any number from NO_VAL up) INFINITE.
    `quoted`: refused as v0.0.41 and later refuse (the value shown, as JSON)."""
    # Read as a uint64_t (NO_VAL64 unset, INFINITE64 unlimited), then narrowed.
    no_val64, infinite64 = (1 << 64) - 2, (1 << 64) - 1
    if v is None:
        n = no_val64
    elif isinstance(v, float):
        n = no_val64 if v != v else infinite64 if v in (float("inf"), float("-inf")) \
            else int(v)
    elif isinstance(v, str) and words.INT.match(v.strip()):
        n = convert.saturate(convert.integer(v.strip()))
    elif isinstance(v, int) and not isinstance(v, bool):
        n = v
    elif isinstance(v, dict):
        n = _number_object(v, no_val64, infinite64)
    elif quoted:
        raise parser_error(ESLURM_DATA_CONV_FAILED, f"Expected integer but got {json.dumps(v, separators=(',', ':'))}")
    else:
        raise parser_error(ESLURM_DATA_EXPECTED_DICT,
                           f"Expected dictionary but got {data_type(v)}")
    n &= infinite64
    if width == 64:
        return n
    infinite = (1 << width) - 1
    if n == no_val64:
        return infinite - 1
    return infinite if n >= infinite - 1 else n


def _number_object(v: dict, no_val: int, infinite: int) -> int:
    def field(key: str, read, wanted: str):
        try:
            return read(v[key])
        except ValueError:
            raise parser_error(ESLURM_DATA_CONV_FAILED,
                               f'Expected {wanted} for "{key}" field but got dictionary') from None
    set_ = field("set", as_bool, "bool") if "set" in v else False
    inf = field("infinite", as_bool, "bool") if "infinite" in v else False
    num = field("number", as_int, "integer number") if "number" in v else None
    if inf:
        return infinite
    if not set_:
        return no_val
    if num is None:
        raise parser_error(ESLURM_DATA_CONV_FAILED,
                           'Expected "number" field when "set"=True but field not present')
    return num
