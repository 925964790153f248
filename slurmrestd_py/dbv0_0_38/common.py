"""What every /slurmdb/v0.0.38 area shares: the slurmdbd session, value
types, nested declarations, TRES lists and short association records.

The reference builds each record from a table of slash-separated key paths
("max/jobs/per/count") whose nested objects get their keys in the order the
paths first name them; an `Obj` declared with such keys nests the same way,
so key order, schema and reader come from one list.

Lookups the records need (TRES names by id, QOS names by id, associations by
id) are per-request tables in `ENV`, filled by the handler before records are
read (one request at a time per process).
"""
from __future__ import annotations

import contextlib
import re
from typing import Callable

from .. import slurm, words
from ..envelope import response_obj
from ..errors import (ESLURM_DATA_PATH_NOT_FOUND, ESLURM_DB_CONNECTION,
                      ESLURM_REST_INVALID_QUERY, SLURM_NO_CHANGE_IN_DATA, ApiError, error_entry)
from ..routes import Operation, Param
from ..kinds import F64, I64, U16, U32, base
from ..schema import Array, ArrayOf, CStr, Field, Inline, Obj, Str, Type
from ..slurm import ffi, lib, records, strings

from .parse import Failed, Store, new_assoc, objects, real, run, string, tres_string, unsigned

_u32, _i64 = base(U32), base(I64)

Text = CStr  # char *: NULL is null
Names = Array(Str)


def flags(attr: str, table) -> Callable:
    """A reader of the names in `table` ((bit, name), in the reference's
    order) whose bit is set in `attr`."""
    def read(o):
        bits = getattr(o, attr)
        return [name for bit, name in table if bits & bit]
    return read


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
        self._tres_strings: dict[bytes, list] = {}
        self.errors: list[dict] = []  # error entries of an answer that goes on

    def set_tres(self, records) -> None:
        self.tres_order = [(t.id, slurm.text(t.type), slurm.text(t.name)) for t in records]
        self.tres = {i: (ty, n) for i, ty, n in self.tres_order}
        self._tres_strings = {}

    def set_qos(self, records) -> None:
        self.qos = {q.id: slurm.text(q.name) for q in records}


ENV = Env()


# ---- TRES ----

TRES = Inline([
    Field("type", Text, description="TRES type"),
    Field("name", Text, description="TRES name (optional)"),
    Field("id", U32, description="database id"),
    Field("count", I64, description="count of TRES"),
])
TRES_LIST = ArrayOf("tres_list", TRES, "TRES list of attributes")

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


def tres_list(ptr) -> list[dict]:
    """A TRES string as the reference's list of {type, name, id, count}."""
    if ptr == ffi.NULL:
        return []
    s = ffi.string(ptr)
    if not s:
        return []
    rows = ENV._tres_strings.get(s)
    if rows is None:
        rows = []
        for tid, count in parse_tres(s):
            ty, name = ENV.tres.get(tid, (None, None))
            rows.append((ty, name, tid, _i64(count)))
        ENV._tres_strings[s] = rows
    # Fresh dicts: shared ones would become YAML aliases.
    return [{"type": ty, "name": name, "id": tid, "count": count}
            for ty, name, tid, count in rows]


def tres_field(attr: str) -> Callable:
    get = lambda o: getattr(o, attr)  # noqa: E731
    return lambda o: tres_list(get(o))


def W(path: str, type: Type, attr: str | None = None, description: str = "",
      required: bool = False) -> Field:
    """A plain member, read and written as its type says (a TRES list as
    slurmdbd's "id=count" string); `attr` defaults to the path's last key."""
    attr = attr or path.rsplit("/", 1)[-1]
    if type is TRES_LIST:
        return Field(path, type, tres_field(attr), description, tres_string(attr), required)
    write = {id(Text): string, id(F64): real, id(U16): lambda a: unsigned(a, 16),
             id(U32): lambda a: unsigned(a, 32)}[id(type)]
    return Field(path, type, attr, description, write(attr), required)


def read_tres_record(t) -> dict:
    return {"type": slurm.text(t.type), "name": slurm.text(t.name), "id": _u32(t.id),
            "count": _i64(t.count)}


# ---- records shared by several areas ----

