"""The {meta, errors, ...} envelope every API answer is wrapped in.

The reference emits three error-object shapes depending on the endpoint
(`error_number`, `errno` or `error_code` beside `error`). Clients read them,
so we keep them, and the one error schema here declares all of them.
"""
from __future__ import annotations

from . import slurm
from .schema import Array, Field, Inline, Int, Obj, Str
from .versions import BY_PLUGIN

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
