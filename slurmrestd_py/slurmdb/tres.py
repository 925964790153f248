"""TRES strings, slurmdbd's "id=count,..." form of a TRES list, read
(`parse_tres`) and written from a request body (`tres_string`) as libslurm
reads and writes them; the same for every /slurmdb version, which only
names the keys of a TRES record."""
from __future__ import annotations

import re
from typing import Callable

from ..errors import ESLURM_DATA_CONV_FAILED, ESLURM_INVALID_TRES, ESLURM_REST_FAIL_PARSING
from ..slurm import NO_VAL, ffi, lib, text
from .writers import Failed, as_int, parse_list, string, unsigned

_ATOI = re.compile(rb"[ \t\n\v\f\r]*([+-]?[0-9]+)")


def _strtoull(s: bytes, pos: int) -> int:
    m = _ATOI.match(s, pos)
    if not m:
        return 0
    v = int(m.group(1))
    return min(v, (1 << 64) - 1) if v >= 0 else max(v, -(1 << 64) + 1) & ((1 << 64) - 1)


def parse_tres(s: bytes) -> list[tuple[int, int]]:
    """(id, count) pairs of a simple TRES string ("1=2,2=50"), as libslurm's
    slurmdb_tres_list_from_string reads it: one leading comma skipped, stop
    at the first entry without an id, keep the first of repeated ids."""
    out, seen, pos = [], set(), 1 if s[:1] == b"," else 0
    while True:
        m = _ATOI.match(s, pos)
        tid = int(m.group(1)) if m else 0
        if tid < 1:
            break
        eq = s.find(b"=", pos)
        if eq < 0:
            break
        if tid not in seen:
            seen.add(tid)
            out.append((tid, _strtoull(s, eq + 1)))
        comma = s.find(b",", eq + 1)
        if comma < 0:
            break
        pos = comma + 1
    return out


# ---- a request body's TRES list into the string ----

def _count(rec, value, store):
    """An int64 TRES count (null: NO_VAL), kept in the record's uint64."""
    n = NO_VAL if value is None else as_int(value)
    if not -(1 << 63) <= n < 1 << 63:
        raise Failed(ESLURM_DATA_CONV_FAILED)
    rec.count = n % (1 << 64)


_TRES_INPUTS = [("type", True, string("type")), ("name", False, string("name")),
                ("id", False, unsigned("id", 32)), ("count", False, _count)]


def _same(a: str | None, b: str | None) -> bool:
    """xstrcasecmp(a, b) == 0 (NULL equals only NULL)."""
    return a.lower() == b.lower() if a is not None and b is not None else a is b


def _known_tres(t, known):
    """The reference's match of a requested TRES against slurmdbd's list."""
    want_type, want_name = text(t.type), text(t.name)
    for tid, ttype, tname in known:
        if t.id > 0 and t.id == tid and (want_type is None or _same(want_type, ttype)) and (
                want_name is None or _same(want_name, tname)):
            return tid, ttype, tname
        if not want_name and _same(want_type, ttype) or (
                _same(want_name, tname) and _same(want_type, ttype)):
            return tid, ttype, tname
    return None


def _resolve_tres(t, store) -> None:
    """The id of a requested TRES, from slurmdbd's list, or the reference's error."""
    found = _known_tres(t, store.env.tres_order)
    if found is None:
        name = text(t.name)
        raise Failed(ESLURM_REST_FAIL_PARSING, (
            ESLURM_INVALID_TRES, f"Couldn't find TRES matching name:"
            f"{'(null)' if name is None else name} type:{text(t.type)}",
            "_for_each_parse_tres_count"))
    if t.id > 0 and t.id != found[0]:
        raise Failed(ESLURM_REST_FAIL_PARSING, (
            ESLURM_INVALID_TRES, f"Requested TRES id({t.id}) doesn't match TRES "
            f"type/name({found[1]}/{found[2]}) which id is {found[0]}",
            "_for_each_parse_tres_count"))
    t.id = found[0]


def tres_string(attr: str) -> Callable:
    """A list of TRES ({type, name, id, count}) as slurmdbd's "id=count,..."
    string (a count of -1 is INFINITE64: no limit)."""
    def write(rec, value, store):
        made = parse_list(value, "slurmdb_tres_rec_t *", _TRES_INPUTS, store, then=_resolve_tres)
        made_str = lib.slurmdb_make_tres_string(store.list(made), lib.TRES_STR_FLAG_SIMPLE)
        if made_str == ffi.NULL:
            raise Failed(ESLURM_REST_FAIL_PARSING)
        try:
            setattr(rec, attr, store.string(ffi.string(made_str).decode()))
        finally:
            lib.slurm_xfree(ffi.new("void **", made_str))
    return write
