"""The API versions served: the only list of them.

Each `Version` says what a version is called where it shows (its `-s` plugin
name, the `meta.plugin` of its answers, its path prefix and operation ids)
and where its operations are declared: the package and its modules, each
with the path segments after the prefix that it serves, so a request imports
only the modules it needs. The router, `-s`, `-s list`, the envelope and the
OpenAPI document all read this list.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Version:
    plugin: str  # `-s` name and `meta.plugin.type` ("openapi/<plugin>")
    title: str  # `meta.plugin.name`
    area: str  # "slurm" or "slurmdb": first path segment, operation id prefix, tag
    version: str  # "v0.0.38": second path segment
    package: str  # the package declaring its operations
    modules: tuple[tuple[str, tuple[str, ...]], ...]  # (module, first segments it serves)

    @property
    def prefix(self) -> tuple[str, str]:
        return (self.area, self.version)

    def path(self, tail: str) -> str:
        """The path template of `tail` ("job/{job_id}") in this version."""
        return f"/{self.area}/{self.version}/{tail}"

    def op_id(self, name: str) -> str:
        """The operationId of `name` ("get_jobs") in this version."""
        return f"{self.area}_{self.version.replace('.', '_')}_{name}"


VERSIONS = (
    Version("v0.0.38", "Slurm OpenAPI v0.0.38", "slurm", "v0.0.38", "slurmrestd_py.v0_0_38", (
        ("diag", ("diag", "licenses", "ping")),
        ("reservations", ("reservation", "reservations")),
        ("nodes", ("node", "nodes")),
        ("partitions", ("partition", "partitions")),
        ("jobs", ("job", "jobs")),
        ("job_control", ("job",)),
    )),
    Version("dbv0.0.38", "Slurm OpenAPI DB v0.0.38", "slurmdb", "v0.0.38",
            "slurmrestd_py.dbv0_0_38", (
                ("accounts", ("account", "accounts")),
                ("associations", ("association", "associations")),
                ("clusters", ("cluster", "clusters")),
                ("config", ("config",)),
                ("diag", ("diag",)),
                ("jobs", ("job", "jobs")),
                ("qos", ("qos",)),
                ("tres", ("tres",)),
                ("users", ("user", "users")),
                ("wckeys", ("wckey", "wckeys")),
            )),
)
BY_PLUGIN = {v.plugin: v for v in VERSIONS}
PLUGINS = tuple(BY_PLUGIN)
