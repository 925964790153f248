"""The query parameters of v0.0.40 and later's list endpoints (nodes,
partitions, jobs): `update_time` and `flags`, read as the reference's data
parser reads its TIMESTAMP and JOB_SHOW_FLAGS types.

A value the parser refuses gives an error entry naming it; the endpoint
then answers with those entries and its own "Rejecting request" one
(`refused`).
"""
from __future__ import annotations

from .. import words
from ..errors import ESLURM_DATA_CONV_FAILED, ESLURM_REST_INVALID_QUERY, ApiError, error_entry
from ..routes import Param
from ..schema import Enum, Str
from ..slurm import lib, strerror

# Slurm 24.11's error for an unknown flag, which 22.05's libslurm has no text for.
ESLURM_DATA_FLAGS_INVALID = 9207
FLAGS_INVALID = "Data parser unable to parse invalid flag"
NO_VAL64 = 0xFFFFFFFFFFFFFFFE

# JOB_SHOW_FLAGS: each name sets its bit (names match whatever their case).
SHOW_FLAGS = (("ALL", "SHOW_ALL"), ("DETAIL", "SHOW_DETAIL"), ("MIXED", "SHOW_MIXED"),
              ("LOCAL", "SHOW_LOCAL"), ("SIBLING", "SHOW_SIBLING"),
              ("FEDERATION", "SHOW_FEDERATION"), ("FUTURE", "SHOW_FUTURE"))


def update_time_param(description: str) -> Param:
    # The reference types it as a string: it also reads dates ("now-1hour").
    return Param("update_time", "query", Str, description)


FLAGS = Param("flags", "query", Enum(*(name for name, _ in SHOW_FLAGS)), "Query flags")


def _entry(errno: int, description: str, source: str) -> dict:
    message = FLAGS_INVALID if errno == ESLURM_DATA_FLAGS_INVALID else strerror(errno)
    return error_entry("error_number", errno, message, description, source)


def timestamp(text: str, key: str, errors: list) -> int:
    """`text` as a TIMESTAMP: a number (a decimal rounded), or a date or
    time `slurm_parse_time` reads; 0 with an entry in `errors` when it is none."""
    value = words.typed(text)
    if isinstance(value, float):
        value = None if value != value or value in (float("inf"), float("-inf")) \
            else words.lrint(value)
    if isinstance(value, bool):
        value = None
    elif isinstance(value, str):
        from ..slurm import ffi
        value = lib.slurm_parse_time(ffi.new("char[]", text.encode()), 0) or None
        if value is None:
            errors.append(_entry(ESLURM_DATA_CONV_FAILED,
                                 f"Parsing of {text} for timestamp failed", key))
            return 0
    if value is None or value == NO_VAL64:
        errors.append(_entry(ESLURM_DATA_CONV_FAILED, "Invalid or unset timestamp value", key))
        return 0
    return max(-(1 << 63), min((1 << 63) - 1, value))


def show_flags(text: str, key: str, errors: list) -> int:
    """`text`, one flag's name, as its bit; 0 with an entry in `errors` when unknown."""
    for name, const in SHOW_FLAGS:
        if text.lower() == name.lower():
            return getattr(lib, const)
    errors.append(_entry(ESLURM_DATA_FLAGS_INVALID, f'Unknown flag "{text}"', key))
    return 0


def read(call, handler: str) -> tuple[int, int]:
    """(update_time, show flags) of `call`'s query, 0 where absent; an
    ApiError naming every refused value, from the endpoint `handler`."""
    errors: list = []
    query = call.query
    since = timestamp(query["update_time"], "#/update_time", errors) \
        if "update_time" in query else 0
    flags = show_flags(query["flags"], "#/flags", errors) if "flags" in query else 0
    if errors:
        raise refused(handler, errors)
    return since, flags


def refused(handler: str, errors: list) -> ApiError:
    """The answer to a query the parser refused: its entries, then the endpoint's."""
    errors.append(_entry(ESLURM_REST_INVALID_QUERY, "Rejecting request. Failure parsing query",
                         handler))
    return ApiError(500, errors=errors, payload={})
