"""GET /slurm/v0.0.42/shares: v0.0.40's, with the effective usage and the
fair-share factors as number objects (unset when NO_VAL or INFINITE)."""
from __future__ import annotations

from ..kinds import F64
from ..schema import Field
from ..v0_0_40 import shares

SHARE = shares.SHARE.derive(replace={
    "effective_usage": Field("effective_usage", F64, "usage_efctv",
                             "Effective, normalized usage"),
    "fairshare/factor": Field("fairshare/factor", F64, "fs_factor", "Fairshare factor"),
    "fairshare/level": Field("fairshare/level", F64, "level_fs",
                             "Fairshare factor at this level; stored on an assoc as a long "
                             "double, but that is not needed for display in sshare"),
})
OPERATIONS = [shares.shares_operation(SHARE)]
