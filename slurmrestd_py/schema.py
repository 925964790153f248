"""One declaration per API object drives both serialization and the OpenAPI schema.

An `Obj` lists `Field`s: the JSON key, its JSON type and how to read the value
from a libslurm struct. `Obj.read(cstruct)` builds the response dict and
`Obj.definition(ns)` builds the component schema from the same list, so the
document cannot disagree with the output.

Objects are named without their API version ("node"); `ns`, the version's
plugin name, makes the component name ("v0.0.38_node") when the document is
written, so one declaration can serve every version whose shape it is.
"""
from __future__ import annotations

import operator
from typing import Any, Callable, Iterable


class Type:
    """A JSON type: its schema fragment and how to convert a raw C value."""

    def schema(self, ns: str = "") -> dict:
        """The schema fragment, with `ns` naming the components it refers to."""
        raise NotImplementedError

    def converter(self) -> Callable | None:
        """How a raw C value read by attribute becomes JSON data (None: as is)."""
        return None


class Scalar(Type):
    def __init__(self, json_type: str, fmt: str | None = None, convert: Callable | None = None,
                 enum: Iterable[str] | None = None, nullable: bool = False):
        self.json_type = json_type
        self.fmt = fmt
        self._convert = convert
        self.enum = list(enum) if enum is not None else None
        self.nullable = nullable

    def schema(self, ns: str = "") -> dict:
        s = {"type": self.json_type}
        if self.fmt:
            s["format"] = self.fmt
        if self.enum is not None:
            s["enum"] = self.enum
        if self.nullable:
            s["nullable"] = True
        return s

    def converter(self):
        return self._convert


def _c_string(ptr):
    from .slurm import text
    return text(ptr)


Int = Scalar("integer", "int64")
Bool = Scalar("boolean", convert=bool)
Num = Scalar("number", "double")
Str = Scalar("string")
# A char* read from libslurm; NULL becomes JSON null.
CStr = Scalar("string", convert=_c_string, nullable=True)


class Unset(str):
    """A NULL char* the reference wrote with data_set_string(NULL): "" in JSON
    (what its JSON serializer makes of it) but null in YAML. A str, so the
    JSON encoder writes "" with no extra work; media.py's YAML dumper writes null."""
    __slots__ = ()


UNSET = Unset()


_ffi = None


def _c_text(ptr):
    global _ffi
    if _ffi is None:
        from .slurm import ffi as _ffi
    return _ffi.string(ptr).decode("utf-8", "replace") if ptr != _ffi.NULL else UNSET


# A char* whose NULL is UNSET: "" in JSON, null in YAML (the reference's way
# for most string fields; use CStr where it sends a real null).
CText = Scalar("string", convert=_c_text, nullable=True)


def Enum(*values: str) -> Scalar:
    return Scalar("string", enum=values)


class Array(Type):
    def __init__(self, items: Type):
        self.items = items

    def schema(self, ns: str = "") -> dict:
        return {"type": "array", "items": self.items.schema(ns)}


class Map(Type):
    """A JSON object with free-form keys (ids, names) whose values are all `values`."""

    def __init__(self, values: Type):
        self.values = values

    def schema(self, ns: str = "") -> dict:
        return {"type": "object", "additionalProperties": self.values.schema(ns)}


class OneOf(Type):
    """A value that may take any one of several JSON types (a step id: integer or name)."""

    def __init__(self, *types: Type, nullable: bool = False):
        self.types = types
        self.nullable = nullable

    def schema(self, ns: str = "") -> dict:
        s = {"oneOf": [t.schema(ns) for t in self.types]}
        if self.nullable:
            s["nullable"] = True
        return s


class Nullable(Type):
    """`type`, or null (objects and lists the reference may leave unset)."""

    def __init__(self, type: Type):
        self.type = type

    def schema(self, ns: str = "") -> dict:
        # OpenAPI 3.0 ignores the siblings of a $ref: a named object is written out.
        t = self.type
        s = t.definition(ns) if isinstance(t, Obj) and t.name else t.schema(ns)
        return {**s, "nullable": True}


class Field:
    """A JSON key, its type, and how to read it.

    `read` is the C struct's attribute name (default: the key) whose value the
    type converts, or a callable taking the struct and returning JSON-ready data.
    """

    __slots__ = ("key", "type", "read", "description", "getter", "write")

    def __init__(self, key: str, type: Type, read: str | Callable | None = None,
                 description: str = "", write: Callable | None = None):
        self.key = key
        self.type = type
        self.read = read if read is not None else key
        self.description = description
        # The request direction: how a value received under `key` is applied
        # (to whatever the endpoint parses into); None for response-only fields.
        self.write = write
        if callable(read):
            self.getter = read
        else:
            attr = operator.attrgetter(self.read)
            conv = type.converter()
            self.getter = (lambda o, a=attr, c=conv: c(a(o))) if conv else attr

    def schema(self, ns: str = "") -> dict:
        s = self.type.schema(ns)
        if self.description:
            s = dict(s, description=self.description)
        return s

    def renamed(self, key: str) -> Field:
        """The same value under another key."""
        return Field(key, self.type, self.read, self.description, self.write)


