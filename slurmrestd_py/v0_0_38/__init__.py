"""The /slurm/v0.0.38 API.

MODULES lists its modules in document order, each with the path segments
after /slurm/v0.0.38/ that it serves: a request imports only those modules
(see routes.Router.add_group); each module's OPERATIONS declares the rest.
"""
PLUGIN = "v0.0.38"
PREFIX = ("slurm", PLUGIN)
MODULES = (
    ("diag", ("diag", "licenses", "ping")),
    ("reservations", ("reservation", "reservations")),
    ("nodes", ("node", "nodes")),
    ("partitions", ("partition", "partitions")),
    ("jobs", ("job", "jobs")),
    ("job_control", ("job",)),
)
