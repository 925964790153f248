"""The /slurm/v0.0.38 API: its operations, in the order the document lists them."""
from .diag import OPERATIONS as _DIAG
from .reservations import OPERATIONS as _RESERVATIONS

PLUGIN = "v0.0.38"
OPERATIONS = [*_DIAG, *_RESERVATIONS]
