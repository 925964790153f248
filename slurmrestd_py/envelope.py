"""The {meta, errors, ...} envelope every API answer is wrapped in.

The reference emits three error-object shapes depending on the endpoint
(`error_number`, `errno` or `error_code` beside `error`). Clients read them,
so we keep them, and the one error schema here declares all of them.
"""
from __future__ import annotations

import functools

from . import slurm
from .schema import Array, Field, Inline, Int, Obj, Str
from .versions import BY_PLUGIN



@functools.cache
def meta_obj(plugin: str) -> Obj:
    return Obj(f"{plugin}_meta", [
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


@functools.cache
def error_obj(plugin: str) -> Obj:
    return Obj(f"{plugin}_error", [
        Field("error", Str, description="error message"),
        Field("error_number", Int, description="Slurm internal error number (jobs, diag, slurmdb)"),
        Field("errno", Int, description="Slurm internal error number (nodes, partitions, reservations)"),
        Field("error_code", Int, description="Slurm internal error number (job submission)"),
        Field("description", Str, description="what was being done"),
        Field("source", Str, description="the call that failed"),
    ])


def response_obj(plugin: str, name: str, payload: list[Field], description: str = "") -> Obj:
    """A response document: meta, errors and the endpoint's own keys."""
    return Obj(f"{plugin}_{name}", [
        Field("meta", meta_obj(plugin)),
        Field("errors", Array(error_obj(plugin)), description="slurm errors"),
        *payload,
    ], description)


def meta(plugin: str) -> dict:
    major, minor, micro = slurm.VERSION
    return {
        "plugin": {"type": f"openapi/{plugin}", "name": BY_PLUGIN[plugin].title},
        "Slurm": {"version": {"major": major, "micro": micro, "minor": minor},
                  "release": slurm.RELEASE},
    }
