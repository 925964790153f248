"""Request values (bodies, queries) read as Slurm 24.11's data parsers read
them (src/plugins/data_parser/v0.0.4x): what each accepts, the warnings it
gives for a value of another type than the document declares (and still
reads), the errors that stop a request and the ones it reports and goes on,
with their sources ("#/key/"). Shared by the v0.0.40-42 endpoints that take
input; checked against the 24.11 reference by tests/integration/test_v40_*.
"""
from __future__ import annotations

import json

from .. import slurm
from ..errors import ApiError, ESLURM_DATA_CONV_FAILED, error_entry, status_40
from ..kinds import Flags
from ..slurm import ffi, lib

NO_VAL, INFINITE = 0xFFFFFFFE, 0xFFFFFFFF

# 24.11's error numbers that 22.05's libslurm has no text for.
ESLURM_DATA_FLAGS_INVALID = 9207
ESLURM_DATA_EXPECTED_DICT = 9209
ESLURM_USER_ID_UNKNOWN = 2166
MESSAGES = {ESLURM_DATA_FLAGS_INVALID: "Data parser unable to parse invalid flag",
            ESLURM_DATA_EXPECTED_DICT: "Data parser expected a dictionary or object",
            ESLURM_USER_ID_UNKNOWN: "Unable to resolve user ID to user name"}


def message(errno: int) -> str:
    return MESSAGES.get(errno) or slurm.strerror(errno)


class Refused(Exception):
    """A value the parser refuses: the request stops there."""


class Reading:
    """What reading one request found: its error entries (the answer's first
    error gives its status) and, in the call, its warnings."""

    def __init__(self, call, shows_values: bool, typed_query: bool = False):
        self.call = call
        self.errors: list[dict] = []
        # v0.0.41 and later: a type warning shows the value and its format.
        self.shows_values = shows_values
        # v0.0.42: query text is typed (numbers, Booleans, null) before it is read.
        self.typed_query = typed_query

    def error(self, errno: int, description: str, source: str) -> None:
        self.errors.append(error_entry("error_number", errno, message(errno), description,
                                       source))

    def refuse(self, errno: int, description: str, source: str):
        self.error(errno, description, source)
        return Refused()

    def warn(self, description: str, source: str) -> None:
        self.call.warnings.append({"description": description, "source": source})

    def fail(self, payload: dict | None = None) -> ApiError:
        return ApiError(status_40(self.errors[0]["error_number"]),
                        payload={} if payload is None else payload, errors=self.errors)


# The data types as the reference names them: (OpenAPI type, format, its own name).
DATA = {str: ("string", None, "string"), int: ("integer", "int64", "64 bit integer"),
         float: ("number", None, "floating point number"), bool: ("boolean", None, "boolean"),
         list: ("array", None, "list"), dict: ("object", None, "dictionary"),
         type(None): ("null", None, "null")}


def type_name(value) -> str:
    return DATA[type(value)][2]


def shown(value) -> str:
    # How the reference prints a value in a message (%pd).
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return json.dumps(value, separators=(",", ":"))


def expect(p: Reading, key: str, value, want: tuple) -> None:
    """The reference's warning for a value of another type than the field's
    OpenAPI type (it still parses it if it can)."""
    if value is None or want[2] == type_name(value):
        return
    got = DATA[type(value)]
    fmt = (lambda f: f" format={f}" if f else "")
    text = (f"Expected OpenAPI type={want[0]}{fmt(want[1])} (Slurm type={want[2]}) but got "
            f"OpenAPI type={got[0]}{fmt(got[1] if p.shows_values else None)} "
            f"(Slurm type={got[2]})")
    p.warn(f"{text}: {shown(value)}" if p.shows_values else text, f"#/{key}/")


STRING, INTEGER, ARRAY = DATA[str], ("integer", "int32", "64 bit integer"), DATA[list]


def cstr(p: Reading, value: str, key: str) -> bytes:
    from ..convert import Invalid, cstring
    try:
        return cstring(value, key)
    except Invalid as e:
        raise p.refuse(ESLURM_DATA_CONV_FAILED, e.reason, f"#/{key}/") from None


def text(p, value, key):
    """STRING: a scalar as text; null unsets."""
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        # The reference's STRING parser fails here without a word: the
        # request stops, and answers 200 with no error.
        raise Refused()
    if not isinstance(value, str):
        value = shown(value)
    return cstr(p, value, key)


def csv(p, value, key):
    """CSV_STRING: a list (or an object's key=value pairs) joined with commas, or a string."""
    if isinstance(value, list):
        return cstr(p, ",".join(v if isinstance(v, str) else shown(v) for v in value), key)
    if isinstance(value, dict):
        return cstr(p, ",".join(f"{k}={v}" for k, v in value.items()), key)
    return text(p, value, key)


