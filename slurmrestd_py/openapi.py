"""The OpenAPI 3.0 document, generated from the registered operations.

Paths, parameters and response schemas come from each `Operation` and the
`Obj` declarations that also serialize the responses.
"""
from __future__ import annotations

import functools

from . import __version__
from .routes import Operation, Router
from .schema import Str
from .versions import BY_PLUGIN

_TAGS = {
    "slurm": "methods that query slurmctld",
    "slurmdb": "methods that query slurmdbd",
    "openapi": "methods that query for OpenAPI specifications",
}
DOC_PATHS = ("/openapi.json", "/openapi.yaml", "/openapi", "/openapi/v3")
_MEDIA = ("application/json", "application/x-yaml")


def _content(obj, ns: str) -> dict:
    return {m: {"schema": obj.schema(ns)} for m in _MEDIA}


def _ns(op: Operation):
    """The names the operation's objects take (the document's own: none)."""
    return BY_PLUGIN[op.plugin].ns if op.plugin else ""


def _operation(op: Operation) -> dict:
    ns = _ns(op)
    d = {"tags": [op.tag], "operationId": op.operation_id, "summary": op.summary}
    if op.params:
        d["parameters"] = [{
            "name": p.name, "in": p.where, "description": p.description,
            "required": p.required or p.where == "path",
            "schema": p.type.schema(ns),
            **({"style": "simple", "explode": False} if p.where == "path" else {}),
        } for p in op.params]
    if op.body is not None:
        d["requestBody"] = {"description": op.summary, "required": True,
                            "content": _content(op.body, ns)}
    responses = {}
    if op.response is not None:
        responses["200"] = {"description": op.summary, "content": _content(op.response, ns)}
        # Errors carry the same envelope, with `errors` filled in.
        responses["default"] = {"description": "the request failed; see errors",
                                "content": _content(op.response, ns)}
    else:
        responses["200"] = {"description": op.summary}
    if any(p.name == "update_time" for p in op.params):
        responses["304"] = {"description": "not modified since update_time"}
    if op.response is not None and (op.body is not None or op.params):
        # A malformed parameter (a job id slurm_xlate_job_id cannot read, a bad
        # update_time) or request body gets the envelope; an unparsable request, text.
        responses["400"] = {"description": "bad query parameter, bad request body or "
                                           "unparsable request",
                            "content": {**_content(op.response, ns),
                                        "text/plain": {"schema": Str.schema()}}}
    d["responses"] = responses
    return d


def _error_responses() -> dict:
    plain = {"text/plain": {"schema": Str.schema()}}
    return {str(s): {"description": d, "content": plain} for s, d in (
        (400, "the request could not be parsed"),
        (401, "authentication failure"),
        (404, "no such path"),
        (405, "method not defined at this path"),
        (415, "no acceptable response media type"),
    )}


def document(router: Router) -> dict:
    paths: dict[str, dict] = {}
    schemas: dict[str, dict] = {}
    errors = _error_responses()
    for op in router.operations:
        entry = _operation(op)
        entry["responses"].update({k: v for k, v in errors.items()
                                   if k not in entry["responses"]})
        paths.setdefault(op.path, {})[op.method.lower()] = entry
        for obj in (op.response, op.body):
            if obj is not None:
                obj.components(_ns(op), schemas)
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Slurm Rest API",
            "description": "API to access and control Slurm (served by slurmrestd-py).",
            "license": {"name": "GPL-2.0-or-later",
                        "url": "https://www.gnu.org/licenses/old-licenses/gpl-2.0.html"},
            "version": __version__,
        },
        "servers": [{"url": "/"}],
        "tags": [{"name": n, "description": d} for n, d in _TAGS.items()],
        "security": [{"user": [], "token": []}, {"bearer": []}, {}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "user": {"type": "apiKey", "description": "User name",
                         "name": "X-SLURM-USER-NAME", "in": "header"},
                "token": {"type": "apiKey", "description": "User access token",
                          "name": "X-SLURM-USER-TOKEN", "in": "header"},
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            },
        },
    }


def operations(router: Router) -> list[Operation]:
    """The operations that serve the document itself, bound to `router`."""
    doc = functools.cache(lambda: document(router))
    return [Operation("GET", path, "openapi_get" + path[len("/openapi"):].replace(".", "_")
                      .replace("/", "_"), "Retrieve OpenAPI Specification", "openapi",
                      lambda call: doc(),
                      media="application/x-yaml" if path.endswith(".yaml") else None)
            for path in DOC_PATHS]
