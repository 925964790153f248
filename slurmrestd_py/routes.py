"""Operations, path rules and the router.

An `Operation` declares everything about one method on one path: its
handler, parameters, request body and response object. The router dispatches
on them and openapi.py documents them, from the same list.
"""
from __future__ import annotations

import copy
import re
from typing import Callable

from .errors import HttpError
from .schema import Obj, Type


NOT_FOUND = "Unable find requested URL. Please view /openapi/v3 for API reference."
NOT_ALLOWED = ("Requested REST method is not defined at URL. "
               "Please view /openapi/v3 for API reference.")


# Plain classes rather than dataclasses: a @dataclass compiles its methods
# at import, about 0.3 ms of every inet-mode connection's start each.
class Param:
    __slots__ = ("name", "where", "type", "description", "required")

    def __init__(self, name: str, where: str, type: Type, description: str = "",
                 required: bool = False):
        self.name = name
        self.where = where  # "path" or "query"
        self.type = type
        self.description = description
        self.required = required


class Operation:
    """Declared without a version (path "job/{job_id}", operation_id
    "get_job"); `bound` makes the operation a version serves."""

    def __init__(self, method: str, path: str, operation_id: str, summary: str, tag: str,
                 handler: Callable, response: Obj | None = None,
                 params: list[Param] | None = None, body: Obj | None = None,
                 plugin: str = "", errors: str = "error_number", media: str | None = None):
        self.method = method
        self.path = path  # template: job/{job_id}; bound: /slurm/v0.0.38/job/{job_id}
        self.operation_id = operation_id
        self.summary = summary
        self.tag = tag
        self.handler = handler
        self.response = response
        self.params = [] if params is None else params
        self.body = body
        self.plugin = plugin  # the API version it belongs to once bound, e.g. "v0.0.38"
        self.errors = errors  # which error-object shape this endpoint emits
        self.media = media  # a response media type that overrides Accept

    def replace(self, **changes) -> Operation:
        """A copy with `changes` (attribute -> value)."""
        op = copy.copy(self)
        for name, value in changes.items():
            if not hasattr(op, name):
                raise TypeError(f"Operation has no attribute {name!r}")
            setattr(op, name, value)
        return op

    def bound(self, version) -> Operation:
        """This operation as `version` (a versions.Version) serves it."""
        return self.replace(path=version.path(self.path),
                            operation_id=version.op_id(self.operation_id),
                            plugin=version.plugin)


_SEGMENT = re.compile(r"^(?:[A-Za-z0-9~\-._]|%[0-9A-Fa-f]{2})+$")


def split_path(path: str) -> list[str]:
    """Decoded path segments; empty segments collapse, so a trailing slash is harmless."""
    segments = []
    for raw in path.split("/"):
        if not raw:
            continue
        if not _SEGMENT.match(raw):
            raise HttpError(400, "Unable to parse URL path.")
        if "%" in raw:  # urllib.parse costs 2 ms of start-up: only when needed
            from urllib.parse import unquote
            try:
                raw = unquote(raw, errors="strict")
            except UnicodeDecodeError:
                raise HttpError(400, "Unable to parse URL path.") from None
        seg = raw
        if seg in ("..", ".") or "\0" in seg:  # a NUL would cut the name short in C
            raise HttpError(400, "Unable to parse URL path.")
        segments.append(seg)
    return segments


class Router:
    """Operations by path and method.

    Groups of operations may be added lazily, with the path prefixes that
    need them: a request imports only the module that serves it (start-up
    time is most of an inet connection's cost), while `operations` (for the
    document) loads every group, always in the order they were added.
    """

    def __init__(self):
        self._groups: list[list] = []  # [loader, operations or None], in order
        self._pending: dict[tuple[str, ...], list[list]] = {}
        self._longest_prefix = 0  # so matching looks at no more segments than that
        # literal segments -> {method: op}; templated paths matched in order.
        self._static: dict[tuple[str, ...], dict[str, Operation]] = {}
        self._templated: list[tuple[tuple[str, ...], dict[str, Operation]]] = []

    @property
    def operations(self) -> list[Operation]:
        return [op for group in self._groups for op in self._load(group)]

    def load_all(self) -> None:
        """Import every group's handlers now (before forking: see cli)."""
        for group in self._groups:
            self._load(group)

    def add(self, op: Operation) -> None:
        self.add_group((), lambda: [op])

    def add_group(self, prefixes, load: Callable[[], list[Operation]]) -> None:
        """`load()` returns operations; with no `prefixes` it runs now, else
        on the first request whose path starts with one of them."""
        group = [load, None]
        self._groups.append(group)
        if not prefixes:
            self._load(group)
        for prefix in prefixes:
            self._pending.setdefault(tuple(prefix), []).append(group)
            self._longest_prefix = max(self._longest_prefix, len(prefix))

    def _load(self, group) -> list[Operation]:
        if group[1] is None:
            group[1] = list(group[0]())
            for op in group[1]:
                self._index(op)
        return group[1]

    def _index(self, op: Operation) -> None:
        key = tuple(s for s in op.path.split("/") if s)
        if not any(s.startswith("{") for s in key):
            self._static.setdefault(key, {})[op.method] = op
            return
        for k, methods in self._templated:
            if k == key:
                methods[op.method] = op
                return
        self._templated.append((key, {op.method: op}))

    def match(self, method: str, path: str) -> tuple[Operation, dict[str, str]]:
        segments = tuple(split_path(path))
        for n in range(min(len(segments), self._longest_prefix), 0, -1):
            for group in self._pending.pop(segments[:n], ()):
                self._load(group)
        methods = self._static.get(segments)
        params: dict[str, str] = {}
        if methods is None:
            for key, candidate in self._templated:
                if len(key) == len(segments) and all(
                        k.startswith("{") or k == s for k, s in zip(key, segments)):
                    methods = candidate
                    params = {k[1:-1]: s for k, s in zip(key, segments) if k.startswith("{")}
                    break
        if methods is None:
            raise HttpError(404, NOT_FOUND)
        op = methods.get("GET" if method == "HEAD" else method)
        if op is None:
            raise HttpError(405, NOT_ALLOWED)
        return op, params
