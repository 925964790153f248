"""The {meta, errors, ...} envelope every API answer is wrapped in.

Up to v0.0.38 the reference emits three error-object shapes depending on
the endpoint (`error_number`, `errno` or `error_code` beside `error`).
Clients read them, so we keep them, and the one error schema here declares
all of them. From v0.0.40 on, the endpoint's keys come first, then `meta`
(which says who asked, and from where), `errors` and `warnings`.
"""
from __future__ import annotations

from . import slurm
from .schema import Array, ArrayOf, Field, Inline, Int, Obj, Scalar, Str
from .versions import BY_PLUGIN, Version

META = Obj("meta", [
    Field("plugin", Inline([
        Field("type", Str, description="OpenAPI plugin type"),
        Field("name", Str, description="OpenAPI plugin name"),
    ])),
    Field("Slurm", Inline([
        Field("version", Inline([
            Field("major", Int), Field("micro", Int), Field("minor", Int),
        ])),
        Field("release", Str, description="version specifier"),
    ], description="Slurm information")),
])
ERROR = Obj("error", [
    Field("error", Str, description="error message"),
    Field("error_number", Int, description="Slurm internal error number (jobs, diag, slurmdb)"),
    Field("errno", Int, description="Slurm internal error number (nodes, partitions, reservations)"),
    Field("error_code", Int, description="Slurm internal error number (job submission)"),
    Field("description", Str, description="what was being done"),
    Field("source", Str, description="the call that failed"),
])


def response_obj(name: str, payload: list[Field], description: str = "") -> Obj:
    """A response document: meta, errors and the endpoint's own keys."""
    return Obj(name, [
        Field("meta", META),
        Field("errors", Array(ERROR), description="slurm errors"),
        *payload,
    ], description)


def meta(plugin: str) -> dict:
    major, minor, micro = slurm.VERSION
    return {
        "plugin": {"type": f"openapi/{plugin}", "name": BY_PLUGIN[plugin].title},
        "Slurm": {"version": {"major": major, "micro": micro, "minor": minor},
                  "release": slurm.RELEASE},
    }


# ---- v0.0.40 and later

META_40 = Obj("openapi_meta", [
    Field("plugin/type", Str, description="Slurm plugin type (if applicable)"),
    Field("plugin/name", Str, description="Slurm plugin name (if applicable)"),
    Field("plugin/data_parser", Str, description="Slurm data_parser plugin"),
    Field("plugin/accounting_storage", Str, description="Slurm accounting plugin"),
    Field("client/source", Str, description="Client source description"),
    Field("client/user", Str, description="Client user (if known)"),
    Field("client/group", Str, description="Client group (if known)"),
    Field("command", ArrayOf("string_array", Str), description="CLI command (if applicable)"),
    Field("slurm/version/major", Str, description="Slurm release major version"),
    Field("slurm/version/micro", Str, description="Slurm release micro version"),
    Field("slurm/version/minor", Str, description="Slurm release minor version"),
    Field("slurm/release", Str, description="Slurm release string"),
    Field("slurm/cluster", Str, description="Slurm cluster name"),
])
ERROR_40 = Obj("openapi_error", [
    Field("description", Str, description="Long form error description"),
    Field("error_number", Scalar("integer", "int32"), description="Slurm numeric error identifier"),
    Field("error", Str, description="Short form error description"),
    Field("source", Str, description="Source of error or where error was first detected"),
])
WARNING = Obj("openapi_warning", [
    Field("description", Str, description="Long form warning description"),
    Field("source", Str, description="Source of warning or where warning was first detected"),
])
# The keys every answer has; the rest is the endpoint's own.
KEYS = ("meta", "errors", "warnings")


def response_40(name: str, payload: list[Field], description: str = "") -> Obj:
    """A v0.0.40-and-later response: the endpoint's keys (required), then the envelope."""
    return Obj(name, [
        *payload,
        Field("meta", META_40, description="Slurm meta values"),
        Field("errors", ArrayOf("openapi_errors", ERROR_40), description="Query errors"),
        Field("warnings", ArrayOf("openapi_warnings", WARNING), description="Query warnings"),
    ], description, required=[f.key for f in payload])


def meta_40(version: Version, user: str, source: str) -> dict:
    """`meta` of a parser version's answer to `user`, connected from `source`.
    `client` names the user the request acts as (the reference names its
    own process's user there, root under inetd, which tells a client nothing)."""
    major, minor, micro = slurm.VERSION
    return {
        "plugin": {"type": version.plugin_type, "name": version.title,
                   "data_parser": f"data_parser/{version.version}",
                   "accounting_storage": slurm.accounting_storage()},
        "client": {"source": source, "user": user, "group": slurm.primary_group(user)},
        "command": [],  # a CLI's command line; empty for slurmrestd
        "slurm": {"version": {"major": str(major), "micro": str(micro), "minor": str(minor)},
                  "release": slurm.RELEASE, "cluster": slurm.cluster_name()},
    }


def wrap(version: Version, call, errors: list, payload: dict) -> dict:
    """`payload` in the envelope of `version`, answering `call` (app.Call)."""
    if not version.parser:
        return {"meta": meta(version.plugin), "errors": errors, **payload}
    # A handler adds warnings to the call as it reads; one that answers 200
    # with errors (job control) returns them, and its warnings, beside its keys.
    payload = dict(payload)
    errors = [*errors, *payload.pop("errors", ())]
    warnings = [*getattr(call, "warnings", ()), *payload.pop("warnings", ())]
    meta_ = meta_40(version, call.identity.user, call.source)
    if not payload:
        # Nothing dumped (a write, or a failure before the answer was read):
        # the reference adds its keys to an empty object in this order.
        return {"errors": errors, "warnings": warnings, "meta": meta_}
    return {**payload, "meta": meta_, "errors": errors, "warnings": warnings}
