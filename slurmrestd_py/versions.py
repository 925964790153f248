"""The API versions served: the only list of them.

Each `Version` says what a version is called where it shows (its `-s` plugin
name, the `meta.plugin` of its answers, its path prefix and operation ids)
and where its operations are declared: modules (under slurmrestd_py), each
with the path segments after the prefix that it serves, so a request imports
only the modules it needs. A version serves another version's module where
its shape is the same, and its own module (a derivation) where it differs.
The router, `-s`, `-d`, `-s list`, the envelope and the OpenAPI document all
read this list.

Slurm 22.05 made each version an OpenAPI plugin ("v0.0.38", "dbv0.0.38").
From v0.0.40 on (Slurm 23.11 and later) a version is a data parser
("-d v0.0.42") serving two content plugins ("-s slurmctld,slurmdbd"); such
`parser` versions are listed here under the 22.05-style names, "v0.0.42" for
/slurm and "dbv0.0.42" for /slurmdb.
"""
from __future__ import annotations


class Version:
    """One API version (a plain class: a dataclass costs every inet
    connection half a millisecond at start-up)."""

    __slots__ = ("plugin", "title", "area", "version", "modules", "parser")

    def __init__(self, plugin: str, title: str, area: str, version: str,
                 modules: tuple[tuple[str, tuple[str, ...]], ...], parser: bool = False):
        self.plugin = plugin  # the key here; the `-s` name of a 22.05-style version
        self.title = title  # `meta.plugin.name`
        self.area = area  # "slurm" or "slurmdb": first path segment, operation id prefix
        self.version = version  # "v0.0.38": second path segment
        self.modules = modules  # (module, first path segments it serves), document order
        self.parser = parser  # a data parser version (v0.0.40 and later)

    @property
    def content(self) -> str:
        """The `-s` name of what a parser version serves ("slurmctld", "slurmdbd")."""
        return CONTENT[self.area]

    @property
    def plugin_type(self) -> str:
        """`meta.plugin.type`."""
        return f"openapi/{self.content if self.parser else self.plugin}"

    @property
    def ns(self):
        """The names its objects take in the OpenAPI document (schema.component)."""
        if not self.parser:
            return self.plugin
        from .schema import Namespace
        return Namespace(self.version, **NAMES.get(self.version, {}))

    @property
    def prefix(self) -> tuple[str, str]:
        return (self.area, self.version)

    def path(self, tail: str) -> str:
        """The path template of `tail` ("job/{job_id}") in this version."""
        return f"/{self.area}/{self.version}/{tail}"

    def op_id(self, name: str) -> str:
        """The operationId of `name` ("get_jobs") in this version."""
        if self.parser:  # slurm_v0042_get_jobs
            return f"{self.area}_{self.version.replace('.', '')}_{name}"
        return f"{self.area}_{self.version.replace('.', '_')}_{name}"


CONTENT = {"slurm": "slurmctld", "slurmdb": "slurmdbd"}


def _parser(area: str, version: str, modules) -> Version:
    return Version(("db" if area == "slurmdb" else "") + version,
                   f"Slurm OpenAPI {CONTENT[area]}", area, version, modules, parser=True)


def _no_struct(name: str) -> str:
    return name[:-len("_struct")] if name.endswith("_no_val_struct") else name


