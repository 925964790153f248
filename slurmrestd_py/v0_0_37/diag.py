"""GET /slurm/v0.0.37/diag and /ping: v0.0.38's, without the RPC statistics
and the backfill table sizes, and with `errno` error entries on /diag."""
from __future__ import annotations

from ..v0_0_38 import diag

STATISTICS = diag.STATISTICS.derive(drop=["rpcs_by_message_type", "rpcs_by_user",
                                          "bf_table_size", "bf_table_size_mean"])
OPERATIONS = [diag.diag_operation(STATISTICS, errors="errno"), diag.PING_OPERATION]
