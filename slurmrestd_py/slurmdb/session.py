"""The slurmdbd session, the same for every /slurmdb version: one connection
per request (`Db`) and the Lists its queries return, the condition Lists
that select what they return (`Conditions`), the request's lookup tables
(`ENV`: TRES, QOS, associations by id) and its failures (`DbError`,
`soft_error`), answered as the reference answers them (`answer`).

Lookups are per-request tables, filled by the handler before records are
read (one request at a time per process).
"""
from __future__ import annotations

import contextlib
from typing import Callable

from .. import slurm
from ..errors import (ESLURM_DB_CONNECTION, ESLURM_REST_INVALID_QUERY, SLURM_NO_CHANGE_IN_DATA,
                      ApiError, error_entry)
from ..slurm import conditions, ffi, lib, records, strings


# ---- per-request lookups ----

class Env:
    """Lookup tables of the request being answered."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.tres: dict[int, tuple] = {}  # id -> (type, name)
        self.tres_order: list[tuple] = []  # (id, type, name) as slurmdbd listed them
        self.qos: dict[int, str] = {}  # id -> name
        self.qos_list = ffi.NULL  # slurmdbd's List of them, for libslurm's lookups
        self.assocs: dict[tuple, dict] = {}  # (cluster, id) -> short record
        # A version's reading of each TRES string, kept as long as the TRES are.
        self.tres_rows: dict[bytes, list] = {}
        self.errors: list[dict] = []  # error entries of an answer that goes on

    def set_tres(self, records) -> None:
        self.tres_order = [(t.id, slurm.text(t.type), slurm.text(t.name)) for t in records]
        self.tres = {i: (ty, n) for i, ty, n in self.tres_order}
        self.tres_rows = {}

    def set_qos(self, records) -> None:
        self.qos = {q.id: slurm.text(q.name) for q in records}


ENV = Env()


# ---- the slurmdbd session ----

class DbError(Exception):
    """A failed query: the error entry, the status and what the reference had
    put in the answer by then (`payload`)."""

    def __init__(self, errno: int, source: str = "", description: str = "",
                 status: int = 500, payload: dict | None = None):
        super().__init__(errno, source)
        self.errno = errno
        self.source = source
        self.description = description
        self.status = status
        self.payload = payload


def soft_error(errno: int, source: str = "", description: str = "") -> None:
    """An error entry for an answer that goes on (the reference reports it
    and carries on)."""
    ENV.errors.append(error_entry("slurmdb", errno, slurm.strerror(errno), description, source))


@contextlib.contextmanager
def partial(payload: dict, status: int | None = None):
    """On a DbError, answer with `payload` as it stands (and `status`)."""
    try:
        yield payload
    except DbError as e:
        if e.payload is None:
            e.payload = dict(payload)
        if status is not None:
            e.status = status
        raise


class Db:
    """One slurmdbd connection; the Lists it fetched are freed by `close()`
    (the connection itself closes as soon as the queries are done)."""

    def __init__(self):
        self.conn = None
        self.lists: list = []
        self.streaming = False

    def __enter__(self):
        slurm.init()
        ENV.reset()
        self.conn = ffi.new("void **")
        self.conn[0] = lib.slurmdb_connection_get(ffi.NULL)
        if self.conn[0] == ffi.NULL:
            raise DbError(ESLURM_DB_CONNECTION, "slurmdb_connection_get",
                          "Failed connecting to slurmdbd")
        return self

    def __exit__(self, *exc):
        self.disconnect()
        if exc[0] is not None:
            self.close()
        return False

    def disconnect(self) -> None:
        if self.conn is not None and self.conn[0] != ffi.NULL:
            lib.slurmdb_connection_close(self.conn)
        self.conn = None

    def close(self) -> None:
        self.disconnect()
        lists, self.lists = self.lists, []
        for lst in lists:
            lib.slurm_list_destroy(lst)

    def stream(self, found: list, read: Callable):
        """Yield read(record) for `found`; the Lists are freed at the end
        (the connection closes now: everything is fetched)."""
        self.disconnect()
        self.streaming = True

        def items():
            try:
                for record in found:
                    yield read(record)
            finally:
                self.close()
        return items()

    def get(self, call: str, cond, ctype: str) -> list:
        """The records of one slurmdb_*_get query, or DbError as the reference
        reports it. An empty result is an empty list (the reference: an error)."""
        return list(records(self.query(call, cond), ctype))

    def _list_call(self, call: str, *args):
        """(List, errno) of a libslurm call that returns a List; the List is
        freed by `close()`."""
        ffi.errno = 0
        lst = getattr(lib, call)(self.conn[0], *args)
        errno = ffi.errno
        if lst != ffi.NULL:
            self.lists.append(lst)
        return lst, errno

    def query(self, call: str, cond):
        """The List one slurmdb_*_get query returns (freed by `close()`)."""
        lst, errno = self._list_call(call, cond)
        if errno:
            raise DbError(errno, call)
        if lst == ffi.NULL:
            raise DbError(ESLURM_REST_INVALID_QUERY, call, "Unknown error with query")
        return lst

    def remove(self, call: str, cond) -> list[str]:
        """One slurmdb_*_remove, committed: the names of what it removed.
        Nothing to remove is an empty list (the reference answers 304, 500
        or 200 with an error, by area)."""
        lst, errno = self._list_call(call, cond)
        if errno == SLURM_NO_CHANGE_IN_DATA or (lst != ffi.NULL and not errno
                                               and lib.slurm_list_count(lst) == 0):
            return []
        if errno or lst == ffi.NULL:
            raise DbError(errno or ESLURM_REST_INVALID_QUERY, call)
        self.commit()
        return strings(lst)

    def modify(self, call: str, cond, rec) -> list[str]:
        """One slurmdb_*_modify: the names of what changed (none: no change)."""
        lst, errno = self._list_call(call, cond, rec)
        if lst != ffi.NULL:
            return strings(lst)
        if errno in (0, SLURM_NO_CHANGE_IN_DATA):
            return []
        raise DbError(errno, call)

    def add(self, call: str, *args) -> None:
        """One slurmdb_*_add (or slurmdb_coord_add); the caller commits."""
        rc = getattr(lib, call)(self.conn[0], *args)
        if rc:
            raise DbError(rc, call)

    def commit(self) -> None:
        rc = lib.slurmdb_connection_commit(self.conn[0], True)
        if rc:
            raise DbError(rc, "slurmdb_connection_commit")

    def tres(self) -> list:
        cond = ffi.new("slurmdb_tres_cond_t *", {"with_deleted": 1})
        found = self.get("slurmdb_tres_get", cond, "slurmdb_tres_rec_t *")
        ENV.set_tres(found)
        return found

    def qos(self, with_deleted: int = 1) -> list:
        cond = conditions.new("slurmdb_qos_cond_t *", {"with_deleted": with_deleted})
        ENV.qos_list = self.query("slurmdb_qos_get", cond)
        found = list(records(ENV.qos_list, "slurmdb_qos_rec_t *"))
        ENV.set_qos(found)
        return found


class Conditions:
    """Lists for one query condition, freed together on exit."""

    def __init__(self):
        self.lists: list = []
        self.keep: list = []

    def chars(self, *values: str | None):
        """A List filled by slurm_addto_char_list (split on commas, quotes
        dropped, lower-cased, no repeats), as the reference reads filters."""
        lst = lib.slurm_list_create(ffi.addressof(lib, "slurm_xfree_ptr"))
        self.lists.append(lst)
        for v in values:
            if v is not None:
                lib.slurm_addto_char_list(lst, v.encode())
        return lst

    def owned(self, destructor):
        """An empty List whose items `destructor` frees."""
        lst = lib.slurm_list_create(destructor)
        self.lists.append(lst)
        return lst

    def exact(self, *values: str):
        """A List of `values` unchanged (the reference appends path names as given)."""
        lst = lib.slurm_list_create(ffi.NULL)
        self.lists.append(lst)
        for v in values:
            buf = ffi.new("char[]", v.encode())
            self.keep.append(buf)
            lib.slurm_list_append(lst, buf)
        return lst

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        lists, self.lists = self.lists, []
        for lst in lists:
            lib.slurm_list_destroy(lst)
        self.keep = []
        return False


# ---- answering ----

def answer(build: Callable, *args) -> dict:
    """Run one area's builder in a session; errors become the reference's answer."""
    db = Db()
    try:
        with db:
            out = build(db, *args)
    except DbError as e:
        db.close()
        raise ApiError(e.status, e.errno, e.source, e.description,
                       payload=e.payload if e.payload is not None else {},
                       errors=ENV.errors) from None
    if not db.streaming:
        db.close()
    if ENV.errors:
        raise ApiError(200, payload=out, errors=ENV.errors)
    return out
