"""QOS ids as names and names as ids, from the request's QOS table
(session.ENV): read as libslurm names them (a qos_list, a preemption
bitstring), written from a request body as the reference looks them up
(`qos_id`, `qos_ids`). The same for every /slurmdb version, which only puts
them under its keys."""
from __future__ import annotations

from typing import Callable

from ..errors import ESLURM_DATA_CONV_FAILED, ESLURM_REST_EMPTY_RESULT, ESLURM_REST_FAIL_PARSING
from ..slurm import ffi, lib, strings
from .session import ENV
from .writers import Failed, as_string


# ---- read ----

def qos_name(qos_id: int) -> str | None:
    """slurmdb_qos_str: no name for id 0 is "", an unknown id has none."""
    return ENV.qos.get(qos_id) if qos_id else ""


def qos_names(rec):
    """The names of a record's qos_list, as get_qos_name_list gives them:
    ids (maybe "+"/"-" prefixed) to names, sorted; no list at all (null)
    without QOS ids or known QOS."""
    if not ENV.qos or rec.qos_list == ffi.NULL or not lib.slurm_list_count(rec.qos_list):
        return None
    names = []
    for s in strings(rec.qos_list):
        sign = s[:1] if s[:1] in "+-" and s else ""
        name = qos_name(_atoi(s[len(sign):]))
        if name is not None:
            names.append(sign + name)
    return sorted(names, key=lambda n: n.encode())


def _atoi(s: str) -> int:
    s = s.lstrip(" \t\n\v\f\r")
    n = len(s) - len(s.lstrip("+-0123456789"))
    try:
        return int(s[:n]) if n else 0
    except ValueError:
        return 0


def preempt_names(q) -> list[str]:
    """The QOS this one may preempt: preempt_bitstr's bits are QOS ids."""
    bits = q.preempt_bitstr
    if bits == ffi.NULL:
        return []
    out = []
    for i in range(1, lib.slurm_bit_size(bits)):
        if lib.slurm_bit_test(bits, i):
            name = ENV.qos.get(i)
            if name is not None:
                out.append(name)
    return out


# ---- written from a request body ----

def qos_id(attr: str) -> Callable:
    """A QOS name (any case) as its id; null is none (0)."""
    def write(rec, value, store):
        if value is None:
            setattr(rec, attr, 0)
            return
        name = as_string(value).lower()
        if not name:
            raise Failed(ESLURM_DATA_CONV_FAILED)
        ids = [i for i, n in store.env.qos.items() if n is not None and n.lower() == name]
        if not ids:
            raise Failed(ESLURM_REST_EMPTY_RESULT)
        setattr(rec, attr, ids[0])
    return write


def qos_ids(attr: str) -> Callable:
    """QOS names (or {"name": ...} objects) as libslurm's list of id
    strings; an empty list is the explicit "''" (no QOS, not "unchanged")."""
    def write(rec, value, store):
        if not isinstance(value, list):
            raise Failed(ESLURM_REST_FAIL_PARSING)
        found = lib.slurm_list_create(ffi.addressof(lib, "slurm_xfree_ptr"))
        try:
            for item in value:
                name = item.get("name") if isinstance(item, dict) else item
                if not isinstance(name, str):
                    raise Failed(ESLURM_REST_FAIL_PARSING)
                if lib.slurmdb_addto_qos_char_list(found, store.env.qos_list,
                                                   store.string(name), 0) <= 0:
                    raise Failed(ESLURM_REST_FAIL_PARSING, (
                        ESLURM_REST_FAIL_PARSING, "QOS name to ID conversion failed", name))
            ids = strings(found) or ["''"]
        finally:
            lib.slurm_list_destroy(found)
        setattr(rec, attr, store.list(store.string(i) for i in ids))
    return write
