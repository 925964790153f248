"""Request bodies into slurmdb records, as the reference's parser reads them:
the same for every /slurmdb version, whose declarations only name the keys
and the writer of each.

A declaration's fields (schema.Field) may carry a `write`: how the value
found at their key path is stored in the C record. `run` applies an
object's writers in declaration order and stops at the first failure,
reporting it in the reference's words ("Failed to parse field 'flags'"), so
the response declaration, the document and the parser come from one list;
`entries` does so for each object a body lists.

Records, strings and Lists made here belong to a `Store` and live as long as
it does: libslurm only reads them (its Lists are made without destructors).
"""
from __future__ import annotations

from typing import Any, Callable

from .. import convert
from ..words import truth
from ..errors import (ESLURM_DATA_CONV_FAILED, ESLURM_DATA_PATH_NOT_FOUND,
                      ESLURM_REST_FAIL_PARSING, ESLURM_REST_INVALID_QUERY)
from ..schema import Obj
from ..slurm import ffi, lib
from .session import ENV, DbError, soft_error

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
    """What records made for one request need kept alive, and the request's
    lookups (`env`: session.Env, with slurmdbd's TRES and QOS)."""

    def __init__(self):
        self._keep: list = []
        self.env = None

    def new(self, ctype: str):
        obj = ffi.new(ctype)
        self._keep.append(obj)
        return obj

    def string(self, value: str):
        buf = ffi.new("char[]", convert.cstring(value, "string"))
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
        except (Failed, convert.Invalid) as e:
            # Invalid: a value no C field can hold (range, encoding), which
            # the reference's conversions refuse as they refuse a wrong type.
            errno, errors = (e.errno, e.errors) if isinstance(e, Failed) else (
                ESLURM_DATA_CONV_FAILED, ())
            what = "required field" if required else "field"
            raise Failed(errno, *errors,
                         (errno, f"Failed to parse {what} '{path}'", "_parser_run")) from None


def entries(body, key: str, obj: Obj, ctype: str, store: Store,
            prepare: Callable | None = None, shape: str = "") -> list:
    """The `key` list of a request body, each entry parsed by `obj`'s inputs
    into a new `ctype` record (first set up by `prepare`). A body without
    the list, or with anything the parser refuses, is a 400 with the
    reference's error entries (it answers a missing list with 200). `shape`:
    what an entry that is not an object is told."""
    shape = shape or f"each {key[:-1] if key.endswith('s') else key} entry must be a dictionary"
    found = body.get(key) if isinstance(body, dict) else None
    if found is None:
        raise DbError(ESLURM_DATA_PATH_NOT_FOUND, key, "Query parameter not found", 400, {})
    if not isinstance(found, list):
        raise DbError(ESLURM_REST_INVALID_QUERY, key, "Query parameter must be a list", 400, {})
    store.env = ENV
    made = []
    for value in found:
        if not isinstance(value, dict):
            raise DbError(ESLURM_REST_INVALID_QUERY, description=shape, status=400, payload={})
        made.append(store.new(ctype))
        if prepare:
            prepare(made[-1], store)
        try:
            run(obj.inputs, made[-1], value, store)
        except Failed as e:
            *before, (errno, description, source) = e.errors
            for entry_errno, entry_description, entry_source in before:
                soft_error(entry_errno, entry_source, entry_description)
            raise DbError(errno, source, description, 400, {}) from None
    return made


# ---- writers: (record, JSON value, store) -> None, or Failed ----

def as_string(value) -> str:
    """data_convert_type(..., DATA_TYPE_STRING) of a JSON value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        convert.cstring(value, "string")  # C would see only what comes before a NUL
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:f}"
    raise Failed(ESLURM_DATA_CONV_FAILED)


def as_int(value) -> int:
    """data_convert_type(..., DATA_TYPE_INT_64) of a JSON value."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    n = convert.integer(value) if isinstance(value, str) else None
    if n is None:
        raise Failed(ESLURM_DATA_CONV_FAILED)
    return n


def string(attr: str) -> Callable:
    def write(rec, value, store):
        setattr(rec, attr, ffi.NULL if value is None else store.string(as_string(value)))
    return write


