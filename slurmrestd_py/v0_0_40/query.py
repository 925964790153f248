"""The query parameters of v0.0.40 and later's list endpoints (nodes,
partitions, jobs): `update_time` and `flags`, read as the reference's data
parser reads its TIMESTAMP and JOB_SHOW_FLAGS types.

A value the parser refuses gives an error entry naming it; the endpoint
then answers with those entries and its own "Rejecting request" one
(`refused`). An unknown flag is only an entry: the endpoint answers as
without it, with that entry and a 500 (`answer`).
"""
from __future__ import annotations

import re

from .. import convert, words
from ..errors import ESLURM_DATA_CONV_FAILED, ESLURM_REST_INVALID_QUERY, ApiError, error_entry
from ..routes import Param
from ..schema import Enum, Str
from ..slurm import ffi, lib, strerror

# Slurm 24.11's errors for flags, which 22.05's libslurm has no text for.
ESLURM_DATA_FLAGS_INVALID_TYPE = 9206
ESLURM_DATA_FLAGS_INVALID = 9207
MESSAGES = {ESLURM_DATA_FLAGS_INVALID_TYPE: "Data parser expects flags to be a list",
            ESLURM_DATA_FLAGS_INVALID: "Data parser unable to parse invalid flag"}

# JOB_SHOW_FLAGS: each name sets its bit (names match whatever their case).
SHOW_FLAGS = (("ALL", "SHOW_ALL"), ("DETAIL", "SHOW_DETAIL"), ("MIXED", "SHOW_MIXED"),
              ("LOCAL", "SHOW_LOCAL"), ("SIBLING", "SHOW_SIBLING"),
              ("FEDERATION", "SHOW_FEDERATION"), ("FUTURE", "SHOW_FUTURE"))


def update_time_param(description: str) -> Param:
    # The reference types it as a string: it also reads dates ("now-1hour").
    return Param("update_time", "query", Str, description)


FLAGS = Param("flags", "query", Enum(*(name for name, _ in SHOW_FLAGS)), "Query flags")


def _entry(errno: int, description: str, source: str) -> dict:
    message = MESSAGES.get(errno) or strerror(errno)
    return error_entry("error_number", errno, message, description, source)


def timestamp(text: str, source: str, errors: list, typed: bool) -> int:
    """`text` (a query value: a string, "" when empty) as a TIMESTAMP; 0
    with an entry in `errors` when it is none. Text is a date or time
    `slurm_parse_time` reads; `typed` (v0.0.42) first types it as the
    reference's data layer does: a number, or a word for null or a Boolean."""
    value = text or None  # the reference's query parser makes an empty value null
    if typed and value is not None:
        value = _typed(text)
    if isinstance(value, str):
        value = lib.slurm_parse_time(ffi.new("char[]", text.encode()), 0)
        if not value:
            errors.append(_entry(ESLURM_DATA_CONV_FAILED,
                                 f"Parsing of {text} for timestamp failed", source))
        return value
    if isinstance(value, bool):
        errors.append(_entry(ESLURM_DATA_CONV_FAILED,
                             f"Expected integer but got {str(value).lower()}", source))
        return 0
    if value is None:
        errors.append(_entry(ESLURM_DATA_CONV_FAILED, "Invalid or unset timestamp value", source))
        return 0
    return value


_NOT_A_NUMBER = re.compile(r"[+-]?(?:inf|infinity|nan)\Z", re.IGNORECASE)


def _typed(text: str):
    """`text` typed: None (a null word, an infinite or not-a-number float),
    a Boolean, an integer (a float rounded), or the text itself."""
    if text[:2] in ("0x", "0X"):
        try:
            return int(text, 16)
        except ValueError:
            return text
    if _NOT_A_NUMBER.match(text):
        return None
    value = words.typed(text)
    if isinstance(value, float):
        return None if value != value or value in (float("inf"), float("-inf")) \
            else words.lrint(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return convert.saturate(value)
    return value


def show_flags(text: str, source: str, errors: list) -> int:
    """`text`, one flag's name, as its bit; 0 with an entry in `errors` when unknown."""
    for name, const in SHOW_FLAGS:
        if text.lower() == name.lower():
            return getattr(lib, const)
    errors.append(_entry(ESLURM_DATA_FLAGS_INVALID, f'Unknown flag "{text}"', source + "[0]/"))
    return 0


def read(call, handler: str, typed: bool) -> tuple[int, int, list]:
    """(update_time, show flags, errors) of `call`'s query, 0 where absent;
    `typed`: the version types update_time (v0.0.42, `timestamp`).
    A value the reference's parser refuses is an ApiError from the endpoint
    `handler`; an unknown flag is only an error entry (in `errors`): the
    reference answers as without it, and fails with that entry."""
    query = call.query
    errors: list = []
    since = timestamp(query["update_time"], "#/update_time/", errors, typed) \
        if "update_time" in query else 0
    flags = 0
    if not errors and query.get("flags") == "":  # (parsing stops at the first refusal)
        errors.append(_entry(ESLURM_DATA_FLAGS_INVALID_TYPE, "Expected a List but found a null",
                             "#/flags/"))
    if errors:
        raise refused(handler, errors)
    if "flags" in query:
        flags = show_flags(query["flags"], "#/flags", errors)
    return since, flags, errors


def refused(handler: str, errors: list) -> ApiError:
    """The answer to a query the parser refused: its entries, then the endpoint's."""
    errors.append(_entry(ESLURM_REST_INVALID_QUERY, "Rejecting request. Failure parsing query",
                         handler))
    return ApiError(500, errors=errors, payload={})


def answer(payload: dict, errors: list) -> dict:
    """`payload`, or when `read` left entries in `errors`, a failure carrying both."""
    if errors:
        raise ApiError(500, errors=errors, payload=payload)
    return payload
