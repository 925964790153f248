"""One declaration per API object drives both serialization and the OpenAPI schema.

An `Obj` lists `Field`s: the JSON key, its JSON type and how to read the value
from a libslurm struct. `Obj.read(cstruct)` builds the response dict and
`Obj.definition(ns)` builds the component schema from the same list, so the
document cannot disagree with the output.

Objects are named without their API version ("node"); `ns`, the version's
plugin name or `Namespace`, makes the component name ("v0.0.38_node") when
the document is written, so one declaration can serve every version whose
shape it is.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable


class Namespace(str):
    """A version's component names where they are not all "<version>_<name>":
    `rename` maps an object's name to the one the version uses, and `named`
    says whether the version names the object at all (the reference's
    v0.0.41 writes most objects in place)."""

    def __new__(cls, version: str, rename: Callable[[str], str] = str,
                named: Callable[[str], bool] = lambda name: True):
        self = super().__new__(cls, version)
        self.rename, self.named = rename, named
        return self


def component(ns: str, name: str) -> str | None:
    """The component name of the object `name` in `ns` (None: written in place)."""
    if isinstance(ns, Namespace):
        return f"{ns}_{ns.rename(name)}" if ns.named(name) else None
    return f"{ns}_{name}"


class Type:
    """A JSON type: its schema fragment and how to convert a raw C value."""

    def schema(self, ns: str = "") -> dict:
        """The schema fragment, with `ns` naming the components it refers to."""
        raise NotImplementedError

    def converter(self) -> Callable | None:
        """How a raw C value read by attribute becomes JSON data (None: as is)."""
        return None

    def code(self, value: str, bind: Callable[[Any], str]) -> str:
        """The expression, in a compiled reader, of the raw C value `value` as JSON data."""
        conv = self.converter()
        return f"{bind(conv)}({value})" if conv else value


class Scalar(Type):
    """A JSON scalar. `convert` turns the raw C value into JSON data; or
    `template`, a Python expression with `{}` for the raw value, does (and
    is placed inline in compiled readers)."""

    def __init__(self, json_type: str, fmt: str | None = None, convert: Callable | None = None,
                 enum: Iterable[str] | None = None, nullable: bool = False,
                 template: str | None = None):
        self.json_type = json_type
        self.fmt = fmt
        self.template = template
        if template is not None:
            convert = eval("lambda v: " + template.format("v"))  # noqa: S307 (our own text)
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

    def code(self, value: str, bind: Callable[[Any], str]) -> str:
        if self.template is not None:
            return self.template.format(value)
        return super().code(value, bind)


class Kind(Type):
    """What a C value means (a number whose NO_VAL means unset, ...). Its
    JSON form is `base` (v0.0.36 to v0.0.38's) unless the dialect of the
    object declaring it gives another (see kinds.py)."""

    def __init__(self, name: str, base: Type):
        self.name = name
        self.base = base

    def schema(self, ns: str = "") -> dict:
        raise TypeError(f"the kind {self.name} has a JSON form only in an object")

    def __repr__(self) -> str:
        return f"Kind({self.name})"


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
        s = t.definition(ns) if isinstance(t, Obj) else t.schema(ns)
        return {**s, "nullable": True}


class Expr(str):
    """A reader written as a Python expression of `j`, the C struct, placed
    as is in the object's compiled reader (fast paths such as the job list;
    it may name what the object's `names` bind)."""
    __slots__ = ()


class Raw(str):
    """A reader written as a Python expression of `j` that yields the raw C
    value, which the field's type (or kind) then writes: a kind read from a
    computed value (a memory size under a flag bit, ...)."""
    __slots__ = ()


class Field:
    """A JSON key, its type, how to read it and, for request bodies, how to write it.

    `key` may be a slash-separated path ("max/jobs/per/count"): the object
    nests it, creating the intermediate objects in the order paths first
    name them. `read` is the C struct's attribute (default: the key's last
    part) whose value the type converts, a callable of the struct returning
    JSON-ready data, or an `Expr`. `write` says how a value received under
    the key is applied to whatever the endpoint parses into (None: the key
    is response-only); `required`: a request body must carry it.
    """

    __slots__ = ("key", "type", "read", "description", "write", "required")

    def __init__(self, key: str, type: Type, read: str | Callable | None = None,
                 description: str = "", write: Callable | None = None,
                 required: bool = False):
        self.key = key
        self.type = type
        self.read = read if read is not None else key.rsplit("/", 1)[-1]
        self.description = description
        self.write = write
        self.required = required

    @property
    def keys(self) -> list[str]:
        return [self.key]

    @property
    def fields(self) -> list[Field]:
        return [self]

    def schema(self, ns: str = "") -> dict:
        s = self.type.schema(ns)
        if self.description:
            s = dict(s, description=self.description)
        return s

    def renamed(self, key: str) -> Field:
        """The same value under another key."""
        return Field(key, self.type, self.read, self.description, self.write, self.required)

    def retyped(self, type: Type) -> Field:
        """The same C value written as another type (another version's form)."""
        return Field(self.key, type, self.read, self.description, self.write, self.required)

    def code(self, bind: Callable[[Any], str]) -> str:
        """This field's `'key': value` in a compiled reader; `bind` names a
        Python object for the generated code."""
        return f"{self.key!r}: {self.value_code(bind)}"

    def value_code(self, bind: Callable[[Any], str]) -> str:
        if isinstance(self.read, Expr):
            return self.read
        if isinstance(self.read, Raw):
            return self.type.code(f"({self.read})", bind)
        if callable(self.read):
            return f"{bind(self.read)}(j)"
        return self.type.code(f"j.{self.read}", bind)

    def resolved(self, dialect: dict) -> Field:
        """This field with its kind given its JSON form in `dialect`; a
        dialect may restate a plain type too (v0.0.40's "" for a NULL char *)."""
        if not isinstance(self.type, Kind):
            form = dialect.get(self.type) if dialect else None
            if form is None:
                return self
            return Field(self.key, form, self.read, self.description, self.write, self.required)
        return Field(self.key, dialect.get(self.type, self.type.base), self.read,
                     self.description, self.write, self.required)


class Splice:
    """Several keys (or none) from one expression that yields a dict, spliced
    in place; `fields` declares every key it may yield. It is replaced or
    dropped whole, by any of its keys."""

    __slots__ = ("expr", "fields")
    write = None
    required = False

    def __init__(self, expr: str, fields: list[Field]):
        self.expr = expr
        self.fields = fields

    @property
    def keys(self) -> list[str]:
        return [f.key for f in self.fields]

    def renamed(self, key: str):
        raise TypeError("a splice's keys are in its expression: replace it instead")

    def resolved(self, dialect: dict) -> Splice:
        return Splice(self.expr, [f.resolved(dialect) for f in self.fields])

    def code(self, bind) -> str:
        return f"**{self.expr}"


class _Nest(Field):
    """Keys sharing a path prefix, as the object read from the same struct."""

    __slots__ = ()

    def value_code(self, bind) -> str:
        return self.type.display(bind)


def _nest(entries: list, objects: dict[str, str]) -> list:
    """The top-level entries of `entries`, keys sharing a path prefix made
    into one nested object each, where the prefix is first named."""
    if not any("/" in k for e in entries for k in e.keys):
        return entries
    out: list = []
    groups: dict[str, list] = {}
    for e in entries:
        head, sep, rest = e.key.partition("/") if isinstance(e, Field) else ("", "", "")
        if not sep:
            out.append(e)
            continue
        if head not in groups:
            groups[head] = []
            out.append(head)
        groups[head].append(e.renamed(rest))
    inner = {head: {k[len(head) + 1:]: v for k, v in objects.items()
                    if k.startswith(head + "/")} for head in groups}
    return [_Nest(e, Inline(groups[e], objects.get(e, ""), inner[e]), Expr())
            if isinstance(e, str) else e for e in out]


class Obj(Type):
    """A named object: a component schema, a reader of C structs and, where
    its fields say how to write them, what a request body may set.

    `fields` are the declared entries (Field or Splice, keys possibly paths);
    `objects` describes the intermediate objects of path keys, by path;
    `names` binds names that the fields' Expr readers use; `dialect` maps
    the fields' kinds to their JSON form (unmapped: the kind's base form)."""

    def __init__(self, name: str, fields: list, description: str = "",
                 required: Iterable[str] = (), objects: dict[str, str] | None = None,
                 names: dict | None = None, dialect: dict | None = None):
        self.name = name
        self.entries = list(fields)
        self.objects = objects or {}
        self.dialect = dialect
        self._top = _nest([e.resolved(dialect or {}) for e in self.entries], self.objects)
        self.fields = [f for e in self._top for f in e.fields]
        self.description = description
        self.required = list(required)
        self.names = names or {}
        self._reader = None

    def schema(self, ns: str = "") -> dict:
        name = self.name and component(ns, self.name)
        if not name:
            return self.definition(ns)
        return {"$ref": f"#/components/schemas/{name}"}

    def converter(self):
        return self.read

    def code(self, value: str, bind) -> str:
        return f"{bind(self.reader())}({value})"

    def definition(self, ns: str = "") -> dict:
        d = {"type": "object", "properties": {f.key: f.schema(ns) for f in self.fields}}
        if self.required:
            d["required"] = self.required
        if self.description:
            d["description"] = self.description
        return d

    def writers(self) -> dict[str, Field]:
        """The fields that accept input (request bodies), by key."""
        return {f.key: f for f in self.entries if f.write is not None}

    @property
    def inputs(self) -> list[tuple[str, bool, Callable]]:
        """(key path, required, writer) of what a request body may set, in order."""
        return [(f.key, f.required, f.write) for f in self.entries if f.write is not None]

    # ---- the reader: one function compiled from the fields ----

    def display(self, bind: Callable[[Any], str]) -> str:
        """The dict display that reads this object from `j`."""
        parts = (e.code(bind) for e in self._top)
        return "{" + ", ".join(parts) + "}"

    @property
    def source(self) -> str:
        return self._compile()[0]

    def _compile(self) -> tuple[str, dict]:
        names = dict(self.names)

        def bind(obj) -> str:
            name = f"_{len(names)}"
            names[name] = obj
            return name
        source = f"def read(j):\n    return {self.display(bind)}\n"
        return source, names

    def reader(self) -> Callable:
        """The compiled reader, compiled on first use (most requests read few objects)."""
        if self._reader is None:
            source, names = self._compile()
            namespace: dict = {}
            exec(compile(source, f"<{self.name or 'object'} reader>", "exec"), names, namespace)
            self._reader = namespace["read"]
        return self._reader

    def read(self, c) -> dict[str, Any]:
        return self.reader()(c)

    def with_names(self, **names) -> Obj:
        """The same declaration read with some of its names bound otherwise."""
        return self.rebuilt(self.name, self.entries, self.description, self.required,
                            {**self.names, **names}, self.dialect)

    # ---- derivation: the same object as another API version shapes it ----

    def rebuilt(self, name: str, entries: list, description: str, required: list[str],
                names: dict | None = None, dialect: dict | None = None) -> Obj:
        return Obj(name, entries, description, required, self.objects,
                   self.names if names is None else names, dialect or self.dialect)

    def derive(self, name: str | None = None, drop: Iterable[str] = (),
               rename: dict[str, str] | None = None, replace: dict | None = None,
               add: Iterable[tuple[str | None, Any]] = (),
               description: str | None = None, dialect: dict | None = None) -> Obj:
        """This object as another version declares it: the entries holding a
        key in `drop` left out, keys renamed (`rename`: old -> new), the
        entry holding a key of `replace` replaced by its value (retyped or
        read otherwise), and each (after, entry) of `add` placed after the
        entry holding the key `after` (None: first). Keys are as declared
        (paths for nested keys). `dialect` gives the kinds another JSON form."""
        rename, replace, drop = rename or {}, replace or {}, set(drop)
        entries = []
        for entry in self.entries:
            hit = next((k for k in entry.keys if k in replace), None)
            if hit is not None:
                entry = replace[hit]
            elif drop.intersection(entry.keys):
                continue
            else:
                for k in entry.keys:
                    if k in rename:
                        entry = entry.renamed(rename[k])
            entries.append(entry)
        for after, entry in add:
            at = 0 if after is None else next(
                i + 1 for i, e in enumerate(entries) if after in e.keys)
            entries.insert(at, entry)
        required = [rename.get(k, k) for k in self.required if k not in drop]
        return self.rebuilt(self.name if name is None else name, entries,
                            self.description if description is None else description, required,
                            dialect=dialect)

    def components(self, ns: str, into: dict[str, dict] | None = None) -> dict[str, dict]:
        """This object's definition and those of every object it refers to,
        by component name in the version `ns`."""
        into = {} if into is None else into
        name = self.name and component(ns, self.name)
        if name:
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
    elif isinstance(t, Nullable):  # written in place: what it refers to is still named
        yield from _leaves(t.type)
    else:
        yield t


class Inline(Obj):
    """An object schema written in place rather than as a named component."""

    def __init__(self, fields: list, description: str = "", objects: dict | None = None,
                 names: dict | None = None, dialect: dict | None = None):
        super().__init__("", fields, description, objects=objects, names=names, dialect=dialect)

    def rebuilt(self, name, entries, description, required, names=None, dialect=None):
        names = self.names if names is None else names
        if name:  # derived under a name: a later version names what an earlier wrote in place
            return Obj(name, entries, description, required, self.objects, names,
                       dialect or self.dialect)
        return Inline(entries, description, self.objects, names, dialect or self.dialect)


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

    def converter(self):
        """A list read item by item (an object's items by its reader)."""
        if isinstance(self.items, Obj):
            read = self.items.reader()
            return lambda values: [read(v) for v in values]
        return list

    def code(self, value: str, bind) -> str:
        return f"{bind(self.converter())}({value})"

    def components(self, ns: str, into=None):
        into = super().components(ns, into)
        if isinstance(self.items, Obj):
            self.items.components(ns, into)
        return into