# How the reference names the components of each parser version: v0.0.40
# calls the number objects "uint32_no_val"; v0.0.41 names only these and
# writes every other object in place.
NAMES = {
    "v0.0.40": {"rename": _no_struct},
    "v0.0.41": {"named": frozenset((
        "openapi_accounts_resp", "openapi_assocs_removed_resp", "openapi_assocs_resp",
        "openapi_clusters_resp", "openapi_instances_resp", "openapi_job_info_resp",
        "openapi_nodes_resp", "openapi_partition_resp", "openapi_reservation_resp",
        "openapi_resp", "openapi_slurmdbd_config_resp", "openapi_slurmdbd_jobs_resp",
        "openapi_slurmdbd_qos_resp", "openapi_tres_resp", "openapi_users_resp",
        "openapi_wckey_resp", "update_node_msg")).__contains__},
}


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
    _parser("slurm", "v0.0.40", (
        ("v0_0_40.diag", ("diag", "licenses")),
        ("v0_0_40.ping", ("ping",)),
        ("v0_0_40.nodes", ("node", "nodes")),
        ("v0_0_40.partitions", ("partition", "partitions")),
        ("v0_0_40.reconfigure", ("reconfigure",)),
        ("v0_0_40.shares", ("shares",)),
        ("v0_0_40.reservations", ("reservation", "reservations")),
        ("v0_0_40.jobs", ("job", "jobs")),
        ("v0_0_40.job_control", ("job", "jobs")),
    )),
    _parser("slurm", "v0.0.41", (
        ("v0_0_41.diag", ("diag", "licenses")),
        ("v0_0_40.ping", ("ping",)),
        ("v0_0_41.nodes", ("node", "nodes")),
        ("v0_0_41.partitions", ("partition", "partitions")),
        ("v0_0_40.reconfigure", ("reconfigure",)),
        ("v0_0_40.shares", ("shares",)),
        ("v0_0_41.reservations", ("reservation", "reservations")),
        ("v0_0_41.jobs", ("job", "jobs")),
        ("v0_0_41.job_control", ("job", "jobs")),
    )),
    _parser("slurm", "v0.0.42", (
        ("v0_0_42.diag", ("diag", "licenses")),
        ("v0_0_42.ping", ("ping",)),
        ("v0_0_42.nodes", ("node", "nodes")),
        ("v0_0_42.partitions", ("partition", "partitions")),
        ("v0_0_40.reconfigure", ("reconfigure",)),
        ("v0_0_42.shares", ("shares",)),
        ("v0_0_42.reservations", ("reservation", "reservations")),
        ("v0_0_42.jobs", ("job", "jobs")),
        ("v0_0_42.job_control", ("job", "jobs")),
    )),
    _parser("slurmdb", "v0.0.40", (
        ("dbv0_0_40.accounts", ("account", "accounts", "accounts_association")),
        ("dbv0_0_40.associations", ("association", "associations")),
        ("dbv0_0_40.users", ("user", "users", "users_association")),
        ("dbv0_0_40.wckeys", ("wckey", "wckeys")),
        ("dbv0_0_40.diag", ("diag",)),
        ("dbv0_0_40.config", ("config",)),
        ("dbv0_0_40.jobs", ("job", "jobs")),
        ("dbv0_0_40.qos", ("qos",)),
        ("dbv0_0_40.clusters", ("cluster", "clusters")),
        ("dbv0_0_40.instances", ("instance", "instances")),
        ("dbv0_0_40.tres", ("tres",)),
    )),
    _parser("slurmdb", "v0.0.41", (
        ("dbv0_0_42.accounts", ("account", "accounts", "accounts_association")),
        ("dbv0_0_41.associations", ("association", "associations")),
        ("dbv0_0_40.users", ("user", "users", "users_association")),
        ("dbv0_0_40.wckeys", ("wckey", "wckeys")),
        ("dbv0_0_41.diag", ("diag",)),
        ("dbv0_0_41.config", ("config",)),
        ("dbv0_0_41.jobs", ("job", "jobs")),
        ("dbv0_0_40.qos", ("qos",)),
        ("dbv0_0_40.clusters", ("cluster", "clusters")),
        ("dbv0_0_40.instances", ("instance", "instances")),
        ("dbv0_0_40.tres", ("tres",)),
    )),
    _parser("slurmdb", "v0.0.42", (
        ("dbv0_0_42.accounts", ("account", "accounts", "accounts_association")),
        ("dbv0_0_42.associations", ("association", "associations")),
        ("dbv0_0_42.users", ("user", "users", "users_association")),
        ("dbv0_0_42.wckeys", ("wckey", "wckeys")),
        ("dbv0_0_41.diag", ("diag",)),
        ("dbv0_0_42.config", ("config",)),
        ("dbv0_0_42.jobs", ("job", "jobs")),
        ("dbv0_0_42.qos", ("qos",)),
        ("dbv0_0_40.clusters", ("cluster", "clusters")),
        ("dbv0_0_40.instances", ("instance", "instances")),
        ("dbv0_0_40.tres", ("tres",)),
        ("dbv0_0_42.ping", ("ping",)),
    )),
)
BY_PLUGIN = {v.plugin: v for v in VERSIONS}
# The `-s` names of the 22.05-style versions, then the content plugins of the
# parser versions, and `-d`'s names of those.
PLUGINS = tuple(v.plugin for v in VERSIONS if not v.parser)
CONTENTS = tuple(dict.fromkeys(v.content for v in VERSIONS if v.parser))
PARSERS = tuple(dict.fromkeys(v.version for v in VERSIONS if v.parser))
