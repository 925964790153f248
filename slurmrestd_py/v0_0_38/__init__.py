"""The /slurm/v0.0.38 API: its operations, in the order the document lists them."""
from .diag import OPERATIONS as _DIAG

PLUGIN = "v0.0.38"
OPERATIONS = [*_DIAG]