def hostlist(p, value, key):
    """HOSTLIST_STRING: a host list (a string or a list of them) as its
    ranged string; None for an empty one."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        hl = lib.slurm_hostlist_create(cstr(p, value, key))
        if hl == ffi.NULL:
            raise p.refuse(ESLURM_DATA_CONV_FAILED, f"Invalid hostlist string: {value}",
                           f"#/{key}/")
        items = []
    else:
        items = value if isinstance(value, list) else [value]
        hl = lib.slurm_hostlist_create(ffi.NULL)
    try:
        for item in items:
            if isinstance(item, (dict, list)) or item is None:
                raise p.refuse(ESLURM_DATA_CONV_FAILED,
                               f"string expected but got {type_name(item)}", f"#/{key}/")
            text = item if isinstance(item, str) else shown(item)
            if not lib.slurm_hostlist_push(hl, cstr(p, text, key)):
                raise p.refuse(ESLURM_DATA_CONV_FAILED, f"Invalid host string: {text}",
                               f"#/{key}/")
        ranged = lib.slurm_hostlist_ranged_string_xmalloc(hl)
        try:
            return ffi.string(ranged) if ranged != ffi.NULL else None
        finally:
            lib.slurm_xfree_ptr(ranged)
    finally:
        lib.slurm_hostlist_destroy(hl)


def integer(p, value, key, bounds=(0, INFINITE)) -> int:
    from ..convert import integer
    number = integer(value) if isinstance(value, str) else value
    if isinstance(number, float) and number == number and abs(number) != float("inf"):
        number = int(number)
    if not isinstance(number, int) or isinstance(number, bool) \
            or not bounds[0] <= number <= bounds[1]:
        raise p.refuse(ESLURM_DATA_CONV_FAILED,
                       f"Expected integer but got {shown(value)}", f"#/{key}/")
    return number


def uint32(p, value, key):
    return integer(p, value, key)


def number(p, value, key) -> int:
    """UINT32_NO_VAL: a number, {"set", "infinite", "number"}, or null (unset)."""
    if value is None:
        return NO_VAL
    if isinstance(value, dict):
        if value.get("infinite"):
            return INFINITE
        if value.get("set") is False or "number" not in value:
            return NO_VAL
        value = value["number"]
    return integer(p, value, key)


def user(p, value, key) -> int:
    """USER_ID: a user name or a uid."""
    import pwd
    if isinstance(value, str) and not value.lstrip("+-").isdigit():
        try:
            return pwd.getpwnam(value).pw_uid
        except KeyError:
            raise p.refuse(ESLURM_USER_ID_UNKNOWN, f"Unable to resolve user: {value}",
                           f"#/{key}/") from None
    return integer(p, value, key)


# The query's show flags (the reference's JOB_SHOW_FLAGS).
SHOW_FLAGS = Flags("", [(name, bit, bit, False) for name, bit in (
    ("ALL", 0x1), ("DETAIL", 0x2), ("MIXED", 0x8), ("LOCAL", 0x10), ("SIBLING", 0x20),
    ("FEDERATION", 0x40), ("FUTURE", 0x80))])


def query(call, p: Reading, parser: str) -> tuple[int, int]:
    """(update_time, show flags: 0 when none) from the query, as the
    reference parses an update_time-and-flags query (`parser`: its name,
    "OPENAPI_NODES_QUERY"): a time it cannot read refuses the request
    (Refused); an unknown flag is reported and the answer still given."""
    for key in call.query:
        if key not in ("update_time", "flags"):
            p.warn(f'Ignoring unknown field "{key}" of type string in DATA_PARSER_{parser}',
                   f"#/{key}/")
    since = 0
    if "update_time" in call.query:
        since = timestamp(p, call.query["update_time"])
    flags = 0
    value = call.query.get("flags")
    if value is not None:
        def unknown(index, name):
            p.error(ESLURM_DATA_FLAGS_INVALID, f'Unknown flag "{name}"', f"#/flags[{index}]/")
        flags = SHOW_FLAGS.parse(value, 0, unknown)
    return since, flags


def timestamp(p: Reading, value: str) -> int:
    """A TIMESTAMP: in v0.0.42 a number, Boolean or null as the reference's
    data layer types query text; else (and always before v0.0.42) a time as
    sbatch's --begin reads it ("now-1hour")."""
    from .. import words
    source = "#/update_time/"
    typed = words.typed(value) if p.typed_query else value
    if isinstance(typed, bool):
        raise p.refuse(ESLURM_DATA_CONV_FAILED, f"Expected integer but got {shown(typed)}",
                       source)
    if isinstance(typed, float):
        typed = None if typed != typed or abs(typed) == float("inf") else int(typed)
    if typed is None or value == "":
        raise p.refuse(ESLURM_DATA_CONV_FAILED, "Invalid or unset timestamp value", source)
    if isinstance(typed, int):
        return typed
    t = lib.slurm_parse_time(ffi.new("char[]", cstr(p, value, "update_time")), 0)
    if not t:
        raise p.refuse(ESLURM_DATA_CONV_FAILED, f"Parsing of {value} for timestamp failed",
                       source)
    return t