def unsigned(attr: str, bits: int) -> Callable:
    """uint16/uint32: null is INFINITE; -2 and -1 (NO_VAL64, INFINITE64 as
    int64) are NO_VAL and INFINITE; anything else must fit."""
    infinite, no_val = (_INFINITE, _NO_VAL) if bits == 32 else (_INFINITE16, _NO_VAL16)

    def write(rec, value, store):
        if value is None:
            n = infinite
        else:
            n = {-2: no_val, -1: infinite}.get(as_int(value), as_int(value))
            if not 0 <= n < 1 << bits:
                raise Failed(ESLURM_DATA_CONV_FAILED)
        setattr(rec, attr, n)
    return write


def no_val(attr: str, bits: int = 32) -> Callable:
    """A number as v0.0.40 and later take it (UINT32_NO_VAL): a {"set",
    "infinite", "number"} object, an integer, a numeric string, a float
    (infinity: INFINITE) or null (NO_VAL); NO_VAL and above are INFINITE."""
    infinite, no_val = (1 << bits) - 1, (1 << bits) - 2

    def write(rec, value, store):
        if value is None or (isinstance(value, float) and value != value):
            n = no_val
        elif isinstance(value, float) and value in (float("inf"), float("-inf")):
            n = infinite
        elif isinstance(value, dict):
            if value.get("infinite") is True:
                n = infinite
            elif value.get("set") is not True:
                n = no_val
            elif "number" not in value:
                raise Failed(ESLURM_DATA_CONV_FAILED)
            else:
                n = as_int(value["number"])
        elif isinstance(value, (bool, list)):
            raise Failed(ESLURM_DATA_CONV_FAILED)
        else:
            n = as_int(int(value) if isinstance(value, float) else value)
        if n < 0:
            raise Failed(ESLURM_DATA_CONV_FAILED)
        setattr(rec, attr, n if n < no_val else infinite if n != (1 << 64) - 2 else no_val)
    return write


def boolean(attr: str) -> Callable:
    """A Boolean (BOOL16): true, false, or what data_convert_type makes one of."""
    def write(rec, value, store):
        if isinstance(value, (dict, list)):
            raise Failed(ESLURM_DATA_CONV_FAILED)
        setattr(rec, attr, 1 if truth(value) else 0)
    return write


def flag_names(attr: str, table, bools: tuple[tuple[str, str], ...] = ()) -> Callable:
    """A list of names, any case: bits of `attr` from `table` ((bit, name)),
    or Boolean members from `bools` ((member, name))."""
    def write(rec, value, store):
        if not isinstance(value, list):
            raise Failed(ESLURM_REST_FAIL_PARSING)
        for item in value:
            name = as_string(item).lower()
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


def parse_list(value, ctype: str, inputs: list, store: Store, init: Callable | None = None,
          then: Callable | None = None) -> list:
    """A list of objects, each parsed by `inputs` into a new `ctype`: set up
    by `init(rec)` before, checked by `then(rec, store)` after, if given."""
    if not isinstance(value, list):
        raise Failed(ESLURM_REST_FAIL_PARSING)
    made = []
    for item in value:
        if not isinstance(item, dict):
            raise Failed(ESLURM_REST_FAIL_PARSING)
        made.append(store.new(ctype))
        if init:
            init(made[-1])
        run(inputs, made[-1], item, store)
        if then:
            then(made[-1], store)
    return made


def objects(attr: str, ctype: str, inputs: Callable[[], list],
            init: Callable | None = None) -> Callable:
    """A List of objects of `ctype`, each parsed by `inputs()` (see parse_list)."""
    def write(rec, value, store):
        setattr(rec, attr, store.list(parse_list(value, ctype, inputs(), store, init)))
    return write


def new_assoc(rec) -> None:
    """Every limit unset (NO_VAL), as slurmdbd expects of a new association."""
    lib.slurmdb_init_assoc_rec(rec, False)


def admin_level(attr: str) -> Callable:
    """str_2_slurmdb_admin_level: only the first letter counts."""
    levels = {"n": 1, "o": 2, "s": 3, "a": 3}

    def write(rec, value, store):
        level = levels.get(as_string(value)[:1].lower())
        if level is None:
            raise Failed(ESLURM_REST_FAIL_PARSING)
        setattr(rec, attr, level)
    return write


def real(attr: str) -> Callable:
    """A double; null is NO_VAL."""
    def write(rec, value, store):
        if value is None:
            setattr(rec, attr, float(_NO_VAL))
            return
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise Failed(ESLURM_DATA_CONV_FAILED)
        setattr(rec, attr, convert.real(value, attr))
    return write
