"""The /slurm/v0.0.38 API: its operations, in the order the document lists them."""
from .diag import OPERATIONS as _DIAG
from .reservations import OPERATIONS as _RESERVATIONS
from .nodes import OPERATIONS as _NODES
from .partitions import OPERATIONS as _PARTITIONS
from .jobs import OPERATIONS as _JOBS
from .job_control import OPERATIONS as _JOB_CONTROL

PLUGIN = "v0.0.38"
OPERATIONS = [*_DIAG, *_RESERVATIONS, *_NODES, *_PARTITIONS, *_JOBS, *_JOB_CONTROL]
