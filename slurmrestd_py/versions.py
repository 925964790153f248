"""The API versions served: the only list of them.

Each `Version` says what a version is called where it shows (its `-s` plugin
name, the `meta.plugin` of its answers, its path prefix and operation ids)
and where its operations are declared: modules (under slurmrestd_py), each
with the path segments after the prefix that it serves, so a request imports
only the modules it needs. A version serves another version's module where
its shape is the same, and its own module (a derivation) where it differs. The router, `-s`, `-s list`, the envelope and the
OpenAPI document all read this list.
"""
from __future__ import annotations


class Version:
    """One API version (a plain class: a dataclass costs every inet
    connection half a millisecond at start-up)."""

    __slots__ = ("plugin", "title", "area", "version", "modules")

    def __init__(self, plugin: str, title: str, area: str, version: str,
                 modules: tuple[tuple[str, tuple[str, ...]], ...]):
        self.plugin = plugin  # `-s` name and `meta.plugin.type` ("openapi/<plugin>")
        self.title = title  # `meta.plugin.name`
        self.area = area  # "slurm" or "slurmdb": first path segment, operation id prefix
        self.version = version  # "v0.0.38": second path segment
        self.modules = modules  # (module, first path segments it serves), document order

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
    Version("v0.0.36", "REST v0.0.36", "slurm", "v0.0.36", (
        ("v0_0_36.diag", ("diag", "ping")),
        ("v0_0_36.nodes", ("node", "nodes")),
        ("v0_0_36.partitions", ("partition", "partitions")),
        ("v0_0_36.jobs", ("job", "jobs")),
        ("v0_0_36.job_control", ("job",)),
    )),
    Version("v0.0.37", "Slurm OpenAPI v0.0.37", "slurm", "v0.0.37", (
        ("v0_0_37.diag", ("diag", "ping")),
        ("v0_0_37.reservations", ("reservation", "reservations")),
        ("v0_0_38.nodes", ("node", "nodes")),
        ("v0_0_37.partitions", ("partition", "partitions")),
        ("v0_0_37.jobs", ("job", "jobs")),
        ("v0_0_37.job_control", ("job",)),
    )),
    Version("v0.0.38", "Slurm OpenAPI v0.0.38", "slurm", "v0.0.38", (
        ("v0_0_38.diag", ("diag", "licenses", "ping")),
        ("v0_0_38.reservations", ("reservation", "reservations")),
        ("v0_0_38.nodes", ("node", "nodes")),
        ("v0_0_38.partitions", ("partition", "partitions")),
        ("v0_0_38.jobs", ("job", "jobs")),
        ("v0_0_38.job_control", ("job",)),
    )),
    Version("dbv0.0.36", "REST DB v0.0.36", "slurmdb", "v0.0.36", (
        ("dbv0_0_37.accounts", ("account", "accounts")),
        ("dbv0_0_36.associations", ("association", "associations")),
        ("dbv0_0_38.clusters", ("cluster", "clusters")),
        ("dbv0_0_36.config", ("config",)),
        ("dbv0_0_38.diag", ("diag",)),
        ("dbv0_0_36.jobs", ("job", "jobs")),
        ("dbv0_0_36.qos", ("qos",)),
        ("dbv0_0_38.tres", ("tres",)),
        ("dbv0_0_37.users", ("user", "users")),
        ("dbv0_0_38.wckeys", ("wckey", "wckeys")),
    )),
    Version("dbv0.0.37", "Slurm OpenAPI DB v0.0.37", "slurmdb", "v0.0.37", (
        ("dbv0_0_37.accounts", ("account", "accounts")),
        ("dbv0_0_37.associations", ("association", "associations")),
        ("dbv0_0_38.clusters", ("cluster", "clusters")),
        ("dbv0_0_37.config", ("config",)),
        ("dbv0_0_38.diag", ("diag",)),
        ("dbv0_0_37.jobs", ("job", "jobs")),
        ("dbv0_0_37.qos", ("qos",)),
        ("dbv0_0_38.tres", ("tres",)),
        ("dbv0_0_37.users", ("user", "users")),
        ("dbv0_0_38.wckeys", ("wckey", "wckeys")),
    )),
    Version("dbv0.0.38", "Slurm OpenAPI DB v0.0.38", "slurmdb", "v0.0.38", (
        ("dbv0_0_38.accounts", ("account", "accounts")),
        ("dbv0_0_38.associations", ("association", "associations")),
        ("dbv0_0_38.clusters", ("cluster", "clusters")),
        ("dbv0_0_38.config", ("config",)),
        ("dbv0_0_38.diag", ("diag",)),
        ("dbv0_0_38.jobs", ("job", "jobs")),
        ("dbv0_0_38.qos", ("qos",)),
        ("dbv0_0_38.tres", ("tres",)),
        ("dbv0_0_38.users", ("user", "users")),
        ("dbv0_0_38.wckeys", ("wckey", "wckeys")),
    )),
)
BY_PLUGIN = {v.plugin: v for v in VERSIONS}
PLUGINS = tuple(BY_PLUGIN)
