"""Request bodies into slurmdb records, as the reference's parser reads them.

A declaration's leaves (common.P) may carry a `write`: how the value found at
their key path is stored in the C record. `run` applies an object's writers
in declaration order and stops at the first failure, reporting it in the
reference's words ("Failed to parse field 'flags'"), so the response
declaration, the document and the parser come from one list.

Records, strings and Lists made here belong to a `Store` and live as long as
it does: libslurm only reads them (its Lists are made without destructors).
"""
from __future__ import annotations

from typing import Any, Callable

from ..slurm import ffi, lib

# <slurm/slurm_errno.h>
ESLURM_REST_FAIL_PARSING = 9001
ESLURM_DATA_CONV_FAILED = 9202

MISSING = object()
_INFINITE, _NO_VAL = 0xFFFFFFFF, 0xFFFFFFFE
_INFINITE16, _NO_VAL16 = 0xFFFF, 0xFFFE


class Failed(Exception):
    """A value that cannot be stored. `errors`: entries (errno, description,
    source) the reference reports before its "Failed to parse field" one."""

    def __init__(self, errno: int, *errors: tuple[int, str, str]):
        super().__init__(errno)
        self.errno = errno
        self.errors = errors


class Store:
    """What records made for one request need kept alive."""

    def __init__(self):
        self._keep: list = []

    def new(self, ctype: str):
        obj = ffi.new(ctype)
        self._keep.append(obj)
        return obj

    def string(self, value: str):
        buf = ffi.new("char[]", value.encode())
        self._keep.append(buf)
        return buf

    def list(self, items=()):
        lst = lib.slurm_list_create(ffi.NULL)
        self._keep.append(ffi.gc(lst, lib.slurm_list_destroy))
        for item in items:
            lib.slurm_list_append(lst, item)
        return lst


def resolve(data: dict, path: str) -> Any:
    for key in path.split("/"):
        if not isinstance(data, dict) or key not in data:
            return MISSING
        data = data[key]
    return data


def run(inputs, rec, data: dict, store: Store) -> None:
    """Apply `inputs` ((path, required, write), in order) to `rec`. Raises
    Failed with the reference's entries at the first problem."""
    for path, required, write in inputs:
        value = resolve(data, path)
        if value is MISSING:
            if required:
                raise Failed(ESLURM_REST_FAIL_PARSING,
                             (ESLURM_REST_FAIL_PARSING, f"Missing required field '{path}'",
                              "_parser_run"))
            continue
        try:
            write(rec, value, store)
        except Failed as e:
            what = "required field" if required else "field"
            raise Failed(e.errno, *e.errors,
                         (e.errno, f"Failed to parse {what} '{path}'", "_parser_run")) from None


# ---- writers: (record, JSON value, store) -> None, or Failed ----

def _as_string(value) -> str:
    """data_convert_type(..., DATA_TYPE_STRING) of a JSON value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:f}"
    raise Failed(ESLURM_DATA_CONV_FAILED)


def _as_int(value) -> int:
    """data_convert_type(..., DATA_TYPE_INT_64) of a JSON value."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip(), 10)
        except ValueError:
            pass
    raise Failed(ESLURM_DATA_CONV_FAILED)


def string(attr: str) -> Callable:
    def write(rec, value, store):
        setattr(rec, attr, ffi.NULL if value is None else store.string(_as_string(value)))
    return write


def unsigned(attr: str, bits: int) -> Callable:
    """uint16/uint32: null is INFINITE; -2 and -1 (NO_VAL64, INFINITE64 as
    int64) are NO_VAL and INFINITE; anything else must fit."""
    infinite, no_val = (_INFINITE, _NO_VAL) if bits == 32 else (_INFINITE16, _NO_VAL16)

    def write(rec, value, store):
        if value is None:
            n = infinite
        else:
            n = {-2: no_val, -1: infinite}.get(_as_int(value), _as_int(value))
            if not 0 <= n < 1 << bits:
                raise Failed(ESLURM_DATA_CONV_FAILED)
        setattr(rec, attr, n)
    return write


def flag_names(attr: str, table, bools: tuple[tuple[str, str], ...] = ()) -> Callable:
    """A list of names, any case: bits of `attr` from `table` ((bit, name)),
    or Boolean members from `bools` ((member, name))."""
    def write(rec, value, store):
        if not isinstance(value, list):
            raise Failed(ESLURM_REST_FAIL_PARSING)
        for item in value:
            name = _as_string(item).lower()
            bits = [bit for bit, n in table if n.lower() == name]
            members = [m for m, n in bools if n.lower() == name]
            if not bits and not members:
                raise Failed(ESLURM_REST_FAIL_PARSING,
                             (ESLURM_REST_FAIL_PARSING, "Unknown flag", "flags"))
            for bit in bits:
                setattr(rec, attr, getattr(rec, attr) | bit)
            for member in members:
                setattr(rec, member, 1)
    return write


def objects(attr: str, ctype: str, inputs: Callable[[], list],
             init: Callable | None = None) -> Callable:
    """A list of objects, each parsed by `inputs()` into a new `ctype`
    (first set up by `init`, if given)."""
    def write(rec, value, store):
        if not isinstance(value, list):
            raise Failed(ESLURM_REST_FAIL_PARSING)
        made = []
        for item in value:
            if not isinstance(item, dict):
                raise Failed(ESLURM_REST_FAIL_PARSING)
            made.append(store.new(ctype))
            if init:
                init(made[-1])
            run(inputs(), made[-1], item, store)
        setattr(rec, attr, store.list(made))
    return write


def new_assoc(rec) -> None:
    """Every limit unset (NO_VAL), as slurmdbd expects of a new association."""
    lib.slurmdb_init_assoc_rec(rec, False)


def admin_level(attr: str) -> Callable:
    """str_2_slurmdb_admin_level: only the first letter counts."""
    levels = {"n": 1, "o": 2, "s": 3, "a": 3}

    def write(rec, value, store):
        level = levels.get(_as_string(value)[:1].lower())
        if level is None:
            raise Failed(ESLURM_REST_FAIL_PARSING)
        setattr(rec, attr, level)
    return write
