"""The /slurmdb/v0.0.38 API (reads and removals).

MODULES lists its modules in document order, each with the path segments
after /slurmdb/v0.0.38/ that it serves: a request imports only those modules
(see routes.Router.add_group); each module's OPERATIONS declares the rest.
"""
PLUGIN = "dbv0.0.38"
PREFIX = ("slurmdb", "v0.0.38")
MODULES = (
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
)