class Obj(Type):
    """A named object: a component schema and a reader of C structs."""

    def __init__(self, name: str, fields: list[Field], description: str = "",
                 required: Iterable[str] = ()):
        self.name = name
        self.fields = fields
        self.description = description
        self.required = list(required)
        self._getters = tuple((f.key, f.getter) for f in fields)

    def schema(self, ns: str = "") -> dict:
        return {"$ref": f"#/components/schemas/{ns}_{self.name}"}

    def converter(self):
        return self.read

    def definition(self, ns: str = "") -> dict:
        d = {"type": "object", "properties": {f.key: f.schema(ns) for f in self.fields}}
        if self.required:
            d["required"] = self.required
        if self.description:
            d["description"] = self.description
        return d

    def writers(self) -> dict[str, Field]:
        """The fields that accept input (request bodies), by key."""
        return {f.key: f for f in self.fields if f.write is not None}

    def read(self, c) -> dict[str, Any]:
        return {k: g(c) for k, g in self._getters}

    # ---- derivation: the same object as another API version shapes it ----

    @property
    def entries(self) -> list:
        """What the object is declared from (for Obj, its fields)."""
        return self.fields

    @staticmethod
    def entry_keys(entry) -> list[str]:
        return [entry.key]

    @staticmethod
    def entry_renamed(entry, key: str):
        return entry.renamed(key)

    def rebuilt(self, name: str, entries: list, description: str, required: list[str]) -> Obj:
        return Obj(name, entries, description, required)

    def derive(self, name: str | None = None, drop: Iterable[str] = (),
               rename: dict[str, str] | None = None, replace: dict | None = None,
               add: Iterable[tuple[str | None, Any]] = (),
               description: str | None = None) -> Obj:
        """This object as another version declares it: the entries holding a
        key in `drop` left out, keys renamed (`rename`: old -> new), the
        entry holding a key of `replace` replaced by its value (retyped or
        read otherwise), and each (after, entry) of `add` placed after the
        entry holding the key `after` (None: first). Entries are whatever
        this kind of object is declared from (fields, table rows, leaves)."""
        rename, replace, drop = rename or {}, replace or {}, set(drop)
        entries = []
        for entry in self.entries:
            keys = self.entry_keys(entry)
            hit = next((k for k in keys if k in replace), None)
            if hit is not None:
                entry = replace[hit]
            elif drop.intersection(keys):
                continue
            else:
                for k in keys:
                    if k in rename:
                        entry = self.entry_renamed(entry, rename[k])
            entries.append(entry)
        for after, entry in add:
            at = 0 if after is None else next(
                i + 1 for i, e in enumerate(entries) if after in self.entry_keys(e))
            entries.insert(at, entry)
        required = [rename.get(k, k) for k in self.required if k not in drop]
        return self.rebuilt(self.name if name is None else name, entries,
                            self.description if description is None else description, required)

    def components(self, ns: str, into: dict[str, dict] | None = None) -> dict[str, dict]:
        """This object's definition and those of every object it refers to,
        by component name in the version `ns`."""
        into = {} if into is None else into
        if self.name:
            name = f"{ns}_{self.name}"
            if name in into:
                return into
            into[name] = self.definition(ns)
        for f in self.fields:
            for t in _leaves(f.type):
                if isinstance(t, Obj):
                    t.components(ns, into)
        return into


def _leaves(t: Type):
    """The types inside containers (arrays, maps, alternatives)."""
    if isinstance(t, Array):
        yield from _leaves(t.items)
    elif isinstance(t, Map):
        yield from _leaves(t.values)
    elif isinstance(t, OneOf):
        for u in t.types:
            yield from _leaves(u)
    else:
        yield t


class Inline(Obj):
    """An object schema written in place rather than as a named component."""

    def __init__(self, fields: list[Field], description: str = ""):
        super().__init__("", fields, description)

    def rebuilt(self, name, entries, description, required):
        return Inline(entries, description)

    def schema(self, ns: str = "") -> dict:
        return self.definition(ns)


class ArrayOf(Obj):
    """A named array component (the reference's dbv0.0.38_tres_list)."""

    def __init__(self, name: str, items: Type, description: str = ""):
        super().__init__(name, [], description)
        self.items = items

    def definition(self, ns: str = "") -> dict:
        d = {"type": "array", "items": self.items.schema(ns)}
        if self.description:
            d["description"] = self.description
        return d

    def components(self, ns: str, into=None):
        into = super().components(ns, into)
        if isinstance(self.items, Obj):
            self.items.components(ns, into)
        return into
