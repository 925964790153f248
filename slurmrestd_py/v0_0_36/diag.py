"""GET /slurm/v0.0.36/diag and /ping: v0.0.37's, with `errno` error entries
on /ping too."""
from __future__ import annotations

from ..v0_0_37 import diag

OPERATIONS = [op if op.operation_id == "diag" else op.replace(errors="errno")
              for op in diag.OPERATIONS]