ASSOC_SHORT = Obj("association_short_info", [
    Field("account", Text, "acct", "Account name", string("acct"), True),
    Field("cluster", Text, description="Cluster name", write=string("cluster")),
    Field("partition", Text, description="Partition name (optional)", write=string("partition")),
    Field("user", Text, description="User name", write=string("user"), required=True),
])
COORDINATOR = Obj("coordinator_info", [
    Field("name", Text, description="Name of user", write=string("name"), required=True),
    Field("direct", U16, description="If user is coordinator of this account directly or "
                                 "coordinator status was inherited from a higher account "
                                 "in the tree", write=unsigned("direct", 16)),
])


def list_of(obj: Obj, attr: str, ctype: str) -> Callable:
    """A reader of a List member as a list of `obj` records."""
    read = obj.read
    return lambda o: [read(r) for r in records(getattr(o, attr), ctype)]


ASSOC_SHORT_LIST = list_of(ASSOC_SHORT, "assoc_list", "slurmdb_assoc_rec_t *")
ASSOC_SHORT_INPUT = objects("assoc_list", "slurmdb_assoc_rec_t *", lambda: ASSOC_SHORT.inputs,
                            new_assoc)


def coordinators(attr: str) -> Callable:
    return list_of(COORDINATOR, attr, "slurmdb_coord_rec_t *")


def coordinators_input(attr: str) -> Callable:
    return objects(attr, "slurmdb_coord_rec_t *", lambda: COORDINATOR.inputs)


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


def with_deleted(query: dict, strict: bool = True) -> int:
    """The with_deleted query value (default false), the only key the
    reference takes: any other is a 400 (`strict`) or an error entry."""
    value = 0
    for key, v in query.items():
        if key.lower() != "with_deleted":
            if strict:
                raise DbError(ESLURM_REST_INVALID_QUERY, description="Unknown query field",
                              status=400, payload={})
            soft_error(ESLURM_REST_INVALID_QUERY, description="Unknown query field")
            break
        value = int(words.truth(v))
    return value


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
        cond = ffi.new("slurmdb_qos_cond_t *", {"with_deleted": with_deleted})
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


# ---- operations ----

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


def response(name: str, fields: list[Field], description: str = "") -> Obj:
    return response_obj(name, fields, description)


def operation(method: str, path: str, op_id: str, summary: str, handler, response_obj,
              params: list[Param] | None = None) -> Operation:
    return Operation(method, path.lstrip("/"), op_id, summary, "slurmdb",
                     handler, response_obj, params or [], errors="slurmdb")


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


def listing(name: str, key: str, listed: Obj) -> Obj:
    """A request body that lists objects under `key`."""
    return Obj(name, [Field(key, Array(listed))])


def addition(path: str, op_id: str, summary: str, body: Obj, response_name: str,
             add: Callable) -> Operation:
    """POST `path`: `add(db, call.body)` stores what the `body` lists, then
    it is committed."""
    def post(call):
        def build(db):
            add(db, call.body)
            db.commit()
            return {}
        return answer(build)

    op = operation("POST", path, op_id, summary, post, response(response_name, []))
    op.body = body
    return op


def deletion(path: str, op_id: str, summary: str, schema: str, key: str, remove: Callable,
             params: list[Param]) -> Operation:
    """DELETE `path`: `remove(db, call) -> names` (call.params and call.query
    select what), answered as {key: names} in the response object `schema`."""
    def delete(call):
        return answer(lambda db: {key: remove(db, call)})

    removed = response(schema, [
        Field(key, Array(Str), description="Names of what was removed (empty when nothing "
                                           "matched)")])
    return operation("DELETE", path, op_id, summary, delete, removed, params)


def list_and_one(plural: str, single: str, param: str, op_ids: tuple[str, ...],
                 summaries: tuple[str, ...], dump: Callable, response_obj,
                 param_description: str, query: list[Param] = (),
                 removal: tuple[str, str, Callable] | None = None) -> list[Operation]:
    """GET /<plural> and /<single>/{param}, both answered by
    `dump(db, query, name)` (name None for the whole list). With `removal`
    (schema, key, remove), also DELETE /<single>/{param} (see `deletion`),
    whose op_id and summary come third in `op_ids` and `summaries`."""
    def get_all(call):
        return answer(dump, call.query)

    def get_one(call):
        return answer(dump, call.query, call.params[param])

    path, name = f"/{single}/{{{param}}}", Param(param, "path", Str, param_description, True)
    ops = [
        operation("GET", f"/{plural}", op_ids[0], summaries[0], get_all, response_obj,
                  list(query)),
        operation("GET", path, op_ids[1], summaries[1], get_one, response_obj, [name, *query]),
    ]
    if removal:
        ops.append(deletion(path, op_ids[2], summaries[2], *removal, [name]))
    return ops
