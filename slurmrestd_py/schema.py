"""One declaration per API object drives both serialization and the OpenAPI schema.

An `Obj` lists `Field`s: the JSON key, its JSON type and how to read the value
from a libslurm struct. `Obj.read(cstruct)` builds the response dict and
`Obj.definition()` builds the component schema from the same list, so the
document cannot disagree with the output.
"""
from __future__ import annotations

import operator
from typing import Any, Callable, Iterable


class Type:
    """A JSON type: its schema fragment and how to convert a raw C value."""

    def schema(self) -> dict:
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

    def schema(self) -> dict:
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

    def schema(self) -> dict:
        return {"type": "array", "items": self.items.schema()}


class Map(Type):
    """A JSON object with free-form keys whose values are all `values`."""

    def __init__(self, values: Type):
        self.values = values

    def schema(self) -> dict:
        return {"type": "object", "additionalProperties": self.values.schema()}


class OneOf(Type):
    """A value that may take any one of several JSON types (request bodies)."""

    def __init__(self, *types: Type):
        self.types = types

    def schema(self) -> dict:
        return {"oneOf": [t.schema() for t in self.types]}


class Field:
    """A JSON key, its type, and how to read it.

    `read` is the C struct's attribute name (default: the key) whose value the
    type converts, or a callable taking the struct and returning JSON-ready data.
    """

    __slots__ = ("key", "type", "description", "getter", "write")

    def __init__(self, key: str, type: Type, read: str | Callable | None = None,
                 description: str = "", write: Callable | None = None):
        self.key = key
        self.type = type
        self.description = description
        # The request direction: how a value received under `key` is applied
        # (to whatever the endpoint parses into); None for response-only fields.
        self.write = write
        if callable(read):
            self.getter = read
        else:
            attr = operator.attrgetter(read or key)
            conv = type.converter()
            self.getter = (lambda o, a=attr, c=conv: c(a(o))) if conv else attr

    def schema(self) -> dict:
        s = self.type.schema()
        if self.description:
            s = dict(s, description=self.description)
        return s


class Obj(Type):
    """A named object: a component schema and a reader of C structs."""

    def __init__(self, name: str, fields: list[Field], description: str = "",
                 required: Iterable[str] = ()):
        self.name = name
        self.fields = fields
        self.description = description
        self.required = list(required)
        self._getters = tuple((f.key, f.getter) for f in fields)

    def schema(self) -> dict:
        return {"$ref": f"#/components/schemas/{self.name}"}

    def converter(self):
        return self.read

    def definition(self) -> dict:
        d = {"type": "object", "properties": {f.key: f.schema() for f in self.fields}}
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

    def components(self, into: dict[str, dict] | None = None) -> dict[str, dict]:
        """This object's definition and those of every object it refers to."""
        into = {} if into is None else into
        if self.name:
            if self.name in into:
                return into
            into[self.name] = self.definition()
        for f in self.fields:
            for t in _leaves(f.type):
                if isinstance(t, Obj):
                    t.components(into)
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

    def schema(self) -> dict:
        return self.definition()
